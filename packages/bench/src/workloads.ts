/**
 * The benchmark's workloads: the same work for every system, measured as images/s or GFLOP/s.
 * LeNet is the PyTorch tutorial's (32×32 input, conv 5×5 ×6, pool, conv 5×5 ×16, pool, 120, 84,
 * 10), trained with SGD (lr 0.01, momentum 0.9) and cross-entropy. The conv layer is ResNet's
 * 64→64 3×3 (padding 1) on 8×64×56×56.
 */
export type WorkloadName = 'lenet-train-b64' | 'lenet-infer-b256' | 'conv64-fwd' | 'conv64-fwdbwd' | 'lenet-epoch';

export interface Workload {
  readonly name: WorkloadName;
  readonly unit: 'img/s' | 'GFLOP/s';
  readonly description: string;
}

export const workloads: readonly Workload[] = [
  { name: 'lenet-train-b64', unit: 'img/s', description: 'LeNet training step, batch 64 (forward, loss, backward, SGD step)' },
  { name: 'lenet-infer-b256', unit: 'img/s', description: 'LeNet inference, batch 256' },
  { name: 'conv64-fwd', unit: 'GFLOP/s', description: 'conv 8×64×56×56, 64→64, 3×3, pad 1: forward' },
  { name: 'conv64-fwdbwd', unit: 'GFLOP/s', description: 'the same conv: forward + input, weight and bias gradients' },
  { name: 'lenet-epoch', unit: 'img/s', description: 'one Fashion-MNIST epoch of LeNet (60,000 images, batch 64, shuffled)' },
];

/** Geometry of the conv64 workload. */
export const CONV64 = { batch: 8, channels: 64, size: 56, kernel: 3 } as const;

/** Multiply-adds ×2 of the conv64 forward for `batch` images: 2·N·C_out·H·W·C_in·k². */
export function conv64Flops(batch: number): number {
  const { channels: c, size: s, kernel: k } = CONV64;
  return 2 * batch * c * s * s * c * k * k;
}

/** Forward + both gradients (input and weight) cost three times the forward. */
export function conv64FwdBwdFlops(batch: number): number {
  return 3 * conv64Flops(batch);
}

/** Images in one Fashion-MNIST training epoch. */
export const EPOCH_IMAGES = 60000;
