import { validate, type Kind, type PayloadOf } from '@convlab/notebook/schema';
import { exceedsSize, MAX_PAYLOAD_CHARS } from './payload-size.js';

/** A payload ready to render, or why it cannot be shown. */
export type Reading<T> =
  | { readonly ok: true; readonly data: T }
  | { readonly ok: false; readonly title: string; readonly errors: readonly string[] };

/**
 * Reads what JupyterLab holds under a convlab MIME type of `kind`: a JSON object, or a JSON string
 * of one (what `tslab.display.raw` sends). Refuses oversized payloads before parsing or walking
 * them further, then validates against the schema.
 */
export function readModelData<K extends Kind>(kind: K, data: unknown): Reading<PayloadOf[K]> {
  const limit = MAX_PAYLOAD_CHARS[kind];
  if (exceedsSize(data, limit)) {
    return {
      ok: false,
      title: `This convlab ${kind} display is too large to show`,
      errors: [`its data is over ${(limit / 1e6).toFixed(1)} MB of JSON, the most this renderer accepts; display less (fewer layers, channels or points)`],
    };
  }
  let value = data;
  if (typeof data === 'string') {
    try {
      value = JSON.parse(data) as unknown;
    } catch (error) {
      return { ok: false, title: `This convlab ${kind} display has malformed data`, errors: [`${kind}: a string that is not JSON (${(error as Error).message})`] };
    }
  }
  const result = validate(kind, value);
  if (!result.ok) return { ok: false, title: `This convlab ${kind} display has malformed data`, errors: result.errors };
  return { ok: true, data: result.data };
}
