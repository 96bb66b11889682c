import { ReLU } from '../nn/activation.js';
import { BatchNorm2d } from '../nn/batch-norm2d.js';
import { Conv2d } from '../nn/conv2d.js';
import { Dropout } from '../nn/dropout.js';
import { Flatten } from '../nn/flatten.js';
import { FlowModule, type Flow } from '../nn/flow.js';
import { Linear } from '../nn/linear.js';
import type { Module } from '../nn/module.js';
import { AdaptiveAvgPool2d, MaxPool2d } from '../nn/pooling.js';
import { Sequential } from '../nn/sequential.js';
import type { ZooOptions } from './options.js';

/** VGG configurations (Simonyan & Zisserman 2014, table 1): conv widths, `'M'` for a 2×2 max pool. */
export const VGG_CONFIGS = {
  A: [64, 'M', 128, 'M', 256, 256, 'M', 512, 512, 'M', 512, 512, 'M'],
  D: [64, 64, 'M', 128, 128, 'M', 256, 256, 256, 'M', 512, 512, 512, 'M', 512, 512, 512, 'M'],
} as const;

/**
 * VGG as torchvision 0.14 builds it: `features` (3×3 convs with padding 1, each followed by batch
 * norm when asked and ReLU; 2×2 max pools) → `avgpool` (adaptive 7×7) → flatten (512·7·7 = 25088)
 * → `classifier` (4096, ReLU, dropout, 4096, ReLU, dropout, classes). Input `[N, 3, 224, 224]`.
 */
export class VGG extends FlowModule {
  readonly features: Sequential;
  readonly avgpool = new AdaptiveAvgPool2d(7);
  readonly flatten = new Flatten();
  readonly classifier: Sequential;

  constructor(config: readonly (number | 'M')[], batchNorm: boolean, { numClasses = 1000, inChannels = 3 }: ZooOptions = {}) {
    super();
    const layers: Module[] = [];
    let channels = inChannels;
    for (const v of config) {
      if (v === 'M') {
        layers.push(new MaxPool2d(2, { stride: 2 }));
        continue;
      }
      layers.push(new Conv2d(channels, v, 3, { padding: 1 }));
      if (batchNorm) layers.push(new BatchNorm2d(v));
      layers.push(new ReLU());
      channels = v;
    }
    this.features = new Sequential(...layers);
    this.classifier = new Sequential(
      new Linear(512 * 7 * 7, 4096), new ReLU(), new Dropout(0.5),
      new Linear(4096, 4096), new ReLU(), new Dropout(0.5),
      new Linear(4096, numClasses),
    );
  }

  flow(): Flow {
    return [this.features, this.avgpool, this.flatten, this.classifier];
  }
}
