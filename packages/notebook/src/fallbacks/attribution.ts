import type { AttributionData, AttributionMap } from '@convlab/display';
import { escapeHtml } from './html.js';
import { planesImage, pngImg, rasterPng } from './png.js';

const title = (m: AttributionMap): string => `${m.method === 'saliency' ? 'saliency' : `Grad-CAM (${m.layer ?? '?'})`} for ${m.label} (logit ${m.score.toFixed(3)})`;

export function attributionText(d: AttributionData): string {
  return [d.caption, ...d.maps.map((m) => `- ${title(m)}`)].filter((l) => l !== '').join('\n');
}

/** The image, then each map as a gray picture (white = most), with its title. */
export function attributionHtml(d: AttributionData): string {
  const e = escapeHtml;
  const figure = (png: string, w: number, h: number, label: string): string =>
    `<figure style="margin:0;text-align:center;font-size:11px">${pngImg(png, w, h, Math.max(1, Math.ceil(96 / Math.max(w, h))), label)}<figcaption>${e(label)}</figcaption></figure>`;
  const img = planesImage(d.image);
  const parts = [figure(rasterPng(img), img.width, img.height, 'input'), ...d.maps.map((m) => {
    const r = planesImage(m.map);
    return figure(rasterPng(r), r.width, r.height, title(m));
  })];
  return `<div class="convlab-attribution" style="font-family:sans-serif;font-size:13px"><div>${e(d.caption)}</div><div style="display:flex;gap:12px;flex-wrap:wrap">${parts.join('')}</div></div>`;
}
