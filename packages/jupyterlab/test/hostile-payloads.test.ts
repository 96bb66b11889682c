// @vitest-environment jsdom
import './helpers/lumino-in-jsdom.js';
import { mimeType, type Kind } from '@convlab/display';
import type { IRenderMime } from '@jupyterlab/rendermime-interfaces';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { rendererFactory } from '../src/extension.js';
import { hostileInspectPayloads, hostilePayloads } from './helpers/hostile-payloads.js';
import { CHECK, featureMaps, history, SUMMARY, TENSOR_VALUES } from './helpers/payloads.js';

vi.mock('plotly.js-cartesian-dist-min', async () => ({ default: (await import('./helpers/fake-plotly.js')).fakePlotly }));

function model(kind: Kind, data: unknown): IRenderMime.IMimeModel {
  return { trusted: false, data: { [mimeType(kind)]: data } as IRenderMime.IMimeModel['data'], metadata: {}, setData: () => undefined };
}

/**
 * Before the render limits these took 3–320 s each (2 cores, jsdom). jsdom is several times slower
 * than a browser and the whole suite shares the cores, so the budget is generous; the DOM size is
 * what keeps the tab usable (the browser test holds a click to 1 s on the same payloads).
 */
const BUDGET_MS = 3000;

function renderer(kind: Kind): IRenderMime.IRenderer {
  return rendererFactory.createRenderer({ mimeType: mimeType(kind), sanitizer: { sanitize: (s: string) => s }, resolver: null, linkHandler: null, latexTypesetter: null });
}

describe('renderers on hostile payloads', () => {
  // jsdom's first style computation takes about a second; a browser pays nothing like it.
  beforeAll(async () => {
    const small: [Kind, unknown][] = [['summary', SUMMARY], ['featuremaps', featureMaps()], ['history', history(3)], ['tensor', TENSOR_VALUES], ['check', CHECK]];
    for (const [kind, data] of small) await renderer(kind).renderModel(model(kind, data));
  });

  for (const { label, kind, data } of [...hostilePayloads(), ...hostileInspectPayloads()]) {
    it(`${label}: renders or refuses within ${BUDGET_MS} ms, injecting nothing`, async () => {
      const r = renderer(kind);
      const json = JSON.stringify(data);
      const start = performance.now();
      await r.renderModel(model(kind, json));
      const elapsed = performance.now() - start;
      expect(elapsed, `${label}: ${elapsed.toFixed(0)} ms`).toBeLessThan(BUDGET_MS);
      // Images the renderers draw themselves are data:image/bmp URLs; any other <img> came from the payload.
      expect(r.node.querySelectorAll('img:not([src^="data:image/bmp;base64,"]), script')).toHaveLength(0);
      expect(r.node.childElementCount).toBeGreaterThan(0);
      expect(r.node.querySelectorAll('*').length, label).toBeLessThan(20_000);
      expect((globalThis as { pwned?: number }).pwned).toBeUndefined();
    });
  }
});
