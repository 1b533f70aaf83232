import { definePackageBuild } from '../../tsup.base.ts';

// kysely ships as ~260 small ES modules; loading them one by one was a large share of `ngb serve`'s
// start. Bundled, only the parts the store uses are loaded, from this one file. Its types never
// appear in the store's public declarations, so it is a build-time dependency only.
export default definePackageBuild(['src/index.ts'], { noExternal: ['kysely'] });
