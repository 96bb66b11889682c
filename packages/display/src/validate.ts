import { Checker } from './checker.js';
import { checkAttribution, type AttributionData } from './attribution.js';
import { checkCheck, type CheckData } from './check.js';
import { checkConfusion, type ConfusionData } from './confusion.js';
import { checkFilters, type FiltersData } from './filters.js';
import { checkLayerHealth, type LayerHealthData } from './layer-health.js';
import { checkFeatureMaps, type FeatureMapsData } from './feature-maps.js';
import { checkHistory, type HistoryData } from './history.js';
import { kindOfMime, type Kind } from './mime.js';
import { checkSummary, type SummaryData } from './summary.js';
import { checkTensor, type TensorData } from './tensor.js';
import { checkUnit, type UnitData } from './unit.js';

/** The payload type of each kind. */
export interface PayloadOf {
  summary: SummaryData;
  featuremaps: FeatureMapsData;
  history: HistoryData;
  tensor: TensorData;
  check: CheckData;
  confusion: ConfusionData;
  unit: UnitData;
  attribution: AttributionData;
  filters: FiltersData;
  layerhealth: LayerHealthData;
}

/** A payload of kind `K`, tagged with its kind. */
export interface KindPayload<K extends Kind> {
  readonly kind: K;
  readonly data: PayloadOf[K];
}

/** Any convlab payload, tagged with its kind. */
export type Payload = { [K in Kind]: KindPayload<K> }[Kind];

/** Result of validation: the typed data, or every problem found (paths start at the kind's name). */
export type Validation<T> = { readonly ok: true; readonly data: T } | { readonly ok: false; readonly errors: readonly string[] };

const CHECKS: { [K in Kind]: (c: Checker, path: string, value: unknown) => boolean } = {
  summary: checkSummary,
  featuremaps: checkFeatureMaps,
  history: checkHistory,
  tensor: checkTensor,
  check: checkCheck,
  confusion: checkConfusion,
  unit: checkUnit,
  attribution: checkAttribution,
  filters: checkFilters,
  layerhealth: checkLayerHealth,
};

/**
 * Checks that `data` is a valid payload of `kind`.
 * @example validate('check', { name: 'B6', passed: true, ... }) // { ok: true, data }
 * @example validate('check', {}) // { ok: false, errors: ['check.name: expected a string, got nothing', ...] }
 */
export function validate<K extends Kind>(kind: K, data: unknown): Validation<PayloadOf[K]> {
  const c = new Checker();
  CHECKS[kind](c, kind, data);
  return c.errors.length === 0 ? { ok: true, data: data as PayloadOf[K] } : { ok: false, errors: c.errors };
}

/**
 * Reads a payload of `kind` as a front end holds it: a JSON object (what convlab sends) or a JSON
 * string of one (what `tslab.display.raw` and some front ends deliver), then validates it.
 */
export function readKind<K extends Kind>(kind: K, data: unknown): Validation<PayloadOf[K]> {
  let value = data;
  if (typeof data === 'string') {
    try {
      value = JSON.parse(data) as unknown;
    } catch (e) {
      return { ok: false, errors: [`${kind}: the payload is a string that is not JSON (${(e as Error).message})`] };
    }
  }
  return validate(kind, value);
}

/**
 * Reads the payload a front end received under `mime` (see {@link readKind}).
 * @example readPayload('application/vnd.convlab.check.v1+json', bundle[mime])
 */
export function readPayload(mime: string, data: unknown): Validation<Payload> {
  const kind = kindOfMime(mime);
  if (kind === null) return { ok: false, errors: [`${mime}: not a convlab v1 MIME type`] };
  const result = readKind(kind, data);
  return result.ok ? { ok: true, data: { kind, data: result.data } as Payload } : result;
}
