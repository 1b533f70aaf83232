// Loaded into the `ngb serve` of the memory soak only (NODE_OPTIONS=--expose-gc --require ...), never
// part of a build: SIGUSR2 runs a full garbage collection and reports on stderr that it is done, with
// `process.memoryUsage()` (JS heap against resident memory tells JS growth from native growth). With
// NGB_SOAK_SNAPSHOT_DIR set, every `NGB_SOAK_SNAPSHOT_EVERY`th signal (default 4: the soak's rounds
// per reading) also writes a heap snapshot. With NGB_SOAK_DIAG_DIR set, every signal also copies
// `/proc/self/smaps` (which mappings grow: the JS heap's pages, malloc's main heap and arenas, files)
// and counts the active handles by kind, to tell native growth apart from kept sockets or timers.
const { writeFileSync, readFileSync } = require('node:fs');
const { writeHeapSnapshot } = require('node:v8');
const { join } = require('node:path');

const every = Number(process.env.NGB_SOAK_SNAPSHOT_EVERY ?? 4);
let count = 0;
process.on('SIGUSR2', () => {
  if (typeof globalThis.gc !== 'function') {
    process.stderr.write('soak-gc: no gc (run with --expose-gc)\n');
    return;
  }
  globalThis.gc();
  globalThis.gc();
  count += 1;
  const directory = process.env.NGB_SOAK_SNAPSHOT_DIR;
  const snapshot = directory && count % every === 0 ? writeHeapSnapshot(join(directory, `soak-${count}.heapsnapshot`)) : '';
  const usage = process.memoryUsage();
  const memory = Object.entries(usage)
    .map(([key, value]) => `${key}=${Math.round(value / 1024)}`)
    .join(' ');
  const diagnostics = process.env.NGB_SOAK_DIAG_DIR;
  if (diagnostics) {
    writeFileSync(join(diagnostics, `smaps-${count}`), readFileSync('/proc/self/smaps', 'utf8'));
    const handles = {};
    for (const handle of process._getActiveHandles()) {
      const kind = handle?.constructor?.name ?? typeof handle;
      handles[kind] = (handles[kind] ?? 0) + 1;
    }
    writeFileSync(join(diagnostics, `handles-${count}.json`), JSON.stringify({ handles, usage }));
  }
  process.stderr.write(`soak-gc-done ${count} ${memory} ${snapshot}\n`);
});
