import { ReLU } from '../nn/activation.js';
import { BatchNorm2d } from '../nn/batch-norm2d.js';
import { Conv2d, type Conv2dLayerOptions } from '../nn/conv2d.js';
import { Dropout } from '../nn/dropout.js';
import { Flatten } from '../nn/flatten.js';
import { concatChannels, FlowModule, type Flow } from '../nn/flow.js';
import { Linear } from '../nn/linear.js';
import { AdaptiveAvgPool2d, MaxPool2d } from '../nn/pooling.js';
import { Sequential } from '../nn/sequential.js';
import type { ZooOptions } from './options.js';

/** torchvision's conv unit of GoogLeNet: conv without bias → batch norm (eps 0.001) → ReLU. */
export class BasicConv2d extends FlowModule {
  readonly conv: Conv2d;
  readonly bn: BatchNorm2d;
  readonly relu = new ReLU();

  constructor(inChannels: number, outChannels: number, kernelSize: number, options: Omit<Conv2dLayerOptions, 'bias'> = {}) {
    super();
    this.conv = new Conv2d(inChannels, outChannels, kernelSize, { ...options, bias: false });
    this.bn = new BatchNorm2d(outChannels, { eps: 0.001 });
  }

  flow(): Flow {
    return [this.conv, this.bn, this.relu];
  }
}

/**
 * An Inception block (Szegedy et al. 2015, figure 2b) as torchvision builds it: four parallel
 * branches on the same input, their channels stacked: 1×1 (`ch1x1`); 1×1 (`ch3x3red`) → 3×3
 * (`ch3x3`); 1×1 (`ch5x5red`) → 3×3 (`ch5x5`; torchvision uses 3×3 where the paper has 5×5);
 * 3×3 max pool (stride 1) → 1×1 (`poolProj`). Spatial size unchanged.
 */
export class Inception extends FlowModule {
  readonly branch1: BasicConv2d;
  readonly branch2: Sequential;
  readonly branch3: Sequential;
  readonly branch4: Sequential;

  constructor(inChannels: number, ch1x1: number, ch3x3red: number, ch3x3: number, ch5x5red: number, ch5x5: number, poolProj: number) {
    super();
    this.branch1 = new BasicConv2d(inChannels, ch1x1, 1);
    this.branch2 = new Sequential(new BasicConv2d(inChannels, ch3x3red, 1), new BasicConv2d(ch3x3red, ch3x3, 3, { padding: 1 }));
    this.branch3 = new Sequential(new BasicConv2d(inChannels, ch5x5red, 1), new BasicConv2d(ch5x5red, ch5x5, 3, { padding: 1 }));
    this.branch4 = new Sequential(new MaxPool2d(3, { stride: 1, padding: 1, ceilMode: true }), new BasicConv2d(inChannels, poolProj, 1));
  }

  flow(): Flow {
    return concatChannels([this.branch1, this.branch2, this.branch3, this.branch4]);
  }
}

/**
 * GoogLeNet (Inception v1) as torchvision 0.14 builds it without the auxiliary classifiers
 * (`googlenet(aux_logits=False)`): a conv stem, nine Inception blocks with ceil-mode max pools,
 * global average pooling, dropout 0.2 and one fully connected layer. 6,624,904 parameters for
 * 1000 classes; input `[N, 3, 224, 224]`.
 */
export class GoogLeNet extends FlowModule {
  readonly conv1: BasicConv2d;
  readonly maxpool1 = new MaxPool2d(3, { stride: 2, ceilMode: true });
  readonly conv2: BasicConv2d;
  readonly conv3: BasicConv2d;
  readonly maxpool2 = new MaxPool2d(3, { stride: 2, ceilMode: true });
  readonly inception3a: Inception;
  readonly inception3b: Inception;
  readonly maxpool3 = new MaxPool2d(3, { stride: 2, ceilMode: true });
  readonly inception4a: Inception;
  readonly inception4b: Inception;
  readonly inception4c: Inception;
  readonly inception4d: Inception;
  readonly inception4e: Inception;
  readonly maxpool4 = new MaxPool2d(2, { stride: 2, ceilMode: true });
  readonly inception5a: Inception;
  readonly inception5b: Inception;
  readonly avgpool = new AdaptiveAvgPool2d(1);
  readonly flatten = new Flatten();
  readonly dropout = new Dropout(0.2);
  readonly fc: Linear;

  constructor({ numClasses = 1000, inChannels = 3 }: ZooOptions = {}) {
    super();
    this.conv1 = new BasicConv2d(inChannels, 64, 7, { stride: 2, padding: 3 });
    this.conv2 = new BasicConv2d(64, 64, 1);
    this.conv3 = new BasicConv2d(64, 192, 3, { padding: 1 });
    this.inception3a = new Inception(192, 64, 96, 128, 16, 32, 32);
    this.inception3b = new Inception(256, 128, 128, 192, 32, 96, 64);
    this.inception4a = new Inception(480, 192, 96, 208, 16, 48, 64);
    this.inception4b = new Inception(512, 160, 112, 224, 24, 64, 64);
    this.inception4c = new Inception(512, 128, 128, 256, 24, 64, 64);
    this.inception4d = new Inception(512, 112, 144, 288, 32, 64, 64);
    this.inception4e = new Inception(528, 256, 160, 320, 32, 128, 128);
    this.inception5a = new Inception(832, 256, 160, 320, 32, 128, 128);
    this.inception5b = new Inception(832, 384, 192, 384, 48, 128, 128);
    this.fc = new Linear(1024, numClasses);
  }

  flow(): Flow {
    return [
      this.conv1, this.maxpool1, this.conv2, this.conv3, this.maxpool2,
      this.inception3a, this.inception3b, this.maxpool3,
      this.inception4a, this.inception4b, this.inception4c, this.inception4d, this.inception4e, this.maxpool4,
      this.inception5a, this.inception5b,
      this.avgpool, this.flatten, this.dropout, this.fc,
    ];
  }
}
