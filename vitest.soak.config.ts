import { defineConfig } from 'vitest/config';
import base from './vitest.config.ts';

// `pnpm test:soak`: the long runs (minutes each) that `pnpm test` leaves out; `.ci/run` runs them after it.
export default defineConfig({
  ...base,
  test: { ...base.test, include: ['tests/soak/**/*.soak.ts'], testTimeout: 15 * 60_000, fileParallelism: false },
});
