import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';

/**
 * Bytes through the young generation within {@link busyWindowMs} from which it may grow again: more than
 * twice what a whole start-up of `ngb serve` with three channels passes through it (about 28 MB).
 */
const busyBytes = 64 * 1024 * 1024;
const busyWindowMs = 1_000;

/**
 * Whether V8 may grow the young generation, from the minor collections (scavenges) and the bytes each
 * one follows (a semi-space's worth): only while the process allocates at least `busyBytes` within
 * `windowMs`, as under a burst of messages. Start-up (modules loading, channels connecting) and an idle
 * gateway allocate far less, however fast the machine: their young generation stays at V8's initial
 * size instead of growing on start-up garbage to 16 MB per semi-space and staying there. Under load it
 * grows as V8 would grow it by itself. `allowGrowth` is called on each change only; V8 shrinks a grown
 * young generation by itself once the process is idle again.
 */
export function createYoungGenerationPolicy(
  allowGrowth: (allowed: boolean) => void,
  options: { busyBytes: number; windowMs: number } = { busyBytes, windowMs: busyWindowMs },
) {
  const recent: { timeMs: number; bytes: number }[] = [];
  let total = 0;
  let growing = false;
  return {
    /** A minor collection at `timeMs` (any monotonic clock, in milliseconds) after `bytes` allocated. */
    scavenged(timeMs: number, bytes: number): void {
      recent.push({ timeMs, bytes });
      total += bytes;
      for (let oldest = recent[0]; oldest && oldest.timeMs <= timeMs - options.windowMs; oldest = recent[0]) {
        total -= oldest.bytes;
        recent.shift();
      }
      const busy = total >= options.busyBytes;
      if (busy !== growing) {
        growing = busy;
        allowGrowth(busy);
      }
    },
  };
}

/** The young generation's current semi-space: what a scavenge follows, once it filled. */
function semiSpaceBytes(): number {
  const newSpace = getHeapSpaceStatistics().find((space) => space.space_name === 'new_space');
  return (newSpace?.space_size ?? 0) / 2;
}

/**
 * Process-wide memory settings of the long-running `ngb serve`, applied before any channel connects.
 *
 * undici's HTTP/1 parser (llhttp) is WebAssembly, compiled once per undici copy in the process (Node's
 * own behind the global fetch, Slack's Socket Mode). V8 tiers its hot functions up with TurboFan on
 * background threads; those compile zones (about 35 MB at the peak, measured with heaptrack) stay in
 * glibc's per-thread arenas once freed: 10–20 MB resident for the life of the gateway. Liftoff, V8's
 * baseline WebAssembly compiler, parses a chat API's responses just as well for a gateway's request
 * rates. The flag is read at each WebAssembly compile, so setting it here, after start, is in time.
 *
 * The young generation grows (V8 doubles a semi-space up to 16 MB) when much of what it holds survives,
 * which is what loading modules and connecting channels does: without a limit, start-up alone sizes it
 * at 2 × 16 MB, resident until V8's memory reducer runs, tens of seconds later. It grows only once
 * {@link watchYoungGeneration} sees the process allocate fast ({@link createYoungGenerationPolicy}), so a
 * burst of messages still gets the large young generation it is faster with. `--semi-space-growth-factor`
 * is read at each growth.
 */
export function applyServeMemorySettings(): void {
  setFlagsFromString('--liftoff-only');
  setFlagsFromString('--semi-space-growth-factor=1');
}

/**
 * Lets the young generation grow again while the process allocates fast, from the minor collections
 * it observes. Started once the gateway is ready: start-up never allocates enough to let it grow, and
 * `ngb serve` starts without loading Node's performance hooks.
 */
export function watchYoungGeneration(): void {
  const { constants, PerformanceObserver } = process.getBuiltinModule('node:perf_hooks');
  const policy = createYoungGenerationPolicy((allowed) => setFlagsFromString(`--semi-space-growth-factor=${allowed ? 2 : 1}`));
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      if ((entry as { detail?: { kind?: number } }).detail?.kind === constants.NODE_PERFORMANCE_GC_MINOR)
        policy.scavenged(entry.startTime, semiSpaceBytes());
    }
  });
  observer.observe({ entryTypes: ['gc'] });
}
