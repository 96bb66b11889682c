import { Tensor } from '@convlab/core';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { bundle } from '../src/bundle.js';
import { featureMapsPayload, type LayerActivation } from '../src/payloads/feature-maps.js';
import { tensorPayload } from '../src/payloads/tensor.js';
import { MIME_TYPES, mimeType, readPayload, type Payload } from '@convlab/display';
import { CHECK, HISTORY, SUMMARY } from '../../display/test/examples.js';

/** The MIME types a front end without the convlab extension can show. */
const FALLBACKS = ['text/html', 'image/png', 'text/plain'];

/** Decodes a base64 PNG to its size and gray (first channel) values. */
function readPng(base64: string): { width: number; height: number; gray: number[] } {
  const png = PNG.sync.read(Buffer.from(base64, 'base64'));
  return { width: png.width, height: png.height, gray: Array.from({ length: png.width * png.height }, (_, i) => png.data[4 * i]!) };
}

/** The base64 PNGs inlined in HTML. */
const inlinePngs = (html: string): string[] => [...html.matchAll(/data:image\/png;base64,([A-Za-z0-9+/=]+)/g)].map((m) => m[1]!);

/** Checks what every bundle must be: the convlab type as a JSON object that survives the wire, plus fallbacks. */
function expectWellFormed(p: Payload, keys: string[]): Record<string, unknown> {
  const b = bundle(p) as Record<string, unknown>;
  expect(Object.keys(b)).toEqual(keys);
  const wire = JSON.parse(JSON.stringify(b)) as Record<string, unknown>;
  const mime = mimeType(p.kind);
  expect(typeof wire[mime]).toBe('object');
  expect(readPayload(mime, wire[mime])).toEqual({ ok: true, data: { kind: p.kind, data: p.data } });
  // Without the extension a front end shows the richest fallback it knows; there is always HTML and text.
  expect(Object.keys(b).filter((k) => !MIME_TYPES.includes(k as never)).every((k) => FALLBACKS.includes(k))).toBe(true);
  return b;
}

