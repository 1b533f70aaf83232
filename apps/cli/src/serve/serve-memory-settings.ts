import { setFlagsFromString } from 'node:v8';

/**
 * Process-wide memory settings of the long-running `ngb serve`, applied before any channel connects.
 *
 * undici's HTTP/1 parser (llhttp) is WebAssembly, compiled once per undici copy in the process (Node's
 * own behind the global fetch, Slack's Socket Mode, Discord's REST client). V8 tiers its hot functions
 * up with TurboFan on background threads; those compile zones (about 35 MB at the peak, measured with
 * heaptrack) stay in glibc's per-thread arenas once freed: 10–20 MB resident for the life of the
 * gateway. Liftoff, V8's baseline WebAssembly compiler, parses a chat API's responses just as well for
 * a gateway's request rates. The flag is read at each WebAssembly compile, so setting it here, after
 * start, is in time.
 */
export function applyServeMemorySettings(): void {
  setFlagsFromString('--liftoff-only');
}
