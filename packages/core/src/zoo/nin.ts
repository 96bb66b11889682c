import { ReLU } from '../nn/activation.js';
import { Conv2d } from '../nn/conv2d.js';
import { Dropout } from '../nn/dropout.js';
import { FlowModule, type Flow } from '../nn/flow.js';
import type { Module } from '../nn/module.js';
import { GlobalAvgPool2d, MaxPool2d } from '../nn/pooling.js';
import { Sequential } from '../nn/sequential.js';
import type { ZooOptions } from './options.js';

/** One mlpconv block: a conv and two 1×1 convs (Caffe's "cccp" layers), each followed by ReLU. */
function mlpconv(inChannels: number, widths: readonly [number, number, number], kernel: number, stride: number, padding: number): Module[] {
  return [
    new Conv2d(inChannels, widths[0], kernel, { stride, padding }), new ReLU(),
    new Conv2d(widths[0], widths[1], 1), new ReLU(),
    new Conv2d(widths[1], widths[2], 1), new ReLU(),
  ];
}

/**
 * Network in Network for ImageNet (Lin, Chen & Yan 2014; the Caffe model zoo's `nin_imagenet`):
 * four mlpconv blocks separated by 3×3 stride-2 max pools (Caffe rounds pooled sizes up:
 * 54 → 27 → 13 → 6), dropout, and a last block whose 1×1 conv yields one map per class, which
 * `avgpool` averages (global average pooling) instead of fully connected layers.
 * 7,595,176 parameters for 1000 classes, against AlexNet's 61,100,840. Input `[N, 3, 224, 224]`.
 */
export class NiN extends FlowModule {
  readonly features: Sequential;
  readonly avgpool = new GlobalAvgPool2d();

  constructor({ numClasses = 1000, inChannels = 3 }: ZooOptions = {}) {
    super();
    const pool = (): MaxPool2d => new MaxPool2d(3, { stride: 2, ceilMode: true });
    this.features = new Sequential(
      ...mlpconv(inChannels, [96, 96, 96], 11, 4, 0), pool(),
      ...mlpconv(96, [256, 256, 256], 5, 1, 2), pool(),
      ...mlpconv(256, [384, 384, 384], 3, 1, 1), pool(),
      new Dropout(0.5),
      ...mlpconv(384, [1024, 1024, numClasses], 3, 1, 1),
    );
  }

  flow(): Flow {
    return [this.features, this.avgpool];
  }
}
