export { accuracy, type Metric } from './metrics.js';
export type { History, BatchRecord, EpochRecord, PassResult, StopRecord } from './history.js';
export { earlyStopping, type Callback, type BatchProgress, type TrainingControl, type TrainingPlan, type EarlyStoppingOptions } from './callbacks.js';
export { evaluate, predict, type LossFunction, type EvaluateOptions } from './evaluate.js';
export { fit, fitAsync, type FitOptions } from './fit.js';
export { captureActivations } from './capture-activations.js';
export { formatProgress, formatEpoch, formatDuration } from './progress-text.js';
