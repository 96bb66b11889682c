import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/** `npm run test:install`: the packed packages installed outside the repository (kept out of the unit-test run). */
export default defineConfig({
  root: fileURLToPath(new URL('../..', import.meta.url)),
  test: {
    include: ['tests/install/**/*.test.ts'],
    testTimeout: 600_000,
    hookTimeout: 900_000,
  },
});
