import { ReLU } from '../nn/activation.js';
import { BatchNorm2d } from '../nn/batch-norm2d.js';
import { Conv2d } from '../nn/conv2d.js';
import { Flatten } from '../nn/flatten.js';
import { FlowModule, residual, type Flow } from '../nn/flow.js';
import { Linear } from '../nn/linear.js';
import type { Module } from '../nn/module.js';
import { AdaptiveAvgPool2d, MaxPool2d } from '../nn/pooling.js';
import { Sequential } from '../nn/sequential.js';
import type { ZooOptions } from './options.js';

const conv3x3 = (inPlanes: number, outPlanes: number, stride = 1, dilation = 1): Conv2d =>
  new Conv2d(inPlanes, outPlanes, 3, { stride, padding: dilation, dilation, bias: false });
const conv1x1 = (inPlanes: number, outPlanes: number, stride = 1): Conv2d => new Conv2d(inPlanes, outPlanes, 1, { stride, bias: false });

/**
 * ResNet-18/34's block: `relu(bn2(conv2(relu(bn1(conv1(x))))) + shortcut(x))` with 3×3 convs;
 * the shortcut is `downsample` (1×1 conv with the block's stride + batch norm) when the shape
 * changes, else the identity. `planes` output channels.
 */
export class BasicBlock extends FlowModule {
  static readonly expansion = 1;
  readonly conv1: Conv2d;
  readonly bn1: BatchNorm2d;
  readonly relu = new ReLU();
  readonly conv2: Conv2d;
  readonly bn2: BatchNorm2d;
  readonly downsample: Sequential | null;

  constructor(inPlanes: number, planes: number, stride: number, downsample: Sequential | null) {
    super();
    this.conv1 = conv3x3(inPlanes, planes, stride);
    this.bn1 = new BatchNorm2d(planes);
    this.conv2 = conv3x3(planes, planes);
    this.bn2 = new BatchNorm2d(planes);
    this.downsample = downsample;
  }

  flow(): Flow {
    return [residual([this.conv1, this.bn1, this.relu, this.conv2, this.bn2], this.downsample ?? []), this.relu];
  }
}

/**
 * ResNet-50's block (torchvision's "v1.5": the stride sits on the 3×3 conv): 1×1 (`planes`) →
 * 3×3 (`planes`, stride) → 1×1 (`4·planes`), each with batch norm, ReLU after the first two and
 * after the sum with the shortcut.
 */
export class Bottleneck extends FlowModule {
  static readonly expansion = 4;
  readonly conv1: Conv2d;
  readonly bn1: BatchNorm2d;
  readonly conv2: Conv2d;
  readonly bn2: BatchNorm2d;
  readonly conv3: Conv2d;
  readonly bn3: BatchNorm2d;
  readonly relu = new ReLU();
  readonly downsample: Sequential | null;

  constructor(inPlanes: number, planes: number, stride: number, downsample: Sequential | null, dilation = 1) {
    super();
    this.conv1 = conv1x1(inPlanes, planes);
    this.bn1 = new BatchNorm2d(planes);
    this.conv2 = conv3x3(planes, planes, stride, dilation);
    this.bn2 = new BatchNorm2d(planes);
    this.conv3 = conv1x1(planes, planes * Bottleneck.expansion);
    this.bn3 = new BatchNorm2d(planes * Bottleneck.expansion);
    this.downsample = downsample;
  }

  flow(): Flow {
    const main = [this.conv1, this.bn1, this.relu, this.conv2, this.bn2, this.relu, this.conv3, this.bn3];
    return [residual(main, this.downsample ?? []), this.relu];
  }
}

type Block = typeof BasicBlock | typeof Bottleneck;

/** ResNet's four stages, torchvision's `_make_layer`. */
export interface ResNetStages {
  readonly layer1: Sequential;
  readonly layer2: Sequential;
  readonly layer3: Sequential;
  readonly layer4: Sequential;
}

/**
 * Builds ResNet's stages (64, 128, 256, 512 planes; stride 2 at the start of stages 2–4). With
 * `dilate[i]` (torchvision's `replace_stride_with_dilation`) stage i + 2 keeps the resolution and
 * dilates its 3×3 convs instead: the first block with the dilation so far, the others with it
 * multiplied by the stride (Bottleneck only, as in torchvision).
 */
