import { definePackageBuild } from '../../tsup.base.ts';

export default definePackageBuild({ index: 'src/index.ts', bin: 'src/bin.ts' });
