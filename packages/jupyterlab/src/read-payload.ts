import { exceedsSize, MAX_PAYLOAD_CHARS, readKind, type Kind, type PayloadOf } from '@convlab/display';

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
  const result = readKind(kind, data);
  if (!result.ok) return { ok: false, title: `This convlab ${kind} display has malformed data`, errors: result.errors };
  return result;
}
