import {
  AdaptiveAvgPool2d, AvgPool2d, BatchNorm2d, Conv2d, Dropout, Flatten, GlobalAvgPool2d, LeakyReLU, Linear, LogSoftmax,
  MaxPool2d, Module, ReLU, Sequential, Sigmoid, Softmax, Tanh, type Tensor,
} from '../../src/index.js';

/** The twin of `Net` in tests/fixtures/torch_cases/modules.py: every layer type once. */
export class Net extends Module {
  conv1 = new Conv2d(3, 8, 3, { padding: 1 });
  bn1 = new BatchNorm2d(8);
  features = new Sequential(
    new ReLU(),
    new MaxPool2d(2),
    new Conv2d(8, 16, [3, 5], { stride: [2, 1], padding: [1, 2], groups: 8, bias: false }),
    new BatchNorm2d(16, { eps: 1e-3, momentum: 0.01, affine: false }),
    new LeakyReLU(0.2),
    new AvgPool2d(3, { stride: 1, padding: 1 }),
    new Sigmoid(),
    new Tanh(),
    new AdaptiveAvgPool2d([2, 2]),
  );
  gap = new GlobalAvgPool2d();
  classifier = new Sequential(new Flatten(), new Dropout(0.25), new Linear(64, 10), new Softmax(1));
  logprobs = new LogSoftmax(1);

  forward(x: Tensor): Tensor {
    return this.logprobs.call(this.classifier.call(this.features.call(this.bn1.call(this.conv1.call(x)))));
  }
}

/** The twin of `Head` in modules.py: a small trainable model of non-convolution layers. */
export class Head extends Module {
  bn = new BatchNorm2d(3, { momentum: 0.2 });
  act = new LeakyReLU(0.1);
  flatten = new Flatten();
  fc1 = new Linear(48, 16);
  drop = new Dropout(0.5);
  out = new Sequential(new Tanh(), new Linear(16, 5), new Sigmoid(), new Linear(5, 4));

  forward(x: Tensor): Tensor {
    return this.out.call(this.drop.call(this.fc1.call(this.flatten.call(this.act.call(this.bn.call(x))))));
  }
}

/** The twin of `Block` in modules.py: a module with both an extra repr and a child. */
export class Block extends Module {
  fc = new Linear(2, 2);

  forward(x: Tensor): Tensor {
    return this.fc.call(x);
  }

  override extraRepr(): string {
    return 'scale=2';
  }
}
