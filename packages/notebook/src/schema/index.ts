/**
 * `@convlab/notebook/schema`: the convlab MIME types, their payload types and a validator.
 * Browser-safe: shared by the kernel side (which builds payloads) and the JupyterLab renderer.
 */
export { KINDS, SCHEMA_VERSION, MIME_TYPES, mimeType, kindOfMime, type Kind, type MimeType } from './mime.js';
export { toFloatValue, fromFloatValue, decodeBase64, dequantise, type FloatValue, type ReceptiveField, type QuantisedPlanes } from './common.js';
export type { SummaryData, SummaryRow, SummaryTotals } from './summary.js';
export type { FeatureMapsData, FeatureMapInput, FeatureMapLayer, ChannelSelection, FeatureMapLimits } from './featuremaps.js';
export type { HistoryData, BatchPoint, EpochPoint, TrainingProgress } from './history.js';
export type { TensorData, TensorValues, TensorImage } from './tensor.js';
export type { CheckData } from './check.js';
export { validate, readPayload, type PayloadOf, type KindPayload, type Payload, type Validation } from './validate.js';
