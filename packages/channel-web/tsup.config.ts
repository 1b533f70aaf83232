import { definePackageBuild } from '../../tsup.base.ts';

// Two entries: `./manifest` stays light (valibot and plugin-sdk only); the adapter is a chunk its
// `create` imports when the channel is enabled.
export default definePackageBuild({ index: 'src/index.ts', manifest: 'src/manifest.ts' }, { splitting: true });
