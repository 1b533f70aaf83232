// The floor of `ngb serve` start → ready: a Node process that loads the code `ngb serve` loads before
// it is ready (the packages below and better-sqlite3's addon, found where the store finds it) and
// exits, running none of it. What serve takes beyond this is the work of starting: opening and
// checking the store, asking the Docker engine, building the gateway and the server, listening.
import { createRequire } from 'node:module';

await Promise.all([
  import('@ngb/host'),
  import('@ngb/core'),
  import('@ngb/server'),
  import('@ngb/store'),
  import('@ngb/runtime'),
  import('@ngb/channel-web'),
  import('@ngb/channel-web/manifest'),
  import('@ngb/llm-openai'),
]);
const fromStore = createRequire(import.meta.resolve('@ngb/store'));
const Database = fromStore('better-sqlite3');
new Database(':memory:', { nativeBinding: fromStore.resolve('better-sqlite3/build/Release/better_sqlite3.node') }).close();
