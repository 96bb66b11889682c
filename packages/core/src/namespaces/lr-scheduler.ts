// `optim.lrScheduler`: the learning-rate schedulers (`torch.optim.lr_scheduler`).
export { LRScheduler, StepLR, CosineAnnealingLR } from '../optim/lr-scheduler.js';
