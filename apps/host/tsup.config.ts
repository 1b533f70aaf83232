import { definePackageBuild } from '../../tsup.base.ts';

// Everything heavy (core, store, runtime, provider SDKs, channel adapters) stays behind a dynamic
// import of its package, so importing the host costs only its own modules and the channel manifests.
export default definePackageBuild();
