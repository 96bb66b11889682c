import { describe, expect, it } from 'vitest';
import { getBackend } from '../../src/index.js';

describe('backend of this test run', () => {
  it('is the one the vitest project selects (both run the same op tests)', () => {
    expect(['wasm', 'ts']).toContain(process.env.CONVLAB_BACKEND);
    expect(getBackend()).toBe(process.env.CONVLAB_BACKEND);
  });
});
