import { BatchNorm2d, concatChannels, Conv2d, FlowModule, LeakyReLU, MaxPool2d, Sequential, Sigmoid, Tanh, type Flow } from '../../src/index.js';

/** Three paths (a dilated 'same' conv; ceil-mode pooling then a 1×1 conv; a grouped conv) stacked along channels, then batch norm and leaky ReLU. Input 4 channels. */
export class Branches extends FlowModule {
  a = new Conv2d(4, 3, 3, { padding: 'same', dilation: 2 });
  b = new Sequential(new MaxPool2d(3, { stride: 1, padding: 1, ceilMode: true }), new Conv2d(4, 5, 1, { bias: false }));
  c = new Conv2d(4, 8, 3, { padding: 1, groups: 4 });
  bn = new BatchNorm2d(16, { eps: 1e-3 });
  act = new LeakyReLU(0.2);
  flow(): Flow {
    return [concatChannels([this.a, this.b, this.c]), this.bn, this.act];
  }
}

/** `tanh(conv(x)) + sigmoid(x) + x`: a residual merge of three paths, one the identity. Input 3 channels. */
export class ThreeWayResidual extends FlowModule {
  conv = new Conv2d(3, 3, 3, { padding: 1 });
  tanh = new Tanh();
  sig = new Sigmoid();
  flow(): Flow {
    return { merge: 'add', name: 'sum', paths: [[this.conv, this.tanh], [this.sig], []] };
  }
}