export function resnetStages(block: Block, layers: readonly [number, number, number, number], dilate: readonly [boolean, boolean, boolean] = [false, false, false]): ResNetStages {
  let inPlanes = 64;
  let dilation = 1;
  const stage = (planes: number, blocks: number, stride: number, dilated: boolean): Sequential => {
    const previous = dilation;
    if (dilated) {
      dilation *= stride;
      stride = 1;
    }
    const out = planes * block.expansion;
    const downsample = stride !== 1 || inPlanes !== out ? new Sequential(conv1x1(inPlanes, out, stride), new BatchNorm2d(out)) : null;
    const make = (from: number, s: number, d: Sequential | null, dil: number): BasicBlock | Bottleneck =>
      block === Bottleneck ? new Bottleneck(from, planes, s, d, dil) : new BasicBlock(from, planes, s, d);
    const list = [make(inPlanes, stride, downsample, previous)];
    inPlanes = out;
    for (let i = 1; i < blocks; i++) list.push(make(inPlanes, 1, null, dilation));
    return new Sequential(...list);
  };
  return {
    layer1: stage(64, layers[0], 1, false),
    layer2: stage(128, layers[1], 2, dilate[0]),
    layer3: stage(256, layers[2], 2, dilate[1]),
    layer4: stage(512, layers[3], 2, dilate[2]),
  };
}

/**
 * ResNet's trunk as torchvision builds it: `conv1` 7×7 stride 2 (no bias) → `bn1` → `relu` →
 * `maxpool` 3×3 stride 2 → `layer1`…`layer4` ({@link resnetStages}, `dilate` passed on). The
 * classifier {@link ResNet} and the segmentation backbone `DilatedResNet50` (zoo/fcn.ts) build on it.
 */
export abstract class ResNetTrunk extends FlowModule {
  readonly conv1: Conv2d;
  readonly bn1 = new BatchNorm2d(64);
  readonly relu = new ReLU();
  readonly maxpool = new MaxPool2d(3, { stride: 2, padding: 1 });
  readonly layer1: Sequential;
  readonly layer2: Sequential;
  readonly layer3: Sequential;
  readonly layer4: Sequential;

  constructor(block: Block, layers: readonly [number, number, number, number], inChannels: number, dilate?: readonly [boolean, boolean, boolean]) {
    super();
    this.conv1 = new Conv2d(inChannels, 64, 7, { stride: 2, padding: 3, bias: false });
    ({ layer1: this.layer1, layer2: this.layer2, layer3: this.layer3, layer4: this.layer4 } = resnetStages(block, layers, dilate));
  }

  /** The trunk's steps: conv1 through layer4. */
  protected trunk(): Module[] {
    return [this.conv1, this.bn1, this.relu, this.maxpool, this.layer1, this.layer2, this.layer3, this.layer4];
  }
}

/**
 * ResNet as torchvision 0.14 builds it (He et al. 2016): `conv1` 7×7 stride 2 → `bn1` → `relu` →
 * `maxpool` 3×3 stride 2 → `layer1`…`layer4` (blocks of 64, 128, 256, 512 planes, the first block
 * of layers 2–4 with stride 2) → `avgpool` (adaptive 1×1) → flatten → `fc`. Input `[N, 3, 224, 224]`.
 * Weights use convlab's default (PyTorch's per-layer) initialization, not torchvision's Kaiming
 * normal re-initialization.
 */
export class ResNet extends ResNetTrunk {
  readonly avgpool = new AdaptiveAvgPool2d(1);
  readonly flatten = new Flatten();
  readonly fc: Linear;

  constructor(block: Block, layers: readonly [number, number, number, number], { numClasses = 1000, inChannels = 3 }: ZooOptions = {}) {
    super(block, layers, inChannels);
    this.fc = new Linear(512 * block.expansion, numClasses);
  }

  flow(): Flow {
    return [...this.trunk(), this.avgpool, this.flatten, this.fc];
  }
}
