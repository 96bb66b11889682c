import { summary, Tensor, zoo } from '@convlab/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { check } from '../../src/kernel/check.js';
import { display, DisplayHandle, rich, JUPYTER_DISPLAY } from '../../src/kernel/display.js';
import { mimeType } from '@convlab/display';
import { installFakeTslab } from '../helpers/fake-tslab.js';
import { CHECK } from '../../../display/test/examples.js';

let cleanup: (() => void) | null = null;
afterEach(() => { cleanup?.(); cleanup = null; vi.restoreAllMocks(); });

function kernel(): ReturnType<typeof installFakeTslab> {
  const fake = installFakeTslab();
  cleanup = fake.remove;
  return fake;
}

describe('display in the tslab kernel', () => {
  it('sends ONE display_data with the whole bundle and a display id', () => {
    const { sent } = kernel();
    display(Tensor.from([1, 2, 3]), { name: 'v' });
    expect(sent.length).toBe(1);
    const [{ content, update }] = sent as [typeof sent[0]];
    expect(update).toBe(false);
    expect(Object.keys(content.data)).toEqual([mimeType('tensor'), 'text/html', 'text/plain']);
    expect(content.data[mimeType('tensor')]).toEqual({ name: 'v', shape: [3], stats: { min: 1, max: 3, mean: 2 }, form: 'values', values: [1, 2, 3], truncated: false });
    expect(content.metadata).toEqual({});
    expect(content.transient.display_id).toMatch(/^[0-9a-f]{16}$/);
  });

  it('updates a handle in place: display_data first, then update_display_data with the same id', () => {
    const { sent } = kernel();
    const handle = new DisplayHandle();
    handle.show({ kind: 'check', data: CHECK });
    handle.refresh({ kind: 'check', data: { ...CHECK, computed: '281' } });
    handle.show({ kind: 'check', data: CHECK });
    expect(sent.map((m) => m.update)).toEqual([false, true, true]);
    expect(new Set(sent.map((m) => m.content.transient.display_id))).toEqual(new Set([handle.id]));
  });

  it('rejects what it cannot show', () => {
    kernel();
    expect(() => display({ foo: 1 } as never)).toThrow('display: expected a Tensor, a summary(), a History from fit, or a convlab payload such as featureMaps(), got an object with keys foo');
  });
});

describe('display in plain Node', () => {
  it('prints the text form; refreshes print nothing', () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    display(Tensor.from([[1, 2], [3, 4]]));
    new DisplayHandle().refresh({ kind: 'check', data: CHECK });
    expect(log.mock.calls).toEqual([['tensor: shape [2, 2] · min 1 · max 4 · mean 2.5\n[[1, 2],\n [3, 4]]']]);
  });
});

describe('check', () => {
  it('shows a passing badge and returns', () => {
    const { sent } = kernel();
    check('B6 conv parameters', 10 * 3 * 3 * 3 + 10, 280);
    expect(sent.length).toBe(1);
    expect(sent[0]!.content.data[mimeType('check')]).toMatchObject({ name: 'B6 conv parameters', passed: true, computed: '280' });
  });

  it('shows a failing badge, then throws with the check name so the cell fails', () => {
    const { sent } = kernel();
    expect(() => check('B5 FC parameters', 3 * 256 * 256 * 1000, 196_609_000))
      .toThrow("check 'B5 FC parameters' failed: 196608000 differs from the expected 196609000");
    expect(sent[0]!.content.data['text/plain']).toBe('✗ B5 FC parameters: computed 196,608,000, expected 196,609,000 (exact) — 196608000 differs from the expected 196609000');
  });

  it('rejects a negative tolerance before comparing', () => {
    expect(() => check('x', 1, 1, { tolerance: -1 })).toThrow("check 'x': tolerance must be a finite number ≥ 0, got -1");
  });
});

describe('display of a model summary', () => {
  it('sends the summary kind', () => {
    const { sent } = kernel();
    display(summary(zoo.lenet5(), [1, 32, 32]));
    expect(Object.keys(sent[0]!.content.data)).toEqual([mimeType('summary'), 'text/html', 'text/plain']);
    expect(sent[0]!.content.data['text/plain']).toMatch(/^LeNet5 on input \[1, 32, 32\]\n/);
  });
});

describe("a cell's last value (Symbol.for('Jupyter.display'), read by Deno's kernel)", () => {
  it('gives tensors the same bundle display() sends', () => {
    const { sent } = kernel();
    const t = Tensor.from([[1, -2], [3, 4]]);
    display(t);
    const bundle = (t as unknown as Record<symbol, () => Record<string, unknown>>)[Symbol.for('Jupyter.display')]!();
    expect(bundle).toEqual(sent[0]!.content.data);
    expect(Object.keys(bundle).sort()).toEqual([mimeType('tensor'), 'text/html', 'text/plain'].sort());
    expect(typeof bundle[mimeType('tensor')]).toBe('object');
  });

  it('wraps summaries (plain objects) with rich()', () => {
    const s = summary(zoo.lenet5(), [1, 32, 32]);
    const bundle = rich(s)[JUPYTER_DISPLAY]();
    expect((bundle[mimeType('summary')] as { totals: { params: number } }).totals.params).toBe(61706);
    expect(bundle['text/plain']).toContain('61,706');
    expect(() => rich({ nope: 1 } as never)).toThrow('display: expected a Tensor, a summary(), a History from fit, or a convlab payload such as featureMaps(), got an object with keys nope');
  });
});
