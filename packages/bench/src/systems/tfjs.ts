// The @tensorflow/tfjs bundle: tfjs-core with its gradients registered and the cpu backend.
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { time, type BenchSystem, type Runner } from '../system.js';
import { CONV64, conv64Flops, type WorkloadName } from '../workloads.js';
import { cyclicLabels, wave } from './convlab.js';

type Backend = 'cpu' | 'wasm';

/** The tutorial LeNet's weights in tfjs's NHWC/HWIO layouts. */
interface LeNetWeights {
  readonly c1: tf.Variable; readonly b1: tf.Variable;
  readonly c2: tf.Variable; readonly b2: tf.Variable;
  readonly f1: tf.Variable; readonly g1: tf.Variable;
  readonly f2: tf.Variable; readonly g2: tf.Variable;
  readonly f3: tf.Variable; readonly g3: tf.Variable;
}

function lenetWeights(): LeNetWeights {
  let seed = 1;
  const v = (shape: number[]): tf.Variable => tf.variable(tf.randomNormal(shape, 0, 0.1, 'float32', seed++));
  return {
    c1: v([5, 5, 1, 6]), b1: v([6]), c2: v([5, 5, 6, 16]), b2: v([16]),
    f1: v([400, 120]), g1: v([120]), f2: v([120, 84]), g2: v([84]), f3: v([84, 10]), g3: v([10]),
  };
}

/** LeNet's forward with plain ops (what training differentiates). */
function lenetForward(w: LeNetWeights, x: tf.Tensor4D): tf.Tensor2D {
  let h = tf.maxPool(tf.relu(tf.add(tf.conv2d(x, w.c1 as tf.Tensor4D, 1, 'valid'), w.b1)) as tf.Tensor4D, 2, 2, 'valid');
  h = tf.maxPool(tf.relu(tf.add(tf.conv2d(h, w.c2 as tf.Tensor4D, 1, 'valid'), w.b2)) as tf.Tensor4D, 2, 2, 'valid');
  const flat = tf.reshape(h, [x.shape[0], 400]) as tf.Tensor2D;
  const f = tf.relu(tf.add(tf.matMul(flat, w.f1 as tf.Tensor2D), w.g1)) as tf.Tensor2D;
  const g = tf.relu(tf.add(tf.matMul(f, w.f2 as tf.Tensor2D), w.g2)) as tf.Tensor2D;
  return tf.add(tf.matMul(g, w.f3 as tf.Tensor2D), w.g3) as tf.Tensor2D;
}

/** LeNet's forward with tfjs's fused conv/matmul + bias + ReLU kernels (its fast inference path). */
function lenetInference(w: LeNetWeights, x: tf.Tensor4D): tf.Tensor2D {
  let h = tf.maxPool(tf.fused.conv2d({ x, filter: w.c1 as tf.Tensor4D, strides: 1, pad: 'valid', bias: w.b1, activation: 'relu' }), 2, 2, 'valid');
  h = tf.maxPool(tf.fused.conv2d({ x: h, filter: w.c2 as tf.Tensor4D, strides: 1, pad: 'valid', bias: w.b2, activation: 'relu' }), 2, 2, 'valid');
  const flat = tf.reshape(h, [x.shape[0], 400]) as tf.Tensor2D;
  const f = tf.fused.matMul({ a: flat, b: w.f1 as tf.Tensor2D, bias: w.g1, activation: 'relu' });
  const g = tf.fused.matMul({ a: f, b: w.f2 as tf.Tensor2D, bias: w.g2, activation: 'relu' });
  return tf.fused.matMul({ a: g, b: w.f3 as tf.Tensor2D, bias: w.g3 }) as tf.Tensor2D;
}

const images = (n: number): tf.Tensor4D => tf.tensor4d(wave(n * 32 * 32, 0), [n, 32, 32, 1]);

/**
 * TensorFlow.js 4.22 on its `cpu` (plain JavaScript) or `wasm` (XNNPACK, SIMD, one
 * thread in Node) backend. tfjs is NHWC; the layers are the same. Slow paths run a batch of 1.
 */
