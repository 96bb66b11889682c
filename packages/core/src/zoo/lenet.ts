import { ReLU } from '../nn/activation.js';
import { Conv2d } from '../nn/conv2d.js';
import { Flatten } from '../nn/flatten.js';
import { FlowModule, type Flow } from '../nn/flow.js';
import { Linear } from '../nn/linear.js';
import { MaxPool2d } from '../nn/pooling.js';
import { checkInput, type InputSpec } from '../nn/input-spec.js';
import type { Tensor } from '../tensor.js';
import type { ZooOptions } from './options.js';

/**
 * The PyTorch tutorial's LeNet ("Neural Networks", Deep Learning with PyTorch: a 60 Minute Blitz):
 * `[N, 1, 32, 32]` → conv 5×5 (6) → ReLU → max pool 2 → conv 5×5 (16) → ReLU → max pool 2 →
 * flatten (16·5·5 = 400) → 120 → ReLU → 84 → ReLU → 10. 61,706 parameters, named like the
 * tutorial's (`conv1.weight` … `fc3.bias`); the tutorial's functional ReLUs, poolings and flatten are
 * modules here so that summaries list them. A 28×28 image needs padding 2 to fit (`pad(2)` or
 * `fitTo(model)`); other sizes are rejected before the first layer runs, saying so.
 */
export class LeNet5 extends FlowModule {
  readonly inputSpec: InputSpec;
  readonly conv1: Conv2d;
  readonly relu1 = new ReLU();
  readonly pool1 = new MaxPool2d(2);
  readonly conv2: Conv2d;
  readonly relu2 = new ReLU();
  readonly pool2 = new MaxPool2d(2);
  readonly flatten = new Flatten();
  readonly fc1: Linear;
  readonly relu3 = new ReLU();
  readonly fc2: Linear;
  readonly relu4 = new ReLU();
  readonly fc3: Linear;

  constructor({ numClasses = 10, inChannels = 1 }: ZooOptions = {}) {
    super();
    this.conv1 = new Conv2d(inChannels, 6, 5);
    this.conv2 = new Conv2d(6, 16, 5);
    this.fc1 = new Linear(16 * 5 * 5, 120);
    this.fc2 = new Linear(120, 84);
    this.fc3 = new Linear(84, numClasses);
    this.inputSpec = { modelName: 'LeNet-5', shape: [inChannels, 32, 32] };
  }

  override forward(x: Tensor): Tensor {
    checkInput(this.inputSpec, x);
    return super.forward(x);
  }

  flow(): Flow {
    return [this.conv1, this.relu1, this.pool1, this.conv2, this.relu2, this.pool2, this.flatten, this.fc1, this.relu3, this.fc2, this.relu4, this.fc3];
  }
}

/**
 * Caffe's MNIST LeNet (examples/mnist/lenet_train_test.prototxt), with its layer names:
 * `[N, 1, 28, 28]` → conv1 5×5 (20) → pool1 max 2 → conv2 5×5 (50) → pool2 max 2 → flatten
 * (50·4·4 = 800) → ip1 500 → relu1 → ip2 10. No ReLU after the convolutions, as in Caffe.
 * 431,080 parameters, 400,500 of them in ip1. Inputs of another size are rejected before the first layer runs.
 */
export class LeNetCaffe extends FlowModule {
  readonly inputSpec: InputSpec;
  readonly conv1: Conv2d;
  readonly pool1 = new MaxPool2d(2);
  readonly conv2: Conv2d;
  readonly pool2 = new MaxPool2d(2);
  readonly flatten = new Flatten();
  readonly ip1: Linear;
  readonly relu1 = new ReLU();
  readonly ip2: Linear;

  constructor({ numClasses = 10, inChannels = 1 }: ZooOptions = {}) {
    super();
    this.conv1 = new Conv2d(inChannels, 20, 5);
    this.conv2 = new Conv2d(20, 50, 5);
    this.ip1 = new Linear(50 * 4 * 4, 500);
    this.ip2 = new Linear(500, numClasses);
    this.inputSpec = { modelName: 'Caffe LeNet', shape: [inChannels, 28, 28] };
  }

  override forward(x: Tensor): Tensor {
    checkInput(this.inputSpec, x);
    return super.forward(x);
  }

  flow(): Flow {
    return [this.conv1, this.pool1, this.conv2, this.pool2, this.flatten, this.ip1, this.relu1, this.ip2];
  }
}
