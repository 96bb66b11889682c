import { Conv2d, DataLoader, filters, fit, Flatten, ImageDataset, layerStats, Linear, manualSeed, ReLU, Sequential, SGD, type StatsRecord } from '@convlab/core';
import { decodeBase64, mimeType, validate, viridis, type LayerHealthData } from '@convlab/display';
import { PNG } from 'pngjs';
import { afterEach, describe, expect, it } from 'vitest';
import { bundle } from '../../src/bundle.js';
import { liveLayerHealth } from '../../src/kernel/live-layer-health.js';
import { filtersPayload } from '../../src/payloads/filters.js';
import { layerHealthPayload } from '../../src/payloads/layer-health.js';
import { installFakeTslab } from '../helpers/fake-tslab.js';

let cleanup: (() => void) | null = null;
afterEach(() => { cleanup?.(); cleanup = null; });

/** A conv of 2 filters of 1×2×2 with known weights: [-1, 0, 0.5, 1] and [0.25, -0.5, 0, 0]. */
function twoFilters(): Sequential {
  const model = new Sequential(new Conv2d(1, 2, 2), new Flatten());
  (model.layers[0] as Conv2d).weight.data.set([-1, 0, 0.5, 1, 0.25, -0.5, 0, 0]);
  return model;
}

describe('filtersPayload', () => {
  it('quantizes kernels on one scale symmetric about 0 (byte 128 ≈ 0), one tile per filter × input', () => {
    const p = filtersPayload(filters(twoFilters(), '0'));
    expect(validate('filters', p.data).ok).toBe(true);
    expect({ ...p.data, planes: { ...p.data.planes, data: '' } }).toEqual({
      layer: '0', weightShape: [2, 1, 2, 2], mode: 'channels', outputs: [0, 1], inputs: [0], min: -1, max: 1,
      planes: { shape: [2, 2, 2], downsample: 1, encoding: 'uint8-base64', data: '', range: 'layer', min: [-1], max: [1] },
    });
    // round(255·(w + 1)/2)
    expect([...decodeBase64(p.data.planes.data)]).toEqual([0, 128, 191, 255, 159, 64, 128, 128]);
    const b = bundle(p);
    expect(b['text/plain']).toBe('0: 2 filters of 1×2×2, weights -1 … 1; shown: 2 filters × 1 input channel (gray, 128 = 0)');
    const png = PNG.sync.read(Buffer.from(b['image/png'] as string, 'base64'));
    expect([png.width, png.height]).toEqual([2, 5]);   // two 2×2 tiles stacked, 1 pixel apart
    expect([...png.data.subarray(0, 16)].filter((_, i) => i % 4 === 0)).toEqual([0, 128, 191, 255]);
    expect(b['text/html']).toContain('<figure class="convlab-filters"');
  });

  it('shows kernel norms of deep layers, RGB images of 3-channel kernels, and names bad options', () => {
    const norms = filtersPayload(filters(twoFilters(), '0'), { mode: 'norms' });
    expect(validate('filters', norms.data).ok).toBe(true);
    expect([norms.data.planes.shape, norms.data.planes.min, norms.data.planes.max]).toEqual([[1, 2, 1], [0], [1.5]]);
    expect([...decodeBase64(norms.data.planes.data)]).toEqual([255, 95]);   // ‖k0‖ = 1.5, ‖k1‖ = √0.3125 = 0.559 → 95
    manualSeed(1);
    const rgb = filtersPayload(filters(new Sequential(new Conv2d(3, 4, 1)), '0'));
    expect([rgb.data.mode, rgb.data.inputs, rgb.data.planes.shape]).toEqual(['rgb', [0, 1, 2], [12, 1, 1]]);
    expect(validate('filters', rgb.data).ok).toBe(true);
    expect(PNG.sync.read(Buffer.from(bundle(rgb)['image/png'] as string, 'base64')).width).toBe(7);
    expect(() => filtersPayload(filters(twoFilters(), '0'), { mode: 'rgb' })).toThrow("filtersPayload(layer '0'): mode 'rgb' needs kernels of 3 input channels, got 1");
    expect(() => filtersPayload(filters(twoFilters(), '0'), { outputs: [1, 2] })).toThrow("filtersPayload(layer '0'): outputs must be distinct channels in [0, 1], got [1, 2]");
  });

  it('is refused by the schema when its planes do not match the mode', () => {
    const p = filtersPayload(filters(twoFilters(), '0')).data;
    expect(validate('filters', { ...p, mode: 'norms' })).toEqual({ ok: false, errors: ["filters.planes.shape: expected [1,2,1] for mode 'norms', got [2,2,2]"] });
    expect(validate('filters', { ...p, outputs: [0, 0] })).toEqual({ ok: false, errors: ['filters.outputs[1]: expected a new channel below 2, got 0'] });
    expect(validate('filters', { ...p, mode: 'rgb', inputs: [0] })).toEqual({ ok: false, errors: ['filters.inputs: expected [0,1,2] of a layer with 3 input channels, got [0] of 1'] });
  });
});

