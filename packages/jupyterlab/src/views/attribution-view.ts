import type { AttributionData } from '@convlab/display';
import { heatDataUrl, planesDataUrl } from '../bitmap.js';
import { element } from '../dom.js';
import type { View } from './view.js';

/** Displayed side of each overlay, in CSS pixels. */
const SIDE = 160;

/**
 * Saliency and Grad-CAM maps laid over their input image (a heat map: black → red → yellow →
 * white), one panel per map side by side, with one opacity slider for all overlays.
 */
export class AttributionView implements View<AttributionData> {
  readonly node = element('div', 'jp-convlab-attribution');

  render(data: AttributionData): Promise<void> {
    const [, h, w] = data.image.shape;
    const width = w >= h ? SIDE : Math.round((SIDE * w) / h);
    const height = h >= w ? SIDE : Math.round((SIDE * h) / w);
    const image = planesDataUrl(data.image);
    const slider = element('input', 'jp-convlab-attribution-opacity');
    slider.type = 'range';
    slider.min = '0';
    slider.max = '100';
    slider.value = '60';
    slider.setAttribute('aria-label', 'overlay opacity');
    const value = element('span', 'jp-convlab-attribution-opacity-value', '60%');
    const controls = element('label', 'jp-convlab-attribution-controls');
    controls.append('overlay opacity ', slider, value);
    const panels = element('div', 'jp-convlab-attribution-panels');
    const overlays: HTMLImageElement[] = [];
    for (const m of data.maps) {
      const panel = element('figure', 'jp-convlab-attribution-panel');
      const stack = element('div', 'jp-convlab-attribution-stack');
      stack.style.width = `${width}px`;
      stack.style.height = `${height}px`;
      const base = element('img', 'jp-convlab-attribution-image');
      base.src = image;
      base.alt = 'input image';
      const overlay = element('img', 'jp-convlab-attribution-overlay');
      overlay.src = heatDataUrl(m.map);
      overlay.alt = `${m.method} map for ${m.label}`;
      overlay.style.opacity = '0.6';
      overlays.push(overlay);
      stack.append(base, overlay);
      const method = m.method === 'saliency' ? 'saliency' : `Grad-CAM · ${m.layer ?? '?'}`;
      panel.append(stack, element('figcaption', undefined, `${method} · ${m.label} (logit ${m.score.toFixed(3)})`));
      panels.append(panel);
    }
    slider.addEventListener('input', () => {
      value.textContent = `${slider.value}%`;
      for (const o of overlays) o.style.opacity = String(Number(slider.value) / 100);
    });
    this.node.replaceChildren(...(data.caption === '' ? [] : [element('div', 'jp-convlab-attribution-caption', data.caption)]), controls, panels);
    return Promise.resolve();
  }

  resize(): void {}

  dispose(): void {}
}
