import { ImageDataset } from '@convlab/core';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { samples, sampleScale } from '../../src/index.js';

/** 7 images of 1×2×2 whose pixels all equal 10·i (as bytes), labels 0,1,2,0,1,2,0. */
function grid(): ImageDataset {
  const pixels = Uint8Array.from({ length: 7 * 4 }, (_, k) => 10 * Math.floor(k / 4));
  return new ImageDataset(pixels, Int32Array.from({ length: 7 }, (_, i) => i % 3), [1, 2, 2], { classes: ['cat', 'dog', 'owl'] });
}

const decode = (base64: string): PNG => PNG.sync.read(Buffer.from(base64, 'base64'));

describe('samples', () => {
  it('takes the classes in turn, in dataset order, and enlarges every image pixel by pixel', () => {
    const s = samples(grid(), { count: 5 });
    expect(s.cells.map((c) => [c.index, c.className])).toEqual([[0, 'cat'], [1, 'dog'], [2, 'owl'], [3, 'cat'], [4, 'dog']]);
    const scale = sampleScale(2, 2);
    expect(scale).toBe(56);
    const png = decode(s.cells[1]!.png);
    expect([png.width, png.height]).toEqual([112, 112]);
    expect(png.data[0]).toBe(10);
    expect(s.title).toBe('5 images of 7 (1×2×2, shown 56× enlarged)');
  });

  it('enlarges 28×28 images 4× (at least 3×) and 224×224 ones not at all', () => {
    expect(sampleScale(28, 28)).toBe(4);
    expect(sampleScale(32, 32)).toBe(4);
    expect(sampleScale(224, 224)).toBe(1);
  });

  it('keeps to the chosen classes, by name or label, and says which classes exist', () => {
    expect(samples(grid(), { count: 4, classes: ['owl', 0] }).cells.map((c) => c.index)).toEqual([2, 0, 5, 3]);
    expect(() => samples(grid(), { classes: ['fox'] })).toThrow('samples: unknown class "fox"; the dataset\'s classes are "cat", "dog", "owl"');
    expect(() => samples(grid(), { count: 0 })).toThrow('samples: count must be a positive integer, got 0');
  });

  it('is one HTML table of labelled images with a text fallback', () => {
    const bundle = samples(grid(), { count: 3, columns: 2 }).bundle();
    const html = bundle['text/html'];
    expect(html.match(/<tr>/g)).toHaveLength(2);
    expect(html.match(/<img src="data:image\/png;base64,/g)).toHaveLength(3);
    expect(html).toContain('width="112" height="112" style="max-width:none" alt="dog (image 1)"');
    expect(samples(grid()).columns).toBe(5);
    expect(bundle['text/plain']).toBe('3 images of 7 (1×2×2, shown 56× enlarged)\n#0 cat (label 0)\n#1 dog (label 1)\n#2 owl (label 2)');
  });
});
