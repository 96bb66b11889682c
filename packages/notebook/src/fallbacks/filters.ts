import { decodeBase64, formatFloatPlain, type FiltersData } from '@convlab/display';
import { escapeHtml } from './html.js';
import { pngImg, rasterPng, type Raster } from './png.js';

const GAP = 1;

/** `conv1: 6 filters of 1×5×5, weights -0.5231 … 0.6102; shown: 6 filters × 1 input channel (gray, 128 = 0)`. */
export function filtersText(d: FiltersData): string {
  const [out, inC, kh, kw] = d.weightShape;
  const shown = d.mode === 'rgb' ? `${d.outputs.length} filters as RGB images (gray 128 = 0)`
    : d.mode === 'channels' ? `${d.outputs.length} filters × ${d.inputs.length} input channel${d.inputs.length === 1 ? '' : 's'} (gray, 128 = 0)`
      : `‖kernel‖₂ of ${d.outputs.length} filters × ${d.inputs.length} input channels (black 0 → white ${formatFloatPlain(d.planes.max[0]!, 4)})`;
  return `${d.layer}: ${out} filters of ${inC}×${kh}×${kw}, weights ${formatFloatPlain(d.min, 4)} … ${formatFloatPlain(d.max, 4)}; shown: ${shown}`;
}

/**
 * The grid as one picture: `channels` one gray tile per output (row) × input (column), `rgb` one
 * color tile per output in a row, `norms` the `[outputs, inputs]` map; tiles 1 pixel apart on white.
 */
export function filtersRaster(d: FiltersData): Raster {
  const [c, h, w] = d.planes.shape;
  const bytes = decodeBase64(d.planes.data);
  if (d.mode === 'norms') return { width: w, height: h, channels: 1, pixels: bytes };
  const rgb = d.mode === 'rgb';
  const rows = rgb ? 1 : d.outputs.length;
  const cols = rgb ? d.outputs.length : d.inputs.length;
  const width = cols * (w + GAP) - GAP, height = rows * (h + GAP) - GAP;
  const pixels = new Uint8Array(3 * width * height).fill(255);
  for (let t = 0; t < c / (rgb ? 3 : 1); t++) {
    const x0 = (t % cols) * (w + GAP), y0 = Math.floor(t / cols) * (h + GAP);
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const at = 3 * ((y0 + y) * width + x0 + x);
        for (let k = 0; k < 3; k++) pixels[at + k] = bytes[((rgb ? 3 * t + k : t) * h + y) * w + x]!;
      }
    }
  }
  return { width, height, channels: 3, pixels };
}

export function filtersPng(d: FiltersData): string {
  return rasterPng(filtersRaster(d));
}

export function filtersHtml(d: FiltersData): string {
  const r = filtersRaster(d);
  const scale = Math.max(1, Math.min(12, Math.floor(480 / Math.max(r.width, r.height))));
  const text = filtersText(d);
  return `<figure class="convlab-filters" style="margin:0;font-family:sans-serif;font-size:12px">${pngImg(rasterPng(r), r.width, r.height, scale, text)}` +
    `<figcaption>${escapeHtml(text)}</figcaption></figure>`;
}
