import { defineConfig } from 'tsup';
import { definePackageBuild } from '../../tsup.base.ts';

export default [
  // Code splitting keeps `ngb --help` fast: each command and everything heavy (core, store, SDKs) is a
  // chunk loaded by a dynamic import only when that command runs. The CommonJS entry below is built
  // beside this one, so this build's clean leaves it.
  definePackageBuild({ index: 'src/index.ts', bin: 'src/bin.ts' }, { splitting: true, clean: ['!ngb.cjs'] }),
  // The `ngb` command (package.json `bin`): answers --help and --version itself, imports `bin.js` for the rest.
  defineConfig({
    entry: { ngb: 'src/ngb.ts' },
    format: ['cjs'],
    target: 'node20',
    platform: 'node',
    dts: false,
    clean: false,
    sourcemap: false,
  }),
];
