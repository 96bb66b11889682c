import { decodeBase64, dequantize, describePlanes, formatFloat, planeLabel, viridisGradient, type TensorPlanes } from '@convlab/display';
import { viridisDataUrl } from '../bitmap.js';
import { element } from '../dom.js';

/** Planes are drawn at least this many CSS pixels a side (small ones enlarged, crisp). */
export const MIN_PLANE_PX = 72;

/**
 * A rank-3 or rank-4 tensor as a grid of heatmaps, one per stored 2-D plane (`[c, :, :]`,
 * `[n, c, :, :]`), all on one viridis scale, like the feature-map view: a note saying how many of the
 * planes are shown ("showing 64 of 192 planes"), the labelled tiles, a colour bar titled `value`
 * with the scale's ends, and a readout of the value under the pointer.
 */
export function planeGrid(data: TensorPlanes): HTMLElement {
  const planes = data.planes;
  const [k, h, w] = planes.shape;
  const f = planes.downsample;
  const bytes = decodeBase64(planes.data);
  const container = element('div', 'jp-convlab-tensor-planes');
  const down = f > 1 ? ` · each pixel the mean of a ${f}×${f} block` : '';
  const readout = element('span', 'jp-convlab-tensor-readout', 'point at a plane to read a value');
  const grid = element('div', 'jp-convlab-tensor-plane-grid');
  const size = Math.max(1, Math.ceil(MIN_PLANE_PX / Math.max(h, w)));
  for (let p = 0; p < k; p++) {
    const figure = element('figure', 'jp-convlab-tensor-plane');
    const img = element('img');
    img.src = viridisDataUrl(planes, bytes, p);
    img.alt = planeLabel(data.shape, p);
    img.width = w * size;
    img.height = h * size;
    img.addEventListener('mousemove', (event) => {
      const x = Math.min(w - 1, Math.max(0, Math.floor((event.offsetX / img.width) * w)));
      const y = Math.min(h - 1, Math.max(0, Math.floor((event.offsetY / img.height) * h)));
      const at = planeLabel(data.shape, p).replace(':, :', f > 1 ? `${y * f}…${y * f + f - 1}, ${x * f}…${x * f + f - 1}` : `${y}, ${x}`);
      readout.textContent = `${at} = ${formatFloat(dequantize(planes, p, bytes[(p * h + y) * w + x]!))}`;
    });
    figure.append(element('figcaption', undefined, img.alt), img);
    grid.append(figure);
  }
  const bar = element('div', 'jp-convlab-colorbar-strip');
  bar.style.background = viridisGradient('to right');
  const legend = element('div', 'jp-convlab-tensor-legend');
  legend.append(element('span', 'jp-convlab-colorbar-title', 'value'), element('span', undefined, formatFloat(planes.min[0]!)), bar, element('span', undefined, formatFloat(planes.max[0]!)), readout);
  container.append(element('div', 'jp-convlab-note', `${describePlanes(data.shape, k)} · ${h}×${w} each${down} · one colour scale`), grid, legend);
  return container;
}
