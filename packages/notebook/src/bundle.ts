import { attributionHtml, attributionText } from './fallbacks/attribution.js';
import { checkHtml, checkText } from './fallbacks/check.js';
import { confusionHtml, confusionText } from './fallbacks/confusion.js';
import { featureMapsHtml, featureMapsText } from './fallbacks/feature-maps.js';
import { filtersHtml, filtersPng, filtersText } from './fallbacks/filters.js';
import { layerHealthHtml, layerHealthText } from './fallbacks/layer-health.js';
import { historyHtml, historyText } from './fallbacks/history.js';
import { summaryHtml, summaryText } from './fallbacks/summary.js';
import { tensorHtml, tensorPng, tensorText } from './fallbacks/tensor.js';
import { unitHtml, unitText } from './fallbacks/unit.js';
import { mimeType, type Payload } from '@convlab/display';

/**
 * A Jupyter MIME bundle (the `data` of a `display_data` message): the convlab type with its JSON
 * object, `text/html` and `text/plain` fallbacks, and `image/png` (base64) where the payload is one
 * picture.
 */
export interface MimeBundle {
  readonly [mime: string]: unknown;
  readonly 'text/plain': string;
  readonly 'text/html': string;
}

/** The fallbacks of a payload, by kind. */
function fallbacks(p: Payload): { text: string; html: string; png: string | null } {
  switch (p.kind) {
    case 'summary': return { text: summaryText(p.data), html: summaryHtml(p.data), png: null };
    case 'featuremaps': return { text: featureMapsText(p.data), html: featureMapsHtml(p.data), png: null };
    case 'history': return { text: historyText(p.data), html: historyHtml(p.data), png: null };
    case 'tensor': return { text: tensorText(p.data), html: tensorHtml(p.data), png: tensorPng(p.data) };
    case 'check': return { text: checkText(p.data), html: checkHtml(p.data), png: null };
    case 'confusion': return { text: confusionText(p.data), html: confusionHtml(p.data), png: null };
    case 'unit': return { text: unitText(p.data), html: unitHtml(p.data), png: null };
    case 'attribution': return { text: attributionText(p.data), html: attributionHtml(p.data), png: null };
    case 'filters': return { text: filtersText(p.data), html: filtersHtml(p.data), png: filtersPng(p.data) };
    case 'layerhealth': return { text: layerHealthText(p.data), html: layerHealthHtml(p.data), png: null };
  }
}

/**
 * The MIME bundle of a payload.
 * @example bundle({ kind: 'check', data }) // { 'application/vnd.convlab.check.v1+json': data, 'text/html': '<div…', 'text/plain': '✓ …' }
 */
export function bundle(p: Payload): MimeBundle {
  const { text, html, png } = fallbacks(p);
  return { [mimeType(p.kind)]: p.data, 'text/html': html, ...(png === null ? {} : { 'image/png': png }), 'text/plain': text };
}
