import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    testTimeout: 60_000,
    // Every test on the default (WebAssembly) kernels; the op, layer, model and optimizer tests,
    // PyTorch fixtures included, once more on the reference TypeScript kernels.
    projects: [
      { extends: true, test: { name: 'wasm', include: ['packages/*/test/**/*.test.ts'], env: { CONVLAB_BACKEND: 'wasm' } } },
      { extends: true, test: { name: 'ts', include: ['packages/core/test/{ops,nn,zoo,optim}/**/*.test.ts'], env: { CONVLAB_BACKEND: 'ts' } } },
    ],
  },
});
