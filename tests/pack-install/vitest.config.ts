import { defineConfig } from 'vitest/config';
import rootConfig from '../../vitest.config';

// The pack-and-install test runs on its own (`pnpm test:pack`, a step of `.ci/run` after `pnpm test`):
// it packs every package and installs them with npm, which takes minutes. Build first.
export default defineConfig({
  ...rootConfig,
  root: new URL('../..', import.meta.url).pathname,
  test: {
    ...rootConfig.test,
    include: ['tests/pack-install/**/*.test.ts'],
    exclude: [],
    testTimeout: 120_000,
    hookTimeout: 900_000,
  },
});
