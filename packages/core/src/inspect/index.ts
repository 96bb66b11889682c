export { confusionMatrix, type ConfusionMatrix, type ConfusionMatrixOptions, type ClassScores } from './confusion-matrix.js';
export { misclassified, type Misclassified, type MisclassifiedOptions, type Mistake } from './misclassified.js';
export type { EvaluationData } from './predictions.js';
export { saliency, type Saliency, type SaliencyOptions } from './saliency.js';
export { gradCam, type GradCam, type GradCamOptions } from './grad-cam.js';
export { resizeBilinear } from './bilinear.js';
export { filters, type ConvFilters } from './filters.js';
export { layerStats, type LayerStats, type LayerStatsOptions, type LayerSnapshot, type StatsRecord, type Histogram } from './layer-stats.js';
export {
  explainUnit, type ExplainUnitOptions, type UnitExplanation, type ConvUnit, type PoolUnit, type LinearUnit,
  type UnitRef, type SourceLayer, type FollowingActivation, type Contribution,
} from './explain-unit.js';
export { layerArithmetic, type LayerArithmetic } from './layer-arithmetic.js';