describe('bundle', () => {
  it('summary: the convlab table, an HTML table and the console table', () => {
    const b = expectWellFormed({ kind: 'summary', data: SUMMARY }, [mimeType('summary'), 'text/html', 'text/plain']);
    expect(b['text/plain']).toBe([
      'Sequential on input [1, 28, 28]',
      'Layer  Type     Arguments                                                Output shape  Params  Param share  Trainable     MACs  Activation memory  Receptive field',
      '─'.repeat(162),
      '0      Conv2d   1, 6, kernel_size=(5, 5), stride=(1, 1), padding=(2, 2)  6×28×28          156         0.3%  yes        117.6 K           18.4 KiB  5×5 (jump 1)',
      '1      Flatten                                                           4704               0               —                0           18.4 KiB  —',
      '2      Linear   in_features=4704, out_features=10, bias=True             10            47,050        99.7%  yes        47.04 K               40 B  whole input',
      'Total params: 47,206',
      'Trainable params: 47,206',
      'Non-trainable params: 0',
      'Multiply-adds (MACs): 164.6 K',
      'Params size (float32): 184.4 KiB',
      'Activation memory (float32, per sample): 36.8 KiB',
    ].join('\n'));
    const html = b['text/html'] as string;
    expect(html).toContain('<td style="padding:2px 8px;border-bottom:1px solid #ddd;white-space:nowrap;text-align:left">1, 6, kernel_size=(5, 5), stride=(1, 1), padding=(2, 2)</td>');
    expect(html.match(/<tr>/g)?.length).toBe(1 + 3 + 6);
  });

  it('check: one compact line when passed (details on click), a badge with both values when failed', () => {
    const b = expectWellFormed({ kind: 'check', data: CHECK }, [mimeType('check'), 'text/html', 'text/plain']);
    expect(b['text/plain']).toBe('✓ B6 conv parameters: 280');
    expect(b['text/html']).toContain('✓</span> <b>B6 conv parameters</b> <code>280</code></summary>');
    expect(b['text/html']).toMatch(/^<details /);
    const failed = bundle({ kind: 'check', data: { ...CHECK, passed: false, computed: '281', message: '281 differs from the expected 280' } });
    expect(failed['text/plain']).toBe('✗ B6 conv parameters: computed 281, expected 280 (exact) — 281 differs from the expected 280');
    expect(failed['text/html']).toContain('background:#c62828');
  });

  it('history: curves as inline SVG, progress and the epoch table', () => {
    const b = expectWellFormed({ kind: 'history', data: HISTORY }, [mimeType('history'), 'text/html', 'text/plain']);
    expect(b['text/plain']).toBe([
      '[██████████████████████████████] stopped: non-finite loss · epoch 1/1 · batch 2/2 · 1000 img/s · 1s elapsed',
      'Epoch  Train loss  Train acc  Val loss  Val acc',
      '───────────────────────────────────────────────',
      '    1           2        0.2         —        —',
      'last batch 2: loss NaN',
    ].join('\n'));
    const html = b['text/html'] as string;
    expect(html.match(/<svg /g)?.length).toBe(2);
    // The NaN batch breaks the loss line: one polyline point for the batch series' only finite value.
    expect(html).toContain('<polyline fill="none" stroke="#1f77b4" stroke-width="1.5" points="');
    // Epochs as the x unit (2 batches per epoch): both charts are labelled so, never 'batch'.
    expect([...html.matchAll(/text-anchor="middle">(epoch|batch)<\/text>/g)].map((m) => m[1])).toEqual(['epoch', 'epoch']);
  });

  it('tensor values: a grid in HTML, nested rows in text, no PNG', () => {
    const b = expectWellFormed({ kind: 'tensor', data: tensorPayload(Tensor.from([[1, 2], [3, 4.5]]), { name: 'w' }) }, [mimeType('tensor'), 'text/html', 'text/plain']);
    expect(b['text/plain']).toBe('w: shape [2, 2] · min 1 · max 4.5 · mean 2.625\n[[1, 2],\n [3, 4.5]]');
    expect((b['text/html'] as string).match(/<td /g)?.length).toBe(4);
    const rank3 = bundle({ kind: 'tensor', data: tensorPayload(Tensor.from([1, 2, 3, 4, 5, 6, 7, 8], [2, 2, 2])) });
    expect(rank3['text/plain']).toBe('tensor: shape [2, 2, 2] · min 1 · max 8 · mean 4.5\n[[[1, 2],\n  [3, 4]],\n\n [[5, 6],\n  [7, 8]]]');
    // HTML: one shaded grid per 2-D slice, like the renderer.
    const html = rank3['text/html'] as string;
    expect([...html.matchAll(/<figcaption[^>]*>([^<]*)<\/figcaption>/g)].map((m) => m[1])).toEqual(['[0, :, :]', '[1, :, :]']);
    expect(html.match(/<td /g)?.length).toBe(8);
    expect(html).toContain('background:rgba(31,119,180,0.60);">8</td>');
  });

  it('tensor planes: labelled viridis tiles and a colour bar in HTML, character shades in text, saying how many planes', () => {
    // [3, 2, 20, 20]: plane k holds the value k everywhere; 6 planes, all stored, 20×20 each.
    const values = Float32Array.from({ length: 6 * 400 }, (_, i) => Math.floor(i / 400));
    const b = expectWellFormed({ kind: 'tensor', data: tensorPayload(Tensor.from(values, [3, 2, 20, 20]), { name: 'w' }) }, [mimeType('tensor'), 'text/html', 'text/plain']);
    const text = (b['text/plain'] as string).split('\n');
    expect(text.slice(0, 3)).toEqual([
      'w: shape [3, 2, 20, 20] · min 0 · max 5 · mean 2.5',
      'all 6 planes ([0, 0, :, :] … [2, 1, :, :]) · 20×20 each · one scale 0 … 5',
      "shades ' .:-=+*#%@' from min to max",
    ]);
    expect(text[3]).toBe('[0, 0, :, :]');
    expect(text[4]).toBe(`|${' '.repeat(40)}|`);
    expect(text.at(-1)).toBe(`|${'@'.repeat(40)}|`);
    const html = b['text/html'] as string;
    expect([...html.matchAll(/<figcaption[^>]*>([^<]*)<\/figcaption>/g)].map((m) => m[1])).toEqual(['[0, 0, :, :]', '[0, 1, :, :]', '[1, 0, :, :]', '[1, 1, :, :]', '[2, 0, :, :]', '[2, 1, :, :]']);
    const tiles = inlinePngs(html).map((png) => PNG.sync.read(Buffer.from(png, 'base64')));
    expect(tiles.map((t) => [t.width, t.height])).toEqual([...Array.from({ length: 6 }, () => [20, 20]), [64, 1]]);
    expect([...tiles[0]!.data.subarray(0, 3)]).toEqual([68, 1, 84]); // viridis at the minimum
    expect([...tiles[5]!.data.subarray(0, 3)]).toEqual([253, 231, 37]); // and at the maximum
    expect(html).toContain('width="60" height="60"');
    // 100 planes: 64 stored, the text draws 8 and says where the rest are.
    const many = bundle({ kind: 'tensor', data: tensorPayload(Tensor.from(new Float32Array(100 * 400), [100, 20, 20])) });
    expect((many['text/plain'] as string).split('\n')[1]).toBe('showing 64 of 100 planes ([0, :, :] … [63, :, :]) · 20×20 each · one scale 0 … 0');
    expect((many['text/plain'] as string).split('\n').at(-1)).toBe('(56 more planes in the HTML and JupyterLab views)');
    expect((many['text/html'] as string)).toContain('showing 64 of 100 planes ([0, :, :] … [63, :, :])');
  });

  it('tensor image: image/png with the quantized pixels', () => {
    const values = Float32Array.from({ length: 64 }, (_, i) => i);
    const b = expectWellFormed({ kind: 'tensor', data: tensorPayload(Tensor.from(values, [8, 8])) }, [mimeType('tensor'), 'text/html', 'image/png', 'text/plain']);
    const png = readPng(b['image/png'] as string);
    expect([png.width, png.height]).toEqual([8, 8]);
    expect(png.gray.slice(0, 4)).toEqual([0, 4, 8, 12]); // round(255·i/63)
    expect(png.gray[63]).toBe(255);
    expect(inlinePngs(b['text/html'] as string)).toEqual([b['image/png']]);
  });

  it('feature maps: the input and one tile grid per layer as inline PNGs', () => {
    const input = Tensor.from(Float32Array.from({ length: 16 }, (_, i) => i), [1, 1, 4, 4]);
    const output = Tensor.from([0, 1, 2, 3, 3, 2, 1, 0], [1, 2, 2, 2]);
    const layers: LayerActivation[] = [{ name: '0', type: 'Conv2d', output, receptiveField: { size: [3, 3], stride: [1, 1], padding: [1, 1] } }];
    const b = expectWellFormed({ kind: 'featuremaps', data: featureMapsPayload(input, layers) }, [mimeType('featuremaps'), 'text/html', 'text/plain']);
    expect(b['text/plain']).toBe([
      'Feature maps for input [1, 4, 4] (caps: 64 channels per layer, 56 px per side, 1048576 bytes in all)',
      '  0 Conv2d [2, 2, 2]: channels 0–1 of 2 (page 1/1), receptive field 3×3 (jump 1)',
    ].join('\n'));
    const [inputPng, gridPng] = inlinePngs(b['text/html'] as string).map(readPng);
    expect(inputPng!.gray).toEqual([0, 17, 34, 51, 68, 85, 102, 119, 136, 153, 170, 187, 204, 221, 238, 255]);
    // Two 2×2 tiles side by side with a 1-pixel white gap; each channel scaled to its own range.
    expect([gridPng!.width, gridPng!.height]).toEqual([5, 2]);
    expect(gridPng!.gray).toEqual([0, 85, 255, 255, 170, 170, 255, 255, 85, 0]);
  });
});

