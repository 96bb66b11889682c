// `optim`: optimizers where PyTorch keeps them (`torch.optim`), e.g. `new optim.SGD(params, { lr })`,
// and the schedulers under `optim.lrScheduler` (`torch.optim.lr_scheduler`).
export { Optimizer } from '../optim/optimizer.js';
export { SGD } from '../optim/sgd.js';
export { Adam, AdamW } from '../optim/adam.js';
export { RMSprop } from '../optim/rmsprop.js';
export { Adagrad } from '../optim/adagrad.js';
export * as lrScheduler from './lr-scheduler.js';
