import { defineConfig, type Options } from 'tsup';

/** The one build every package shares: ESM with declarations, Node 20 target. */
export function definePackageBuild(entry: Options['entry'] = ['src/index.ts'], extra: Options = {}) {
  return defineConfig({
    entry,
    format: ['esm'],
    // Declarations resolve sibling packages through their built types, not the source `paths` tests use.
    dts: { compilerOptions: { paths: {} } },
    clean: true,
    sourcemap: true,
    target: 'node20',
    platform: 'node',
    splitting: false,
    ...extra,
  });
}