/** VGG-16's feature-map shapes for a 224×224 image: every module of `features`, then `avgpool`. */
function vgg16Shapes(): [string, string, number[]][] {
  const shapes: [string, string, number[]][] = [];
  const config = [64, 64, 'M', 128, 128, 'M', 256, 256, 256, 'M', 512, 512, 512, 'M', 512, 512, 512, 'M'] as const;
  let c = 3, side = 224, i = 0;
  for (const v of config) {
    if (v === 'M') {
      side /= 2;
      shapes.push([`features.${i++}`, 'MaxPool2d', [1, c, side, side]]);
    } else {
      c = v;
      shapes.push([`features.${i++}`, 'Conv2d', [1, c, side, side]], [`features.${i++}`, 'ReLU', [1, c, side, side]]);
    }
  }
  shapes.push(['avgpool', 'AdaptiveAvgPool2d', [1, 512, 7, 7]]);
  return shapes;
}

describe('payload caps', () => {
  it('keep a full VGG-16 feature-map display (32 layers, random activations) under 3 MB', () => {
    const pool = new Map<string, Tensor>();
    let seed = 1;
    const random = (n: number): Float32Array => Float32Array.from({ length: n }, () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31));
    const layers = vgg16Shapes().map(([name, type, shape]): LayerActivation => {
      const key = shape.join('x');
      if (!pool.has(key)) pool.set(key, Tensor.from(random(shape.reduce((a, b) => a * b, 1)), shape));
      return { name, type, output: pool.get(key)!, receptiveField: null };
    });
    const data = featureMapsPayload(Tensor.from(random(3 * 224 * 224), [1, 3, 224, 224]), layers);
    expect(data.layers.length).toBe(32);
    // The byte cap leaves 15 channels per layer: 150,528 input bytes + 15·(14·3136 + 9·784 + 7·196 + 49) ≤ 1 MiB.
    expect(new Set(data.layers.map((l) => l.channels.included.length))).toEqual(new Set([15]));
    const size = JSON.stringify({ output_type: 'display_data', data: bundle({ kind: 'featuremaps', data }), metadata: {} }).length;
    expect(size).toBeLessThan(3_000_000);
  });
});
