import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeBase64, kindOfMime, mimeType, readPayload, validate } from '../src/index.js';
import { CHECK, FEATUREMAPS, HISTORY, SUMMARY, TENSOR_VALUES } from './examples.js';

/** A deep copy with one change applied, so each case breaks exactly one thing. */
// biome-ignore lint/suspicious/noExplicitAny: the change edits arbitrary paths of a copied payload
function broken<T>(value: T, change: (copy: any) => void): unknown {
  const copy = structuredClone(value);
  change(copy);
  return copy;
}

describe('MIME types', () => {
  it('are versioned vendor types and map back to their kind', () => {
    expect(mimeType('featuremaps')).toBe('application/vnd.convlab.featuremaps.v1+json');
    expect(kindOfMime('application/vnd.convlab.history.v1+json')).toBe('history');
    expect(kindOfMime('application/vnd.convlab.history.v2+json')).toBeNull();
    expect(kindOfMime('application/vnd.convlab.plot.v1+json')).toBeNull();
    expect(kindOfMime('text/html')).toBeNull();
  });
});

describe('validate', () => {
  it('accepts a valid payload of each kind', () => {
    expect(validate('summary', SUMMARY)).toEqual({ ok: true, data: SUMMARY });
    expect(validate('featuremaps', FEATUREMAPS).ok).toBe(true);
    expect(validate('history', HISTORY).ok).toBe(true);
    expect(validate('tensor', TENSOR_VALUES).ok).toBe(true);
    expect(validate('check', CHECK).ok).toBe(true);
  });

  it('names the path, the expectation and the value of every problem', () => {
    const bad = broken(SUMMARY, (s) => { s.rows[0].params = -1; s.rows[2].trainable = 50000; delete s.totals.macs; });
    expect(validate('summary', bad)).toEqual({ ok: false, errors: [
      'summary.rows[0].params: expected a non-negative integer, got -1',
      'summary.rows[2].trainable: 50000 trainable exceeds 47050 params',
      'summary.totals.macs: expected a non-negative integer, got nothing',
    ] });
    expect(validate('check', 'passed')).toEqual({ ok: false, errors: ['check: expected an object, got "passed"'] });
  });

  it('checks receptive fields', () => {
    const bad = broken(SUMMARY, (s) => { s.rows[0].receptiveField = { size: [5], stride: [0, 1], padding: [2, 2] }; });
    expect(validate('summary', bad)).toEqual({ ok: false, errors: [
      'summary.rows[0].receptiveField.size: expected an array of 2, got an array of 1',
      'summary.rows[0].receptiveField.stride[0]: expected an integer ≥ 1, got 0',
    ] });
  });

  it('checks quantized planes against their shape and range', () => {
    const bad = broken(FEATUREMAPS, (f) => { f.layers[0].maps.data = 'AA=='; f.layers[0].maps.min = [0]; f.input.image.max = [-1]; });
    expect(validate('featuremaps', bad)).toEqual({ ok: false, errors: [
      'featuremaps.input.image.min[0]: 0 is above max -1',
      'featuremaps.layers[0].maps.data: expected 2 bytes for shape [2,1,1], got 1',
      "featuremaps.layers[0].maps.min: expected 2 values (range 'channel'), got 1",
    ] });
    const notBase64 = broken(FEATUREMAPS, (f) => { f.input.image.data = 'AH/@gA=='; });
    expect(validate('featuremaps', notBase64)).toEqual({ ok: false, errors: ['featuremaps.input.image.data: expected base64 text, got "AH/@gA=="'] });
  });

  it('checks channel selections against the layer shape and the stored maps', () => {
    const bad = broken(FEATUREMAPS, (f) => { f.layers[0].channels.included = [0, 1, 2]; });
    expect(validate('featuremaps', bad)).toEqual({ ok: false, errors: ['featuremaps.layers[0].maps.shape[0]: expected 3 (channels included), got 2'] });
    const unsorted = broken(FEATUREMAPS, (f) => { f.layers[0].channels.included = [2, 0]; f.layers[0].channels.page = { index: 3, count: 2, size: 2 }; });
    expect(validate('featuremaps', unsorted)).toEqual({ ok: false, errors: [
      'featuremaps.layers[0].channels.included: expected at least one channel index, strictly ascending',
      'featuremaps.layers[0].channels.page.index: page 3 does not exist among 2 pages',
    ] });
  });

  it('accepts non-finite floats only in their JSON spelling', () => {
    expect(validate('history', broken(HISTORY, (h) => { h.batches[0].loss = null; }))).toEqual({ ok: false, errors: [
      'history.batches[0].loss: expected a number or "NaN"/"Infinity"/"-Infinity", got null',
    ] });
    expect(validate('history', broken(HISTORY, (h) => { h.progress.batch = 3; }))).toEqual({ ok: false, errors: [
      'history.progress.batch: batch 3 is past 2 batches per epoch',
    ] });
  });

  it('checks that tensor values match the shape unless truncated', () => {
    expect(validate('tensor', broken(TENSOR_VALUES, (t) => { t.values.pop(); }))).toEqual({ ok: false, errors: [
      'tensor.values: 3 values for 4 elements with truncated=false',
    ] });
    expect(validate('tensor', broken(TENSOR_VALUES, (t) => { t.values.pop(); t.truncated = true; })).ok).toBe(true);
    expect(validate('tensor', broken(TENSOR_VALUES, (t) => { t.form = 'table'; }))).toEqual({ ok: false, errors: [
      'tensor.form: expected "values" or "image" or "planes", got "table"',
    ] });
  });
});

describe('readPayload', () => {
  it('accepts an object or a JSON string of one and tags it with its kind', () => {
    const mime = mimeType('check');
    expect(readPayload(mime, CHECK)).toEqual({ ok: true, data: { kind: 'check', data: CHECK } });
    expect(readPayload(mime, JSON.stringify(CHECK))).toEqual({ ok: true, data: { kind: 'check', data: CHECK } });
    expect(readPayload(mime, '{"name":')).toMatchObject({ ok: false, errors: [expect.stringMatching(/^check: the payload is a string that is not JSON/)] });
    expect(readPayload('application/json', CHECK)).toEqual({ ok: false, errors: ['application/json: not a convlab v1 MIME type'] });
  });
});

describe('decodeBase64', () => {
  it('decodes what Node encodes, at every padding length', () => {
    for (const n of [0, 1, 2, 3, 4, 5, 256]) {
      const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 37 + 11) % 256);
      expect(decodeBase64(Buffer.from(bytes).toString('base64'))).toEqual(bytes);
    }
  });
});

describe('the schema module', () => {
  it('imports nothing but its own files, so it runs in a browser', () => {
    const dir = join(__dirname, '../src');
    for (const file of readdirSync(dir)) {
      const imports = [...readFileSync(join(dir, file), 'utf8').matchAll(/from '([^']+)'/g)].map((m) => m[1]);
      expect(imports.filter((i) => !i!.startsWith('./')), file).toEqual([]);
    }
  });
});
