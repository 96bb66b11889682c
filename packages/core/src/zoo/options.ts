/** Options every zoo builder takes. */
export interface ZooOptions {
  /** Outputs of the classifier. Default: 10 for the LeNets, 1000 for the ImageNet models. */
  readonly numClasses?: number;
  /** Channels of the input image. Default: 1 for the LeNets, 3 for the ImageNet models. */
  readonly inChannels?: number;
}
