import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { configDefaults, defineConfig } from 'vitest/config';

// Tests import workspace packages from their sources, so no build is needed between an edit and a test.
const root = fileURLToPath(new URL('.', import.meta.url));
const { compilerOptions } = JSON.parse(readFileSync(`${root}tsconfig.base.json`, 'utf8')) as {
  compilerOptions: { paths: Record<string, [string]> };
};
const alias = Object.entries(compilerOptions.paths)
  .sort(([a], [b]) => b.length - a.length)
  .map(([name, [target]]) => ({ find: new RegExp(`^${name.replace('/', '\\/')}$`), replacement: `${root}${target.slice(2)}` }));

export default defineConfig({
  resolve: { alias },
  test: {
    include: ['packages/*/src/**/*.test.ts', 'apps/*/src/**/*.test.ts', 'apps/*/test/**/*.test.ts', 'tests/**/*.test.ts'],
    // Run on its own by `pnpm test:pack` (see tests/pack-install/vitest.config.ts).
    exclude: [...configDefaults.exclude, 'tests/pack-install/**'],
    pool: 'forks',
    testTimeout: 20_000,
    hookTimeout: 60_000,
    // Enabled by `.ci/test.sh` (`--coverage`): a map of what no test runs, printed one line per package.
    coverage: {
      provider: 'v8',
      include: ['packages/*/src/**/*.{ts,tsx}', 'apps/*/src/**/*.{ts,tsx}', 'apps/server/web/src/**/*.{ts,tsx}'],
      exclude: ['**/*.test.ts', '**/__fixtures__/**', '**/__tests__/**', '**/*.d.ts'],
      reporter: ['json-summary'],
      reportsDirectory: '.ci/out/coverage',
      reportOnFailure: true,
    },
  },
});
