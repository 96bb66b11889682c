import { checkOptions, opt } from '../options.js';

/** Options every zoo builder takes. */
export interface ZooOptions {
  /** Outputs of the classifier. Default: 10 for the LeNets, 1000 for the ImageNet models. */
  readonly numClasses?: number;
  /** Channels of the input image. Default: 1 for the LeNets, 3 for the ImageNet models. */
  readonly inChannels?: number;
}

/** Checks a zoo builder's options (unknown keys, types), naming the builder: `resnet18: unknown option num_classes, did you mean numClasses?`. */
export function checkZooOptions(name: string, options: ZooOptions | undefined): ZooOptions {
  return checkOptions(name, options, { numClasses: opt.integer, inChannels: opt.integer });
}
