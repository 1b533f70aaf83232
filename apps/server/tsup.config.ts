import { definePackageBuild } from '../../tsup.base.ts';

// hono ships as dozens of small ES modules, each a separate load at `ngb serve`'s start; bundled, the
// parts the server uses load from one file. It stays a dependency for the types in our declarations.
export default definePackageBuild(['src/index.ts'], { noExternal: ['hono'] });
