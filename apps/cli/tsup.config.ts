import { definePackageBuild } from '../../tsup.base.ts';

// Code splitting keeps `ngb --help` fast: each command and everything heavy (core, store, SDKs) is a
// chunk loaded by a dynamic import only when that command runs.
export default definePackageBuild({ index: 'src/index.ts', bin: 'src/bin.ts' }, { splitting: true });
