import { ConvlabError } from '@convlab/core';
import { checkPayload, type Checkable, type CheckOptions } from '../payloads/check.js';
import { DisplayHandle } from './display.js';

/**
 * An exercise check: compares what the notebook computed with the expected value (numbers within
 * `tolerance`, arrays and tensors element by element), shows a pass/fail badge, and on a mismatch
 * throws, so the cell fails and `npm run notebooks` reports the check's name.
 * @example check('B6 conv parameters', countParameters(new Conv2d(3, 10, 3)), 280)
 * @example check('B1 cross-correlation', conv2d(x, k), [[4, 3, 4], [2, 4, 3], [2, 3, 4]])
 */
export function check(name: string, computed: Checkable, expected: Checkable, options: CheckOptions = {}): void {
  const tolerance = options.tolerance;
  if (tolerance !== undefined && !(Number.isFinite(tolerance) && tolerance >= 0)) {
    throw new ConvlabError(`check '${name}': tolerance must be a finite number ≥ 0, got ${tolerance}`);
  }
  const data = checkPayload(name, computed, expected, options);
  new DisplayHandle().show({ kind: 'check', data });
  if (!data.passed) throw new ConvlabError(`check '${name}' failed: ${data.message}`);
}
