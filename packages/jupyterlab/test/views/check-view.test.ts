// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { CheckView } from '../../src/views/check-view.js';
import { CHECK } from '../helpers/payloads.js';

describe('CheckView', () => {
  it('shows a failed check open: ✗, name, computed and expected values, the message', async () => {
    const view = new CheckView();
    await view.render(CHECK);
    expect(view.node.className).toBe('jp-convlab-check jp-convlab-check-failed');
    expect(view.node.getAttribute('role')).toBe('status');
    expect((view.node as HTMLDetailsElement).open).toBe(true);
    expect([...view.node.children].map((c) => c.textContent)).toEqual([
      '✗B6 conv parametersfailed', 'computed 280expected 296exact', 'differs from the expected 296',
    ]);
  });

  it('shows a passed check as one closed line with the value formatted, details inside, and updates in place', async () => {
    const view = new CheckView();
    await view.render(CHECK);
    await view.render({ ...CHECK, name: 'VGG-16 parameters', passed: true, computed: '138357544', expected: '138357544', tolerance: 0.000002446260116994381, message: 'matches' });
    expect(view.node.className).toBe('jp-convlab-check jp-convlab-check-passed');
    expect((view.node as HTMLDetailsElement).open).toBe(false);
    expect(view.node.querySelector('summary')!.textContent).toBe('✓VGG-16 parameters138,357,544');
    expect(view.node.querySelector('.jp-convlab-check-values')!.textContent).toBe('computed 138,357,544expected 138,357,544±2.45e-6');
    expect(view.node.querySelector('.jp-convlab-check-diff')).toBeNull();
  });

  it('rounds float noise and shows an element-by-element diff of failed arrays', async () => {
    const view = new CheckView();
    await view.render({ ...CHECK, computed: '[[1,2.0000001192092896],[3,5]]', expected: '[[1,2],[3,4]]', tolerance: 0.001, message: '5 differs from the expected 4 at [1][1]' });
    expect(view.node.querySelector('.jp-convlab-check-values')!.textContent).toBe('computed [[1, 2], [3, 5]]expected [[1, 2], [3, 4]]±0.001');
    const rows = [...view.node.querySelectorAll('.jp-convlab-check-diff tr')].map((r) => [r.className, r.textContent]);
    expect(rows).toEqual([['', 'indexcomputedexpected'], ['', '[0][0]11'], ['', '[0][1]22'], ['', '[1][0]33'], ['jp-convlab-check-differs', '[1][1]54']]);
    expect(view.node.querySelector('.jp-convlab-check-diff-note')!.textContent).toBe('1 of 4 elements differs');
    await view.render({ ...CHECK, computed: JSON.stringify(Array.from({ length: 40 }, (_, i) => (i === 30 ? -1 : i))), expected: JSON.stringify(Array.from({ length: 40 }, (_, i) => i)) });
    const shown = [...view.node.querySelectorAll('.jp-convlab-check-diff tr')].slice(1).map((r) => r.firstChild!.textContent);
    expect(shown).toHaveLength(24);
    expect(shown).toContain('[30]');
    expect(view.node.querySelector('.jp-convlab-check-diff-note')!.textContent).toBe('1 of 40 elements differs (24 shown)');
  });

  it('shows markup in any field as text', async () => {
    const view = new CheckView();
    const hostile = '<script>globalThis.pwned = true</script><img src=x onerror="globalThis.pwned = true">';
    await view.render({ ...CHECK, name: hostile, computed: hostile, message: hostile });
    expect(view.node.querySelectorAll('script, img')).toHaveLength(0);
    expect(view.node.querySelector('.jp-convlab-check-name')!.textContent).toBe(hostile);
  });
});
