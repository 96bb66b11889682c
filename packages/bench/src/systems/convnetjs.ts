import { ConvLayer, Net, Trainer, Vol } from 'convnetjs';
import { time, type BenchSystem, type Runner } from '../system.js';
import { CONV64, conv64Flops, conv64FwdBwdFlops, type WorkloadName } from '../workloads.js';
import { cyclicLabels, wave } from './convlab.js';

/** The tutorial LeNet in ConvNetJS's layer definitions (ReLU after both convs and both hidden layers). */
function lenet(): Net {
  const net = new Net();
  net.makeLayers([
    { type: 'input', out_sx: 32, out_sy: 32, out_depth: 1 },
    { type: 'conv', sx: 5, filters: 6, stride: 1, pad: 0, activation: 'relu' },
    { type: 'pool', sx: 2, stride: 2 },
    { type: 'conv', sx: 5, filters: 16, stride: 1, pad: 0, activation: 'relu' },
    { type: 'pool', sx: 2, stride: 2 },
    { type: 'fc', num_neurons: 120, activation: 'relu' },
    { type: 'fc', num_neurons: 84, activation: 'relu' },
    { type: 'softmax', num_classes: 10 },
  ]);
  return net;
}

/** `n` 32×32 images with the benchmark's values (ConvNetJS works on one image at a time). */
function images(n: number): Vol[] {
  const values = wave(n * 32 * 32, 0);
  return Array.from({ length: n }, (_, i) => {
    const v = new Vol(32, 32, 1, 0);
    for (let k = 0; k < 1024; k++) v.w[k] = values[i * 1024 + k]!;
    return v;
  });
}

/** ConvNetJS 0.3: Float64 storage, one image at a time; the conv layer runs a batch of 1. */
export class ConvnetjsSystem implements BenchSystem {
  readonly name = 'convnetjs';

  async prepare(workload: WorkloadName): Promise<Runner | { skipped: string }> {
    const runner = (work: number, sample: () => unknown, note?: string): Runner => ({ work, note, run: (repeat) => time(sample, repeat), dispose: async () => undefined });
    switch (workload) {
      case 'lenet-train-b64': {
        const net = lenet();
        const trainer = new Trainer(net, { method: 'sgd', learning_rate: 0.01, momentum: 0.9, batch_size: 64, l2_decay: 0 });
        const xs = images(64);
        const labels = cyclicLabels(64);
        return runner(64, () => xs.forEach((x, i) => trainer.train(x, labels[i]!)));
      }
      case 'lenet-infer-b256': {
        const net = lenet();
        const xs = images(256);
        return runner(256, () => xs.forEach((x) => net.forward(x, false)));
      }
      case 'conv64-fwd':
      case 'conv64-fwdbwd': {
        const { channels, size, kernel } = CONV64;
        const layer = new ConvLayer({ in_sx: size, in_sy: size, in_depth: channels, sx: kernel, filters: channels, stride: 1, pad: 1 });
        const x = new Vol(size, size, channels, 0);
        const values = wave(x.w.length, 0);
        for (let k = 0; k < values.length; k++) x.w[k] = values[k]!;
        if (workload === 'conv64-fwd') return runner(conv64Flops(1), () => layer.forward(x, false), 'batch 1');
        const upstream = wave(x.w.length, 3);
        return runner(conv64FwdBwdFlops(1), () => {
          layer.forward(x, true);
          layer.out_act.dw.set(upstream);
          layer.backward();
        }, 'batch 1');
      }
      case 'lenet-epoch':
        return { skipped: 'an epoch takes minutes' };
      case 'cifar-vgg-train-b128':
      case 'resnet18-train-b8-112':
      case 'resnet18-infer-b1':
      case 'vgg16-infer-b1':
        return { skipped: 'the course-sized networks are not written for this peer' };
    }
  }

  async close(): Promise<void> {}
}
