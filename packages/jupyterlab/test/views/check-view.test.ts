// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { CheckView } from '../../src/views/check-view.js';
import { CHECK } from '../helpers/payloads.js';

describe('CheckView', () => {
  it('shows a failed check: ✗, name, computed and expected values, the message', async () => {
    const view = new CheckView();
    await view.render(CHECK);
    expect(view.node.className).toBe('jp-convlab-check jp-convlab-check-failed');
    expect(view.node.getAttribute('role')).toBe('status');
    expect([...view.node.children].map((c) => c.textContent)).toEqual([
      '✗B6 conv parametersfailed', 'computed 280 · expected 296 (exact comparison)', 'differs from the expected 296',
    ]);
  });

  it('shows a passed check with its tolerance, and updates in place', async () => {
    const view = new CheckView();
    await view.render(CHECK);
    await view.render({ ...CHECK, passed: true, computed: '0.5001', expected: '0.5', tolerance: 0.001, message: 'within 0.001' });
    expect(view.node.className).toBe('jp-convlab-check jp-convlab-check-passed');
    expect(view.node.querySelector('.jp-convlab-check-verdict')!.textContent).toBe('passed');
    expect(view.node.querySelector('.jp-convlab-check-values')!.textContent).toBe('computed 0.5001 · expected 0.5 (tolerance ±0.001)');
  });

  it('shows markup in any field as text', async () => {
    const view = new CheckView();
    const hostile = '<script>globalThis.pwned = true</script><img src=x onerror="globalThis.pwned = true">';
    await view.render({ ...CHECK, name: hostile, computed: hostile, message: hostile });
    expect(view.node.querySelectorAll('script, img')).toHaveLength(0);
    expect(view.node.querySelector('.jp-convlab-check-name')!.textContent).toBe(hostile);
  });
});