export class TfjsSystem implements BenchSystem {
  readonly name: string;

  private constructor(private readonly backend: Backend) {
    this.name = `tfjs-${backend}`;
  }

  /** Initializes the backend; the wasm backend is kept single-threaded (threads fail in Node). */
  static async create(backend: Backend): Promise<TfjsSystem> {
    tf.enableProdMode();
    if (backend === 'wasm') tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
    await tf.setBackend(backend);
    if (tf.getBackend() !== backend) throw new Error(`tfjs fell back to the ${tf.getBackend()} backend instead of ${backend}`);
    return new TfjsSystem(backend);
  }

  private async use(): Promise<void> {
    if (tf.getBackend() !== this.backend) await tf.setBackend(this.backend);
  }

  async prepare(workload: WorkloadName): Promise<Runner | { skipped: string }> {
    await this.use();
    const made: tf.Tensor[] = [];
    const keep = <T extends tf.Tensor>(t: T): T => {
      made.push(t);
      return t;
    };
    const runner = (work: number, sample: () => void, note?: string): Runner => ({
      work,
      note,
      run: async (repeat) => {
        await this.use();
        return time(() => tf.tidy(sample), repeat);
      },
      dispose: async () => tf.dispose(made),
    });
    switch (workload) {
      case 'lenet-train-b64': {
        if (this.backend === 'wasm') return { skipped: 'tfjs-backend-wasm has no Conv2DBackpropFilter kernel (cannot train convolutions)' };
        // ~10 s per batch of 64 (its conv weight gradient is slow): a batch of 16 keeps the run short.
        const batch = 16;
        const w = lenetWeights();
        made.push(...Object.values(w));
        const x = keep(images(batch));
        const y = keep(tf.oneHot(tf.tensor1d(cyclicLabels(batch), 'int32'), 10));
        const optimizer = tf.train.momentum(0.01, 0.9);
        return runner(batch, () => {
          const loss = optimizer.minimize(() => tf.losses.softmaxCrossEntropy(y, lenetForward(w, x)) as tf.Scalar, true);
          loss?.dataSync();
        }, `batch ${batch}`);
      }
      case 'lenet-infer-b256': {
        const w = lenetWeights();
        made.push(...Object.values(w));
        const x = keep(images(256));
        return runner(256, () => void lenetInference(w, x).dataSync());
      }
      case 'conv64-fwd':
      case 'conv64-fwdbwd': {
        const { channels, size, kernel } = CONV64;
        // The cpu backend manages ~0.7 GFLOP/s forward and ~0.02 with gradients: one image.
        const batch = this.backend === 'cpu' ? 1 : CONV64.batch;
        const note = batch === 1 ? 'batch 1' : undefined;
        const x = keep(tf.tensor4d(wave(batch * size * size * channels, 0), [batch, size, size, channels]));
        const filter = keep(tf.tensor4d(wave(kernel * kernel * channels * channels, 1).map((v) => v * 0.05), [kernel, kernel, channels, channels]));
        const bias = keep(tf.tensor1d(wave(channels, 2)));
        if (workload === 'conv64-fwd') {
          return runner(conv64Flops(batch), () => void tf.fused.conv2d({ x, filter, strides: 1, pad: 1, bias }).dataSync(), note);
        }
        if (this.backend === 'wasm') return { skipped: 'tfjs-backend-wasm has no Conv2DBackpropFilter kernel' };
        return { skipped: 'the cpu backend\'s weight gradient runs at ~0.02 GFLOP/s (one image would take ~35 s)' };
      }
      case 'lenet-epoch':
        return { skipped: 'an epoch takes minutes to hours' };
      case 'cifar-vgg-train-b128':
      case 'resnet18-train-b8-112':
      case 'resnet18-infer-b1':
      case 'vgg16-infer-b1':
        return { skipped: 'the course-sized networks are not written for this peer' };
    }
  }

  async close(): Promise<void> {}
}
