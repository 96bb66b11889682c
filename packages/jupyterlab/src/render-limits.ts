/**
 * How much of a (valid) payload the views draw. Payloads come from untrusted notebooks, so every
 * view stays linear in its payload and bounded in what it puts on the page: the rest is summarized
 * in a note, never dropped silently.
 */
export const RENDER_LIMITS = {
  /** Group levels of the parameter table; deeper dotted names nest no further. */
  summaryGroupDepth: 16,
  /** Lines of the parameter table drawn at once. */
  summaryLines: 2_000,
  /** Layers of a feature-map display drawn (each is one plot). */
  featureMapLayers: 32,
  /** Values of a tensor drawn as a table. */
  tensorValues: 1_000,
  /** Dimensions of a tensor the value table labels; higher ranks are shown flat. */
  tensorRank: 32,
  /** Characters of a name, type or message shown; longer ones end in `…`. */
  textChars: 300,
} as const;

/** `text` cut to {@link RENDER_LIMITS.textChars} characters, marked with `…` when cut. */
export function clipText(text: string, limit: number = RENDER_LIMITS.textChars): string {
  return text.length > limit ? `${text.slice(0, limit - 1)}…` : text;
}
