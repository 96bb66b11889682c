import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
// @ts-expect-error the build script is plain JavaScript without declarations
import { generateBinarySource } from '../../scripts/build-wasm.mjs';

describe('the embedded WebAssembly kernels', () => {
  it('are what assembly/*.ts compiles to today (run scripts/build-wasm.mjs after editing them)', async () => {
    const committed = readFileSync(new URL('../../src/kernels/wasm/binary.ts', import.meta.url), 'utf8');
    const fresh = (await generateBinarySource()) as string;
    expect(fresh.length).toBeGreaterThan(1000);
    expect(committed === fresh).toBe(true);
  });
});
