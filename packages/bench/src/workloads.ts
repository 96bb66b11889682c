/**
 * The benchmark's workloads: the same work for every system, measured as images/s or GFLOP/s.
 * LeNet is the PyTorch tutorial's (32×32 input, conv 5×5 ×6, pool, conv 5×5 ×16, pool, 120, 84,
 * 10), trained with SGD (lr 0.01, momentum 0.9) and cross-entropy. The conv layer is ResNet's
 * 64→64 3×3 (padding 1) on 8×64×56×56. The course-sized networks: a CIFAR VGG-style net (see
 * CIFAR_VGG), torchvision's ResNet-18 and VGG-16; every training step is SGD with momentum 0.9
 * and cross-entropy on fixed inputs.
 */
export type WorkloadName =
  | 'lenet-train-b64' | 'lenet-infer-b256' | 'conv64-fwd' | 'conv64-fwdbwd' | 'lenet-epoch'
  | 'cifar-vgg-train-b128' | 'resnet18-train-b8-112' | 'resnet18-infer-b1' | 'vgg16-infer-b1';

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
  { name: 'cifar-vgg-train-b128', unit: 'img/s', description: 'CIFAR VGG-style net (conv-BN-ReLU ×5, 3 max pools, linear) training step, batch 128, 3×32×32' },
  { name: 'resnet18-train-b8-112', unit: 'img/s', description: 'ResNet-18 training step, batch 8, 3×112×112' },
  { name: 'resnet18-infer-b1', unit: 'img/s', description: 'ResNet-18 inference, batch 1, 3×224×224' },
  { name: 'vgg16-infer-b1', unit: 'img/s', description: 'VGG-16 inference, batch 1, 3×224×224' },
];

/** Workloads measured only when asked for (`--epoch`, or by name with `--workloads`). */
export const onRequest: readonly WorkloadName[] = ['lenet-epoch'];

/**
 * The CIFAR VGG-style net: for each (in, out) pair Conv2d 3×3 pad 1 → BatchNorm2d → ReLU, with a
 * MaxPool2d 2 where the list says 'pool'; then Flatten and Linear(128·4·4 = 2048, 10).
 */
export const CIFAR_VGG: readonly ([number, number] | 'pool')[] = [[3, 32], [32, 32], 'pool', [32, 64], [64, 64], 'pool', [64, 128], 'pool'];

/** Batch and input `[C, H, W]` of each course-sized network workload. */
export const NETWORK_INPUTS = {
  'cifar-vgg-train-b128': { batch: 128, input: [3, 32, 32] },
  'resnet18-train-b8-112': { batch: 8, input: [3, 112, 112] },
  'resnet18-infer-b1': { batch: 1, input: [3, 224, 224] },
  'vgg16-infer-b1': { batch: 1, input: [3, 224, 224] },
} as const;

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
