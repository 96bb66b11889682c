// `optim.lrScheduler`: the learning-rate schedulers (`torch.optim.lr_scheduler`).
export { LRScheduler, StepLR, MultiStepLR, ExponentialLR, LinearLR, CosineAnnealingLR } from '../optim/lr-scheduler.js';
export { OneCycleLR } from '../optim/one-cycle-lr.js';
export { ReduceLROnPlateau } from '../optim/reduce-lr-on-plateau.js';
