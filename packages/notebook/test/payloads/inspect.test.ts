import { confusionMatrix, explainUnit, ImageDataset, manualSeed, misclassified, Sequential, Conv2d, ReLU, MaxPool2d, Flatten, Linear, Tensor } from '@convlab/core';
import { formatFloatPlain, validate } from '@convlab/display';
import { describe, expect, it } from 'vitest';
import { bundle } from '../../src/bundle.js';
import { confusionPayload } from '../../src/payloads/confusion.js';
import { unitPayload } from '../../src/payloads/unit.js';

function setup(): { model: Sequential; data: ImageDataset } {
  manualSeed(3);
  const model = new Sequential(new Conv2d(1, 2, 3), new ReLU(), new MaxPool2d(2), new Flatten(), new Linear(2 * 2 * 2, 3));
  const n = 40;
  const pixels = Float32Array.from({ length: n * 36 }, (_, i) => Math.sin(i * 0.37));
  const labels = Int32Array.from({ length: n }, (_, i) => i % 3);
  return { model, data: new ImageDataset(pixels, labels, [1, 6, 6], { classes: ['<b>a</b>', 'b', 'c'] }) };
}

describe('confusionPayload', () => {
  it('carries the matrix and scores, and at most examplesPerCell images per cell, most confident first', () => {
    const { model, data } = setup();
    const cm = confusionMatrix(model, data);
    const mistakes = misclassified(model, data, { count: 1000 });
    const p = confusionPayload(cm, mistakes, { examplesPerCell: 2 });
    expect(validate('confusion', p.data).ok).toBe(true);
    expect(p.data.matrix).toEqual(cm.matrix);
    const perCell = new Map<string, number[]>();
    for (const e of p.data.examples) perCell.set(`${e.trueClass},${e.predictedClass}`, [...(perCell.get(`${e.trueClass},${e.predictedClass}`) ?? []), e.confidence]);
    for (const [key, conf] of perCell) {
      const [t, q] = key.split(',').map(Number) as [number, number];
      expect(conf.length).toBe(Math.min(2, cm.matrix[t]![q]!));
      expect(conf).toEqual([...conf].sort((a, b) => b - a));
    }
    expect(p.data.examples[0]!.image.shape).toEqual([1, 6, 6]);
    const b = bundle(p);
    expect(b['text/html']).toContain('&lt;b&gt;a&lt;/b&gt;');
    expect(b['text/html']).not.toContain('<b>a</b>');
    expect(b['text/plain']).toContain(`Confusion matrix: 40 images, accuracy ${(100 * cm.accuracy).toFixed(1)}%`);
    expect(() => confusionPayload(cm, mistakes, { examplesPerCell: 33 })).toThrow('confusionPayload: examplesPerCell must be an integer in [0, 32], got 33');
  });
});

describe('unitPayload', () => {
  it('turns conv and pool explanations into valid payloads with fallbacks', () => {
    const { model } = setup();
    const image = Tensor.from(Array.from({ length: 36 }, (_, i) => i / 36), [1, 6, 6]);
    const conv = unitPayload(explainUnit(model, image, { layer: '0', channel: 1, row: 2, col: 3 }));
    expect(validate('unit', conv.data).ok).toBe(true);
    expect(bundle(conv)['text/plain']).toMatch(/^0 \(Conv2d\) unit channel 1, row 2, col 3: reads the input image rows 2…4, cols 3…5\nΣ products = /);
    const pool = unitPayload(explainUnit(model, image, { layer: '2', channel: 0, row: 1, col: 0 }));
    expect(validate('unit', pool.data).ok).toBe(true);
    expect(bundle(pool)['text/html']).toContain('background:#ffe082');
  });

  it('turns a linear unit into its dot product term by term: every term, or the largest and the rest', () => {
    const { model } = setup();
    const image = Tensor.from(Array.from({ length: 36 }, (_, i) => i / 36), [1, 6, 6]);
    const fc = model.layers[4] as Linear;
    const x = model.layers.slice(0, 4).reduce((y, layer) => layer.call(y), image.reshape([1, 1, 6, 6]));   // Flatten's output [1, 8]
    const all = unitPayload(explainUnit(model, image, { layer: '4', channel: 2, top: 8 }));
    expect(validate('unit', all.data)).toEqual({ ok: true, data: all.data });
    if (all.data.kind !== 'linear') throw new Error('expected a linear unit');
    const byHand = Array.from({ length: 8 }, (_, i) => Math.fround(x.data[i]! * fc.weight.data[2 * 8 + i]!));
    expect(all.data.terms.map((t) => t.index).sort()).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(all.data.terms.map((t) => Math.fround(t.product as number))).toEqual(all.data.terms.map((t) => byHand[t.index]));
    expect(all.data.terms.map((t) => t.position)).toEqual(all.data.terms.map((t) => ({ channel: Math.floor(t.index / 4), row: Math.floor(t.index / 2) % 2, col: t.index % 2 })));
    expect([all.data.rest, all.data.positionsIn?.layer, all.data.inputs]).toEqual([0, '2', 8]);
    expect(all.data.preActivation as number).toBeCloseTo(fc.call(x).data[2]!, 5);
    const top3 = unitPayload(explainUnit(model, image, { layer: '4', channel: 2, top: 3 }));
    if (top3.data.kind !== 'linear') throw new Error('expected a linear unit');
    const listed = top3.data.terms.reduce((s, t) => s + (t.product as number), 0);
    expect(top3.data.rest as number).toBeCloseTo((all.data.sum as number) - listed, 12);
    expect(
      bundle(top3)['text/plain'].split('\n').slice(0, 2)
    ).toEqual(['4 (Linear) output feature 2: Σ of 8 terms input × weight, reading 3 (Flatten)', `the 3 largest of 8 terms by |product|; the other 5 sum to ${formatFloatPlain(top3.data.rest, 4)}:`]);
  });
});

describe('attributionPayload', () => {
  it('lays saliency and Grad-CAM maps of the image size over it', async () => {
    const { gradCam, saliency } = await import('@convlab/core');
    const { attributionPayload } = await import('../../src/payloads/attribution.js');
    const { model } = setup();
    const image = Tensor.from(Array.from({ length: 36 }, (_, i) => i / 36), [1, 6, 6]);
    const p = attributionPayload(image, [saliency(model, image), gradCam(model, image, { layer: '0', target: 2 })], { classes: ['a', 'b', '<c>'], caption: 'one image' });
    expect(validate('attribution', p.data).ok).toBe(true);
    expect(p.data.maps.map((m) => [m.method, m.label, m.layer])).toEqual([['saliency', p.data.maps[0]!.label, null], ['gradcam', '<c>', '0']]);
    expect(bundle(p)['text/plain']).toBe(`one image\n- saliency for ${p.data.maps[0]!.label} (logit ${p.data.maps[0]!.score.toFixed(3)})\n- ` +
      `Grad-CAM (0) for <c> (logit ${p.data.maps[1]!.score.toFixed(3)})`);
    expect(bundle(p)['text/html']).toContain('&lt;c&gt;');
  });
});
