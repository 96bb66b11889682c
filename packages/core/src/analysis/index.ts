export { summary, BYTES_PER_VALUE, type Summary, type SummaryRow, type SummaryTotals, type SummaryOptions } from './summary.js';
export { registerLayerRule, layerRule, adaptiveWindow, type LayerRule, type LayerAnalysis } from './layer-rules.js';
export {
  composeField, mergeFields, fieldCovers, fieldIsGlobal, INPUT_FIELD,
  type ReceptiveField, type FieldStep, type FieldState,
} from './receptive-field.js';
export { fcParams, convParams } from './param-count.js';
export { fullyConvolutional } from './fully-convolutional.js';
export { formatSummary } from './format-table.js';
export { summaryJson, type SummaryJson } from './format-json.js';
