/**
 * `@convlab/display`: the convlab display contract. MIME types, payload types, validators, payload
 * reading with size caps, and one formatter per quantity. Browser-safe and dependency-free: shared
 * by the kernel side (`@convlab/notebook`, which builds payloads) and the JupyterLab renderer.
 */
export { KINDS, SCHEMA_VERSION, MIME_TYPES, mimeType, kindOfMime, type Kind, type MimeType } from './mime.js';
export {
  toFloatValue, fromFloatValue, finiteOrNull, decodeBase64, dequantize,
  type FloatValue, type ReceptiveField, type QuantizedPlanes,
} from './common.js';
export type { SummaryData, SummaryRow, SummaryTotals } from './summary.js';
export {
  SUMMARY_COLUMNS, DEFAULT_SUMMARY_COLUMNS, SUMMARY_COLUMN_TITLES, NUMERIC_SUMMARY_COLUMNS, summaryCell, trainableFlag, parseSummaryColumns,
  type SummaryColumn,
} from './summary-columns.js';
export type { FeatureMapsData, FeatureMapInput, FeatureMapLayer, ChannelSelection, FeatureMapLimits } from './feature-maps.js';
export type { HistoryData, BatchPoint, EpochPoint, TrainingProgress } from './history.js';
export { lastGoodPoint } from './history.js';
export type { TensorData, TensorValues, TensorImage, TensorPlanes } from './tensor.js';
export { planeCount, planeLabel, describePlanes } from './tensor.js';
export { viridis, viridisGradient } from './colormap.js';
export type { CheckData } from './check.js';
export { MAX_ATTRIBUTION_MAPS, type AttributionData, type AttributionMap } from './attribution.js';
export { MAX_FILTER_TILES, MAX_NORM_CELLS, type FiltersData } from './filters.js';
export { MAX_HEALTH_VALUES, LAYER_COLORS, countTicks, describeLayerHealth, logCounts, type LayerHealthData, type LayerHealthLayer, type HealthHistograms, type HealthRecord } from './layer-health.js';
export { arrayDiff, formatCheckValue, formatTolerance, type DiffRow } from './check.js';
export { MAX_CONFUSION_CLASSES, type ConfusionData, type ConfusionExample, type ClassScoresData } from './confusion.js';
export { MAX_ARITHMETIC_VALUES, checkArithmetic, unitFromArithmetic, type LayerArithmeticData } from './unit-arithmetic.js';
export { avgPoolDivisor, windowArgMax, type WindowCell } from './pool-window.js';
export { MAX_UNIT_TAPS, type UnitData, type ConvUnitData, type PoolUnitData, type LinearUnitData, type LinearTermData, type UnitPosition, type UnitSource } from './unit.js';
export { validate, readKind, readPayload, type PayloadOf, type KindPayload, type Payload, type Validation } from './validate.js';
export { MAX_PAYLOAD_CHARS, exceedsSize } from './payload-size.js';
export {
  formatInteger, formatSi, formatBytes, formatDims, formatShapeList, formatPair, formatReceptiveField, formatReceptiveFieldCell,
  formatShare, formatFloat, formatFloatPlain, formatClock,
} from './format.js';
