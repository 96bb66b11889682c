/**
 * The convlab MIME types: one per kind of display, versioned so that a notebook saved today stays
 * readable by a later renderer. The payload under each type is a JSON object (never a JSON string).
 */

/** Every kind of convlab display. */
export const KINDS = ['summary', 'featuremaps', 'history', 'tensor', 'check', 'confusion', 'unit', 'attribution', 'filters', 'layerhealth'] as const;

export type Kind = (typeof KINDS)[number];

/** Schema version carried in every MIME type. */
export const SCHEMA_VERSION = 1;

/** `application/vnd.convlab.<kind>.v1+json`. */
export type MimeType<K extends Kind = Kind> = `application/vnd.convlab.${K}.v1+json`;

/** The MIME type of a kind: `mimeType('summary')` is `application/vnd.convlab.summary.v1+json`. */
export function mimeType<K extends Kind>(kind: K): MimeType<K> {
  return `application/vnd.convlab.${kind}.v${SCHEMA_VERSION}+json` as MimeType<K>;
}

/** All convlab MIME types, in {@link KINDS} order. */
export const MIME_TYPES: readonly MimeType[] = KINDS.map((k) => mimeType(k));

/** The kind of a convlab MIME type of this schema version, or null for any other type. */
export function kindOfMime(mime: string): Kind | null {
  const match = /^application\/vnd\.convlab\.([a-z]+)\.v(\d+)\+json$/.exec(mime);
  if (match === null || Number(match[2]) !== SCHEMA_VERSION) return null;
  return (KINDS as readonly string[]).includes(match[1] as string) ? (match[1] as Kind) : null;
}
