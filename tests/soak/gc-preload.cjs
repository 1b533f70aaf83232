// Loaded into the `ngb serve` of the memory soak only (NODE_OPTIONS=--expose-gc --require ...), never
// part of a build: SIGUSR2 runs a full garbage collection, writes a heap snapshot when
// NGB_SOAK_SNAPSHOT_DIR is set, and reports on stderr that it is done.
const { writeHeapSnapshot } = require('node:v8');
const { join } = require('node:path');

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
  const snapshot = directory ? writeHeapSnapshot(join(directory, `soak-${count}.heapsnapshot`)) : '';
  process.stderr.write(`soak-gc-done ${count} ${snapshot}\n`);
});
