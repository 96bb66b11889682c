import { ReLU } from '../nn/activation.js';
import { Conv2d } from '../nn/conv2d.js';
import { Dropout } from '../nn/dropout.js';
import { Flatten } from '../nn/flatten.js';
import { FlowModule, type Flow } from '../nn/flow.js';
import { Linear } from '../nn/linear.js';
import { AdaptiveAvgPool2d, MaxPool2d } from '../nn/pooling.js';
import { Sequential } from '../nn/sequential.js';
import type { ZooOptions } from './options.js';

/**
 * AlexNet as torchvision 0.14 builds it (the one-GPU variant of Krizhevsky et al. 2012, 64/192
 * filters in the first two convs): `features` (5 convs, 3 max pools) → `avgpool` (adaptive 6×6) →
 * flatten (256·6·6 = 9216) → `classifier` (dropout, 4096, ReLU, dropout, 4096, ReLU, classes).
 * 61,100,840 parameters for 1000 classes; input `[N, 3, 224, 224]`.
 */
export class AlexNet extends FlowModule {
  readonly features: Sequential;
  readonly avgpool = new AdaptiveAvgPool2d(6);
  readonly flatten = new Flatten();
  readonly classifier: Sequential;

  constructor({ numClasses = 1000, inChannels = 3 }: ZooOptions = {}) {
    super();
    this.features = new Sequential(
      new Conv2d(inChannels, 64, 11, { stride: 4, padding: 2 }), new ReLU(), new MaxPool2d(3, { stride: 2 }),
      new Conv2d(64, 192, 5, { padding: 2 }), new ReLU(), new MaxPool2d(3, { stride: 2 }),
      new Conv2d(192, 384, 3, { padding: 1 }), new ReLU(),
      new Conv2d(384, 256, 3, { padding: 1 }), new ReLU(),
      new Conv2d(256, 256, 3, { padding: 1 }), new ReLU(), new MaxPool2d(3, { stride: 2 }),
    );
    this.classifier = new Sequential(
      new Dropout(0.5), new Linear(256 * 6 * 6, 4096), new ReLU(),
      new Dropout(0.5), new Linear(4096, 4096), new ReLU(),
      new Linear(4096, numClasses),
    );
  }

  flow(): Flow {
    return [this.features, this.avgpool, this.flatten, this.classifier];
  }
}
