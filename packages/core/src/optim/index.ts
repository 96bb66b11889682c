export { Optimizer, type ParamGroup, type ParamGroupSpec, type Params, type ParamState, type OptimizerStateDict, type BaseHyper, type Hyper } from './optimizer.js';
export { SGD, type SGDOptions } from './sgd.js';
export { Adam, AdamW, type AdamOptions } from './adam.js';
export { RMSprop, type RMSpropOptions } from './rmsprop.js';
export { Adagrad, type AdagradOptions } from './adagrad.js';
export { LRScheduler, StepLR, MultiStepLR, ExponentialLR, LinearLR, CosineAnnealingLR, type SchedulerStateDict } from './lr-scheduler.js';
export { OneCycleLR, type OneCycleLROptions } from './one-cycle-lr.js';
export { ReduceLROnPlateau, type ReduceLROnPlateauOptions, type PlateauStateDict } from './reduce-lr-on-plateau.js';