/** Two hand-made records of a conv and a ReLU (the ReLU has no weight: null lines and histograms). */
const RECORDS: StatsRecord[] = [1, 2].map((r) => ({
  epoch: 1, batch: 2 * r, step: 2 * r,
  layers: [
    { layer: 'conv', type: 'Conv2d', weightNorm: r, gradNorm: 0.5 / r, updateRatio: r === 1 ? null : 1e-3, deadFraction: null,
      weights: { edges: [-1, 0, 1], counts: [r, 3 - r], below: 0, above: 1 }, grads: null, activations: { edges: [0, 1, 2], counts: [4, r], below: 0, above: 0 } },
    {
      layer: 'relu', type: 'ReLU', weightNorm: null, gradNorm: null, updateRatio: null, deadFraction: 0.25 * r, weights: null, grads: null,
      activations: { edges: [0, 2, 4], counts: [5, 1], below: 0, above: r },
    },
  ],
}));

describe('layerHealthPayload', () => {
  it('turns records into a line per quantity and histograms per record on fixed edges', () => {
    const p = layerHealthPayload({ layers: ['conv', 'relu'], records: RECORDS });
    expect(p.data).toEqual({
      records: [{ step: 2, epoch: 1, batch: 2 }, { step: 4, epoch: 1, batch: 4 }],
      layers: [
        { layer: 'conv', type: 'Conv2d', weightNorm: [1, 2], gradNorm: [0.5, 0.25], updateRatio: [null, 1e-3], deadFraction: [null, null],
          weights: { edges: [-1, 0, 1], counts: [[1, 2], [2, 1]], below: [0, 0], above: [1, 1] }, grads: null,
          activations: { edges: [0, 1, 2], counts: [[4, 1], [4, 2]], below: [0, 0], above: [0, 0] } },
        { layer: 'relu', type: 'ReLU', weightNorm: [null, null], gradNorm: [null, null], updateRatio: [null, null], deadFraction: [0.25, 0.5],
          weights: null, grads: null, activations: { edges: [0, 2, 4], counts: [[5, 1], [5, 1]], below: [0, 0], above: [1, 2] } },
      ],
      progress: null,
    } satisfies LayerHealthData);
    expect(validate('layerhealth', p.data).ok).toBe(true);
    expect(bundle(p)['text/plain']).toBe([
      'layer health of 2 layers · 2 records, steps 2–4',
      'Layer  Type    ‖W‖  ‖∇W‖  update/weight  dead ReLUs',
      '───────────────────────────────────────────────────',
      'conv   Conv2d    2  0.25          0.001',
      'relu   ReLU                                   50.0%',
    ].join('\n'));
  });

  it('draws each quantity\'s histograms in the HTML fallback: a viridis strip per layer on one log scale of counts', () => {
    const html = bundle(layerHealthPayload({ layers: ['conv', 'relu'], records: RECORDS }))['text/html'] as string;
    // Weights: the conv only; gradients: no layer; activations: both.
    expect(html.match(/histograms of \w+ over training<\/div>/g)).toEqual(['histograms of weights over training</div>', 'histograms of activations over training</div>']);
    const strips = [...html.matchAll(/src="data:image\/png;base64,([^"]+)" width="360" height="56" alt="([^"]+)"/g)];
    expect(strips.map((m) => m[2])).toEqual(['conv: histograms of weights over training', 'conv: histograms of activations over training', 'relu: histograms of activations over training']);
    const png = PNG.sync.read(Buffer.from(strips[0]![1]!, 'base64'));
    expect([png.width, png.height]).toEqual([2, 2]); // 2 records × 2 bins
    const pixel = (x: number, y: number): number[] => [...png.data.subarray(4 * (y * 2 + x), 4 * (y * 2 + x) + 3)];
    // Counts [[1, 2], [2, 1]] (record × bin), the most 2: colour viridis(log10(1 + c) / log10(3)), the top row the upper bin.
    const colour = (count: number): number[] => viridis(Math.log10(1 + count) / Math.log10(3));
    expect([pixel(0, 0), pixel(1, 0), pixel(0, 1), pixel(1, 1)]).toEqual([colour(2), colour(1), colour(1), colour(2)]);
    // The bin edges beside the strip (top, then bottom) and the colour scale's ticks: counts 0 and 1 on log10(1 + 5) for the activations.
    expect(html).toContain('<span>1</span><span>-1</span></div></td>');
    expect(html).toContain(`left:${((100 * Math.log10(2)) / Math.log10(6)).toFixed(1)}%;transform:translateX(-50%)">1</span>`);
  });

  it('is refused when a line or a histogram does not have one entry per record', () => {
    const p = layerHealthPayload({ layers: ['conv', 'relu'], records: RECORDS }).data;
    const conv = p.layers[0]!;
    expect(
      validate('layerhealth', { ...p, layers: [{ ...conv, gradNorm: [1], weights: { ...conv.weights!, counts: [[1, 2]] } }] })
    ).toEqual({ ok: false, errors: ['layerhealth.layers[0].gradNorm: expected 2 values (one per record), got 1'] });
    expect(
      validate('layerhealth', { ...p, layers: [{ ...conv, weights: { ...conv.weights!, edges: [0, 0, 1] } }] })
    ).toEqual({ ok: false, errors: ['layerhealth.layers[0].weights.edges: expected at least 2 increasing edges, got [0,0,1]'] });
  });
});

