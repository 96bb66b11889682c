import {
  BatchNorm2d, Conv2d, DataLoader, Flatten, Linear, MaxPool2d, ReLU, SGD, Sequential, Tensor, conv2d, crossEntropy, fashionMnist, fit,
  getBackend, getNumThreads, manualSeed, noGrad, normalize, pad, traceKernels, FASHION_MNIST_MEAN, FASHION_MNIST_STD, zoo, type Module,
} from '@convlab/core';
import { convPaths, type KernelPath } from '../report.js';
import { time, type BenchSystem, type Runner } from '../system.js';
import { CIFAR_VGG, CONV64, EPOCH_IMAGES, NETWORK_INPUTS, conv64Flops, conv64FwdBwdFlops, type WorkloadName } from '../workloads.js';

/** Deterministic values in (−1, 1). */
export function wave(length: number, phase: number): Float32Array {
  return Float32Array.from({ length }, (_, i) => Math.sin(i * 0.7071 + phase));
}

/** Labels 0…9 in a fixed order. */
export function cyclicLabels(n: number): Int32Array {
  return Int32Array.from({ length: n }, (_, i) => (i * 7) % 10);
}

/** LeNet-5 training steps at batch `n` on fixed inputs: forward, loss, backward, SGD step. */
export function lenetTrainer(n: number): () => number {
  manualSeed(1);
  return trainer(zoo.lenet5(), n, [1, 32, 32]);
}

/** The CIFAR VGG-style net of the `cifar-vgg-train-b128` workload (see CIFAR_VGG). */
export function cifarVgg(): Sequential {
  const layers: Module[] = [];
  for (const step of CIFAR_VGG) {
    if (step === 'pool') layers.push(new MaxPool2d(2));
    else layers.push(new Conv2d(step[0], step[1], 3, { padding: 1 }), new BatchNorm2d(step[1]), new ReLU());
  }
  return new Sequential(...layers, new Flatten(), new Linear(128 * 4 * 4, 10));
}

/** `n` fixed images of `[C, H, W]` (the same values every peer gets). */
function images(n: number, input: readonly [number, number, number]): Tensor {
  return new Tensor(wave(n * input[0] * input[1] * input[2], 0), [n, ...input]);
}

/** Training steps of `model` at batch `n` on fixed `[C, H, W]` inputs: forward, loss, backward, SGD step. */
export function trainer(model: Module, n: number, input: readonly [number, number, number]): () => number {
  const optimizer = new SGD(model.parameters(), { lr: 0.01, momentum: 0.9 });
  const x = images(n, input);
  const labels = cyclicLabels(n);
  return () => {
    optimizer.zeroGrad();
    const loss = crossEntropy(model.call(x), labels);
    loss.backward();
    optimizer.step();
    return loss.item();
  };
}

const conv64Input = (): Tensor => {
  const { batch, channels, size } = CONV64;
  return new Tensor(wave(batch * channels * size * size, 0), [batch, channels, size, size], true);
};

const conv64Weights = (): [Tensor, Tensor] => {
  const { channels, kernel } = CONV64;
  const w = new Tensor(wave(channels * channels * kernel * kernel, 1).map((v) => v * 0.05), [channels, channels, kernel, kernel], true);
  return [w, new Tensor(wave(channels, 2), [channels], true)];
};

/** convlab itself, on its default backend and thread count. */
export class ConvlabSystem implements BenchSystem {
  readonly name = 'convlab';

  /** The backend and threads in use, for the report. */
  get description(): string {
    return `convlab (${getBackend()}, ${getNumThreads()} threads)`;
  }

  async prepare(workload: WorkloadName): Promise<Runner> {
    const runner = (work: number, sample: () => unknown): Runner => {
      let kernelPaths: KernelPath[] | undefined;
      return {
        work,
        run: (repeat) => time(sample, repeat),
        // Traced after measuring, warm: which path each conv layer takes and how long it took. Of
        // an asynchronous run (the epoch), only the part before its first await is traced, but the
        // run is awaited, so that it does not go on while the next workload is measured.
        trace: async () => {
          const { result, calls } = traceKernels(sample);
          kernelPaths = convPaths(calls);
          await result;
        },
        dispose: async () => undefined,
        get kernelPaths() {
          return kernelPaths;
        },
      };
    };
    switch (workload) {
      case 'lenet-train-b64':
        return runner(64, lenetTrainer(64));
      case 'lenet-infer-b256': {
        manualSeed(1);
        const model = zoo.lenet5();
        model.eval();
        const x = images(256, [1, 32, 32]);
        return runner(256, () => noGrad(() => model.call(x).data[0]));
      }
      case 'conv64-fwd': {
        const x = conv64Input();
        const [w, b] = conv64Weights();
        return runner(conv64Flops(CONV64.batch), () => noGrad(() => conv2d(x, w, b, { padding: 1 })));
      }
      case 'conv64-fwdbwd': {
        const x = conv64Input();
        const [w, b] = conv64Weights();
        const g = new Tensor(wave(x.size, 3), x.shape);
        return runner(conv64FwdBwdFlops(CONV64.batch), () => {
          x.grad = null;
          w.grad = null;
          b.grad = null;
          conv2d(x, w, b, { padding: 1 }).backward(g);
        });
      }
      case 'cifar-vgg-train-b128':
      case 'resnet18-train-b8-112': {
        const { batch, input } = NETWORK_INPUTS[workload];
        manualSeed(1);
        return runner(batch, trainer(workload === 'cifar-vgg-train-b128' ? cifarVgg() : zoo.resnet18(), batch, input));
      }
      case 'resnet18-infer-b1':
      case 'vgg16-infer-b1': {
        const { batch, input } = NETWORK_INPUTS[workload];
        manualSeed(1);
        const model = workload === 'vgg16-infer-b1' ? zoo.vgg16() : zoo.resnet18();
        model.eval();
        const x = images(batch, input);
        return runner(batch, () => noGrad(() => model.call(x).data[0]));
      }
      case 'lenet-epoch': {
        const { train } = fashionMnist();
        manualSeed(1);
        const model = zoo.lenet5();
        const optimizer = new SGD(model.parameters(), { lr: 0.01, momentum: 0.9 });
        const loader = new DataLoader(train, { batchSize: 64, shuffle: true, seed: 1, transforms: [normalize(FASHION_MNIST_MEAN, FASHION_MNIST_STD), pad(2)] });
        return runner(EPOCH_IMAGES, () => fit(model, { train: loader, optimizer, metrics: [] }));
      }
    }
  }

  async close(): Promise<void> {}
}
