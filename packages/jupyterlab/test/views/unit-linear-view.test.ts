// @vitest-environment jsdom
import '../helpers/lumino-in-jsdom.js';
import { mimeType, type LinearUnitData } from '@convlab/display';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { rendererFactory } from '../../src/extension.js';
import { LINEAR_ROWS_SHOWN, PLAY_STEP_MS } from '../../src/views/unit-view.js';

async function render(data: unknown): Promise<HTMLElement> {
  const r = rendererFactory.createRenderer({ mimeType: mimeType('unit'), sanitizer: { sanitize: (s: string) => s }, resolver: null, linkHandler: null, latexTypesetter: null });
  await r.renderModel({ trusted: false, data: { [mimeType('unit')]: data } as never, metadata: {}, setData: () => undefined });
  return r.node;
}

/** fc3 output 6: 3 of 5 terms listed (2·1.5 = 3, −4·0.5 = −2, 1·1 = 1), the other two sum to 0.25, bias −0.75. */
const LINEAR: LinearUnitData = {
  kind: 'linear', layer: 'fc3', type: 'Linear', unit: { channel: 6, row: 0, col: 0 },
  source: { layer: 'relu4', type: 'ReLU', shape: [5] }, modelValue: 1.5, inputs: 5,
  terms: [
    { index: 3, input: 2, weight: 1.5, product: 3, position: { channel: 0, row: 1, col: 1 } },
    { index: 0, input: -4, weight: 0.5, product: -2, position: { channel: 0, row: 0, col: 0 } },
    { index: 4, input: 1, weight: 1, product: 1, position: { channel: 1, row: 0, col: 0 } },
  ],
  rest: 0.25, positionsIn: { layer: 'pool2', type: 'MaxPool2d', shape: [2, 2, 2] },
  sum: 2.25, bias: -0.75, preActivation: 1.5, activation: null,
};

afterEach(() => vi.useRealTimers());

describe('unit step-through of a linear unit', () => {
  it('lists the dot product term by term with the running Σ, then the other terms, the bias and the model value', async () => {
    const node = await render(LINEAR);
    expect(node.querySelector('.jp-convlab-unit-title')!.textContent).toBe('fc3 (Linear) · output feature 6 · Σ of 5 terms input × weight, reading relu4 (ReLU)');
    const rows = [...node.querySelectorAll('.jp-convlab-unit-term')].map((tr) => [...tr.children].map((c) => c.textContent));
    expect(rows).toEqual([
      ['1', 'pool2[channel 0, row 1, col 1]', '2.0000', '1.5000', '3.0000', '', '3.0000'],
      ['2', 'pool2[channel 0, row 0, col 0]', '-4.0000', '0.5000', '-2.0000', '', ''],
      ['3', 'pool2[channel 1, row 0, col 0]', '1.0000', '1.0000', '1.0000', '', ''],
    ]);
    expect(
      [...node.querySelectorAll<HTMLElement>('.jp-convlab-unit-bar')].map((b) => [b.style.width, b.classList.contains('jp-convlab-unit-bar-negative')])
    ).toEqual([['60px', false], ['40px', true], ['20px', false]]);
    expect(node.querySelector('.jp-convlab-unit-label')!.textContent).toBe('the 3 largest of 5 terms by |product| (the other 2 are summed below)');
    expect(node.querySelector('.jp-convlab-unit-result')!.textContent).toBe('Σ of the 3 listed terms 2.0000 + the other 2 terms 0.2500 = 2.2500 → + bias -0.7500 = 1.5000');
    expect(node.querySelector('.jp-convlab-unit-agreement')!.textContent).toBe("✓ the model's own value: 1.500000 (equal to float32 precision)");
  });

  it('steps through the terms with next, a click on a row and play', async () => {
    vi.useFakeTimers();
    const node = await render(LINEAR);
    node.querySelector<HTMLButtonElement>('.jp-convlab-unit-next')!.click();
    expect(node.querySelector('.jp-convlab-unit-position')!.textContent).toBe('term 2 of 3');
    expect(node.querySelector('.jp-convlab-unit-running')!.textContent).toBe('running Σ of terms 1…2: 1.0000');
    expect(node.querySelector('.jp-convlab-unit-trace')!.textContent).toBe('pool2[channel 0, row 0, col 0] = -4.0000 × fc3.weight[6, 0] = 0.5000 → -2.0000');
    node.querySelectorAll<HTMLElement>('.jp-convlab-unit-term')[2]!.click();
    expect(node.querySelector('.jp-convlab-unit-lit')!.firstElementChild!.textContent).toBe('3');
    expect(node.querySelector<HTMLButtonElement>('.jp-convlab-unit-next')!.disabled).toBe(true);
    node.querySelector<HTMLButtonElement>('.jp-convlab-unit-play')!.click();
    expect(node.querySelector('.jp-convlab-unit-position')!.textContent).toBe('term 1 of 3');
    vi.advanceTimersByTime(2 * PLAY_STEP_MS);
    expect(node.querySelector('.jp-convlab-unit-position')!.textContent).toBe('term 3 of 3');
    vi.advanceTimersByTime(PLAY_STEP_MS);
    expect(node.querySelector('.jp-convlab-unit-play')!.textContent).toBe('▶ play');
  });

  it(`shows ${LINEAR_ROWS_SHOWN} rows of a long product until asked for all, and refuses malformed terms`, async () => {
    const terms = Array.from({ length: 40 }, (_, i) => ({ index: i, input: 1, weight: 40 - i, product: 40 - i, position: null }));
    const node = await render({ ...LINEAR, inputs: 40, terms, rest: 0, positionsIn: null, sum: 820, bias: 0, preActivation: 820, modelValue: 820 });
    expect(node.querySelectorAll('.jp-convlab-unit-term')).toHaveLength(LINEAR_ROWS_SHOWN);
    expect(node.querySelector('.jp-convlab-unit-where')!.textContent).toBe('relu4[0]');
    node.querySelector<HTMLButtonElement>('.jp-convlab-unit-all-terms')!.click();
    expect(node.querySelectorAll('.jp-convlab-unit-term')).toHaveLength(40);
    expect(node.querySelector('.jp-convlab-unit-label')!.textContent).toBe('all 40 terms, largest |product| first');
    expect(node.querySelector('.jp-convlab-unit-result')!.textContent).toBe('Σ of the 40 terms = 820.0000 → + bias 0.0000 = 820.0000');
    node.querySelector<HTMLButtonElement>('.jp-convlab-unit-all-terms')!.click();
    expect([node.querySelectorAll('.jp-convlab-unit-term').length, node.querySelector('.jp-convlab-unit-all-terms')!.textContent]).toEqual([LINEAR_ROWS_SHOWN, 'show all 40 terms']);
    const bad = await render({ ...LINEAR, terms: [LINEAR.terms[0], { ...LINEAR.terms[1], index: 3 }] });
    expect([...bad.querySelectorAll('.jp-convlab-error li')].map((li) => li.textContent)).toEqual(['unit.terms[1].index: expected a new input index below 5, got 3']);
  });
});