describe('liveLayerHealth', () => {
  it('keeps ONE display updated in place at every record of a real fit, and ends with the final state', () => {
    const fake = installFakeTslab();
    cleanup = fake.remove;
    manualSeed(0);
    const model = new Sequential(new Flatten(), new Linear(4, 3), new ReLU(), new Linear(3, 2));
    const data = new ImageDataset(Float32Array.from({ length: 32 }, (_, i) => Math.sin(i)), Int32Array.from({ length: 8 }, (_, i) => i % 2), [1, 2, 2]);
    const health = liveLayerHealth(model, { every: 2, bins: 4 });
    fit(model, { train: new DataLoader(data, { batchSize: 2 }), optimizer: new SGD(model.parameters(), { lr: 0.1 }), epochs: 2, callbacks: [health] });
    // start, records at steps 2, 4, 6, 8, the end
    expect(fake.sent.map((m) => m.update)).toEqual([false, true, true, true, true, true]);
    expect(new Set(fake.sent.map((m) => m.content.transient.display_id)).size).toBe(1);
    const payloads = fake.sent.map((m) => m.content.data[mimeType('layerhealth')] as LayerHealthData);
    expect(payloads.map((p) => [p.records.length, p.progress])).toEqual([
      [0, { epoch: 0, batch: 0, epochs: 2, batchesPerEpoch: 4, done: false }],
      [1, { epoch: 1, batch: 2, epochs: 2, batchesPerEpoch: 4, done: false }],
      [2, { epoch: 1, batch: 4, epochs: 2, batchesPerEpoch: 4, done: false }],
      [3, { epoch: 2, batch: 2, epochs: 2, batchesPerEpoch: 4, done: false }],
      [4, { epoch: 2, batch: 4, epochs: 2, batchesPerEpoch: 4, done: false }],
      [4, { epoch: 2, batch: 4, epochs: 2, batchesPerEpoch: 4, done: true }],
    ]);
    const last = payloads[5]!;
    expect(validate('layerhealth', last).ok).toBe(true);
    expect(last.layers.map((l) => l.layer)).toEqual(['1', '2', '3']);
    expect(health.records.map((r) => r.step)).toEqual([2, 4, 6, 8]);
    expect(last.layers[0]!.weightNorm).toEqual(health.records.map((r) => r.layers[0]!.weightNorm));
    expect(last.layers[0]!.weights!.counts.map((c) => c!.reduce((a, b) => a + b, 0) + 0)).toEqual(health.records.map((r) => 12 - r.layers[0]!.weights!.below - r.layers[0]!.weights!.above));
    expect(layerStats(model).layers).toEqual(health.layers);
  });
});
