import { registerLayerRule } from '../analysis/layer-rules.js';
import { fail, formatShape } from '../errors.js';
import { ReLU } from '../nn/activation.js';
import { BatchNorm2d } from '../nn/batch-norm2d.js';
import { Conv2d } from '../nn/conv2d.js';
import { Dropout } from '../nn/dropout.js';
import { FlowModule, type Flow } from '../nn/flow.js';
import { Module } from '../nn/module.js';
import { Sequential } from '../nn/sequential.js';
import { interpolate } from '../ops/interpolate.js';
import type { Tensor } from '../tensor.js';
import { Bottleneck, ResNetTrunk } from './resnet.js';
import type { ZooOptions } from './options.js';

/**
 * ResNet-50 without its pooling and classifier, with the strides of stages 3 and 4 replaced by
 * dilation (output stride 8), as torchvision's segmentation backbone (`IntermediateLayerGetter`
 * over `resnet50(replace_stride_with_dilation=[False, True, True])`): `[N, 3, H, W]` →
 * `[N, 2048, ⌈H/8⌉-ish, ⌈W/8⌉-ish]`.
 */
export class DilatedResNet50 extends ResNetTrunk {
  constructor(inChannels: number) {
    super(Bottleneck, [3, 4, 6, 3], inChannels, [false, true, true]);
  }

  flow(): Flow {
    return this.trunk();
  }
}

/**
 * torchvision's `FCNHead`: 3×3 conv to `inChannels/4` (no bias) → batch norm → ReLU → dropout 0.1 →
 * 1×1 conv to the class scores. Children `0`…`4` as in torchvision's state dict.
 */
export class FCNHead extends Sequential {
  constructor(inChannels: number, channels: number) {
    const inter = inChannels / 4;
    super(new Conv2d(inChannels, inter, 3, { padding: 1, bias: false }), new BatchNorm2d(inter), new ReLU(), new Dropout(0.1), new Conv2d(inter, channels, 1));
  }
}

/**
 * Bilinear upsampling (alignCorners false) of the score map to the size of the FCN's input, as
 * torchvision's `FCN.forward` does with `F.interpolate(x, size=input_shape)`. The FCN sets the
 * size before each forward; `summary` takes it from the model input.
 */
export class UpsampleToInput extends Module {
  /** The H×W to produce, set by the FCN from its input. */
  size: readonly [number, number] | null = null;

  forward(x: Tensor): Tensor {
    if (this.size === null) fail('UpsampleToInput', 'runs inside an FCN, which sets the size from its input');
    return interpolate(x, { size: this.size, mode: 'bilinear', alignCorners: false }, 'UpsampleToInput');
  }

  override extraRepr(): string {
    return "mode=bilinear, size=the input's";
  }
}

registerLayerRule(UpsampleToInput, {
  analyze(_layer, input, where, image) {
    if (input.length !== 3) fail(where, `expected a [C, H, W] input, got ${formatShape(input)}`);
    return { output: [input[0]!, image[0], image[1]], macs: 0, field: { kind: 'irregular', wholeMap: false } };
  },
});

/**
 * FCN-ResNet50 (Long, Shelhamer & Darrell 2015, torchvision 0.14's `fcn_resnet50` layout and
 * parameter count: 32,957,013 with 21 classes, no auxiliary classifier as torchvision's default
 * without weights): a dilated ResNet-50 `backbone` (output stride 8) → `classifier` (FCNHead on
 * 2048 channels) → bilinear upsampling back to the input's H×W. `[N, 3, H, W]` → `[N, numClasses, H, W]`
 * for any H, W ≥ 1 (per-pixel class scores; train with `crossEntropy(scores, labels [N, H, W])`).
 * torchvision's forward returns `{ out }`; this one returns `out`.
 * @example summary(zoo.fcnResnet50(), [3, 224, 224]).rows.at(-1)!.outputShape // [21, 224, 224]
 */
export class FCN extends FlowModule {
  readonly backbone: DilatedResNet50;
  readonly classifier: FCNHead;
  readonly upsample = new UpsampleToInput();

  constructor({ numClasses = 21, inChannels = 3 }: ZooOptions = {}) {
    super();
    this.backbone = new DilatedResNet50(inChannels);
    this.classifier = new FCNHead(2048, numClasses);
  }

  flow(): Flow {
    return [this.backbone, this.classifier, this.upsample];
  }

  override forward(x: Tensor): Tensor {
    if (x.rank !== 4) fail('FCN', `expected a 4-D input [N, C, H, W], got shape ${formatShape(x.shape)}`);
    this.upsample.size = [x.shape[2]!, x.shape[3]!];
    return super.forward(x);
  }
}
