import type { Checker } from './checker.js';
import { checkPlanes, type QuantizedPlanes } from './common.js';

/** Most maps an attribution display shows side by side. */
export const MAX_ATTRIBUTION_MAPS = 16;

/** One attribution map of the input for one class. */
export interface AttributionMap {
  readonly method: 'saliency' | 'gradcam';
  /** The class explained and its name. */
  readonly target: number;
  readonly label: string;
  /** Grad-CAM: the layer whose maps were weighed; saliency: null. */
  readonly layer: string | null;
  /** The class's logit. */
  readonly score: number;
  /** The map at the input's size, `[1, H, W]`, non-negative (|gradient| or the rectified CAM). */
  readonly map: QuantizedPlanes;
}

/**
 * `application/vnd.convlab.attribution.v1+json`: saliency and Grad-CAM maps laid over their input
 * image, several classes side by side, with an opacity control.
 */
export interface AttributionData {
  /** The input `[C, H, W]`, 1 or 3 channels. */
  readonly image: QuantizedPlanes;
  /** A caption, e.g. `test image 12: Shirt, predicted T-shirt/top`. */
  readonly caption: string;
  readonly maps: readonly AttributionMap[];
}

export function checkAttribution(c: Checker, path: string, value: unknown): value is AttributionData {
  if (!c.object(path, value)) return false;
  const image = value['image'];
  const imageOk = checkPlanes(c, `${path}.image`, image) && c.require(`${path}.image.shape[0]`, [1, 3].includes((image as QuantizedPlanes).shape[0]), `expected 1 or 3 channels, got ` +
    `${(image as QuantizedPlanes).shape[0]}`);
  const ok = [imageOk, c.string(`${path}.caption`, value['caption'])];
  const maps = value['maps'];
  if (c.array(`${path}.maps`, maps) && c.require(`${path}.maps`, maps.length >= 1 && maps.length <= MAX_ATTRIBUTION_MAPS, `expected 1 to ${MAX_ATTRIBUTION_MAPS} maps, got ${maps.length}`)) {
    maps.forEach((m, i) => {
      const p = `${path}.maps[${i}]`;
      if (!c.object(p, m)) { ok.push(false); return; }
      const planes = m['map'];
      const planesOk = checkPlanes(c, `${p}.map`, planes);
      ok.push(
        c.oneOf(`${p}.method`, m['method'], ['saliency', 'gradcam'] as const), c.integer(`${p}.target`, m['target']), c.string(`${p}.label`, m['label']),
        m['layer'] === null || c.string(`${p}.layer`, m['layer']), c.number(`${p}.score`, m['score']), planesOk,
      );
      if (planesOk && imageOk) {
        const [ch, h, w] = (planes as QuantizedPlanes).shape;
        const [, ih, iw] = (image as QuantizedPlanes).shape;
        ok.push(c.require(`${p}.map.shape`, ch === 1 && h === ih && w === iw, `expected [1,${ih},${iw}] (the image's size), got [${ch},${h},${w}]`));
      }
    });
  } else ok.push(false);
  return ok.every(Boolean);
}
