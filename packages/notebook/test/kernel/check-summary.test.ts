import { afterEach, describe, expect, it } from 'vitest';
import { check, checkSummary } from '../../src/index.js';
import { installFakeTslab } from '../helpers/fake-tslab.js';

let cleanup: (() => void) | null = null;
afterEach(() => { cleanup?.(); cleanup = null; });

describe('checkSummary', () => {
  it('counts every check by name, the latest result of each, and names the failed ones', () => {
    const fake = installFakeTslab();
    cleanup = fake.remove;
    check('summary test A', 1, 1);
    check('summary test B', [1, 2], [1, 2]);
    check('summary test A', 1, 1);
    checkSummary();
    const text = (i: number): unknown => fake.sent[i]!.content.data['text/plain'];
    expect(text(3)).toMatch(/^✓ \d+ checks passed$/);
    const passedSoFar = Number(/(\d+)/.exec(String(text(3)))![1]);
    expect(() => check('summary test C', 2, 3)).toThrow("check 'summary test C' failed");
    checkSummary();
    expect(text(5)).toBe(`✗ 1 of ${passedSoFar + 1} checks failed: summary test C`);
    expect(fake.sent[5]!.content.data['text/html']).toContain('color:#c62828');
  });
});
