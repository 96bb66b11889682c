import { fail } from '../errors.js';
import type { Module } from '../nn/module.js';
import { AlexNet } from './alexnet.js';
import { GoogLeNet } from './googlenet.js';
import { FCN } from './fcn.js';
import { LeNet5, LeNetCaffe } from './lenet.js';
import { NiN } from './nin.js';
import { checkZooOptions, type ZooOptions } from './options.js';
import { BasicBlock, Bottleneck, ResNet } from './resnet.js';
import { VGG, VGG_CONFIGS } from './vgg.js';

export { AlexNet } from './alexnet.js';
export { BasicConv2d, GoogLeNet, Inception } from './googlenet.js';
export { FCN, FCNHead, DilatedResNet50, UpsampleToInput } from './fcn.js';
export { LeNet5, LeNetCaffe } from './lenet.js';
export { NiN } from './nin.js';
export type { ZooOptions } from './options.js';
export { BasicBlock, Bottleneck, ResNet } from './resnet.js';
export { VGG, VGG_CONFIGS } from './vgg.js';

/** PyTorch tutorial's LeNet: 1×32×32 input, 61,706 parameters. */
export const lenet5 = (options?: ZooOptions): LeNet5 => new LeNet5(checkZooOptions('lenet5', options));
/** Caffe's MNIST LeNet: 1×28×28 input, 431,080 parameters. */
export const lenetCaffe = (options?: ZooOptions): LeNetCaffe => new LeNetCaffe(checkZooOptions('lenetCaffe', options));
/** torchvision's AlexNet: 61,100,840 parameters. */
export const alexnet = (options?: ZooOptions): AlexNet => new AlexNet(checkZooOptions('alexnet', options));
/** torchvision's VGG-11 (configuration A): 132,863,336 parameters. */
export const vgg11 = (options?: ZooOptions): VGG => new VGG(VGG_CONFIGS.A, false, checkZooOptions('vgg11', options));
/** torchvision's VGG-16 (configuration D): 138,357,544 parameters. */
export const vgg16 = (options?: ZooOptions): VGG => new VGG(VGG_CONFIGS.D, false, checkZooOptions('vgg16', options));
/** torchvision's VGG-16 with batch norm: 138,365,992 parameters. */
export const vgg16bn = (options?: ZooOptions): VGG => new VGG(VGG_CONFIGS.D, true, checkZooOptions('vgg16bn', options));
/** torchvision's ResNet-18: 11,689,512 parameters. */
export const resnet18 = (options?: ZooOptions): ResNet => new ResNet(BasicBlock, [2, 2, 2, 2], checkZooOptions('resnet18', options));
/** torchvision's ResNet-34: 21,797,672 parameters. */
export const resnet34 = (options?: ZooOptions): ResNet => new ResNet(BasicBlock, [3, 4, 6, 3], checkZooOptions('resnet34', options));
/** torchvision's ResNet-50: 25,557,032 parameters. */
export const resnet50 = (options?: ZooOptions): ResNet => new ResNet(Bottleneck, [3, 4, 6, 3], checkZooOptions('resnet50', options));
/** Network in Network (ImageNet): 7,595,176 parameters. */
export const nin = (options?: ZooOptions): NiN => new NiN(checkZooOptions('nin', options));
/** torchvision's GoogLeNet without auxiliary classifiers: 6,624,904 parameters. */
export const googlenet = (options?: ZooOptions): GoogLeNet => new GoogLeNet(checkZooOptions('googlenet', options));
/** torchvision's FCN-ResNet50 for semantic segmentation (21 classes by default, no auxiliary classifier): 32,957,013 parameters. */
export const fcnResnet50 = (options?: ZooOptions): FCN => new FCN(checkZooOptions('fcnResnet50', options));

/** A zoo model with the input it was designed for. */
export interface ZooEntry {
  readonly build: (options?: ZooOptions) => Module;
  /** Input of one sample, `[C, H, W]`, with the default `inChannels`. */
  readonly inputShape: readonly [number, number, number];
  /**
   * What the model's output scores: `'classification'` gives `[N, numClasses]`, `'segmentation'`
   * gives one score map per class, `[N, numClasses, H, W]` for an `[N, C, H, W]` input of any size.
   */
  readonly task: 'classification' | 'segmentation';
}

const imagenet = [3, 224, 224] as const;

/** Every zoo model by name. */
export const catalog = {
  lenet5: { build: lenet5, inputShape: [1, 32, 32], task: 'classification' },
  lenetCaffe: { build: lenetCaffe, inputShape: [1, 28, 28], task: 'classification' },
  alexnet: { build: alexnet, inputShape: imagenet, task: 'classification' },
  vgg11: { build: vgg11, inputShape: imagenet, task: 'classification' },
  vgg16: { build: vgg16, inputShape: imagenet, task: 'classification' },
  vgg16bn: { build: vgg16bn, inputShape: imagenet, task: 'classification' },
  resnet18: { build: resnet18, inputShape: imagenet, task: 'classification' },
  resnet34: { build: resnet34, inputShape: imagenet, task: 'classification' },
  resnet50: { build: resnet50, inputShape: imagenet, task: 'classification' },
  nin: { build: nin, inputShape: imagenet, task: 'classification' },
  googlenet: { build: googlenet, inputShape: imagenet, task: 'classification' },
  fcnResnet50: { build: fcnResnet50, inputShape: imagenet, task: 'segmentation' },
} as const satisfies Record<string, ZooEntry>;

/** A zoo model's name. */
export type ZooName = keyof typeof catalog;

/** The zoo's model names, in catalog order. */
export const names = Object.keys(catalog) as ZooName[];

/**
 * Builds the zoo model `name` with default options (fresh weights, or meta ones inside
 * `withoutWeights`) and returns it with its input shape. Throws a ConvlabError listing the
 * names for an unknown one.
 * @example const { model, inputShape } = zoo.byName('vgg16') // inputShape [3, 224, 224]
 */
export function byName(name: string): { readonly model: Module; readonly inputShape: readonly [number, number, number] } {
  if (!Object.hasOwn(catalog, name)) fail('zoo', `unknown model '${name}'; the zoo has ${names.join(', ')}`);
  const entry: ZooEntry = catalog[name as ZooName];
  return { model: entry.build(), inputShape: entry.inputShape };
}
