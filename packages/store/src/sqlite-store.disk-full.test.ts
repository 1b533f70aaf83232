import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, unlinkSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NgbError, type Store } from '@ngb/plugin-sdk';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { createSqliteStore } from './index';

// The database lives on its own small filesystem, which the test fills up (mounting needs root, as in CI).
const folder = mkdtempSync(join(tmpdir(), 'ngb-store-disk-full-'));
const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=4m', 'tmpfs', folder]).status === 0;
if (!mounted && process.env.CI === 'true') throw new Error('the disk-full store test needs `mount -t tmpfs` (run as root)');

let opened: Store | undefined;
afterAll(async () => {
  await opened?.close();
  if (mounted) spawnSync('umount', [folder]);
  rmSync(folder, { recursive: true, force: true });
});

/** Writes zeros to `path` until the filesystem has no room left. */
function fillUp(path: string): void {
  const block = Buffer.alloc(64 * 1024);
  const descriptor = openSync(path, 'w');
  try {
    for (let size = block.length; size > 0; ) {
      try {
        writeSync(descriptor, block, 0, size);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
        size = Math.floor(size / 2);
      }
    }
  } finally {
    closeSync(descriptor);
  }
}

const settle = (promise: Promise<unknown>) =>
  promise.then(
    () => 'written',
    (error: unknown) => error,
  );

describe.skipIf(!mounted)('SQLite store on a full disk', () => {
  it('fails every write of the batch with an error naming the database, loses nothing written before, and writes again once space returns', async () => {
    const path = join(folder, 'ngb.db');
    const store = await createSqliteStore({ path });
    opened = store;
    await store.kv.set('ns', 'before', 'kept');
    const filler = join(folder, 'filler');
    fillUp(filler);

    // Concurrent writes share one batch: each must settle (none left waiting), and the big ones cannot fit.
    const big = 'x'.repeat(256 * 1024);
    const outcomes = await Promise.all([
      settle(store.kv.set('ns', 'a', big)),
      settle(store.kv.set('ns', 'b', big)),
      settle(store.transaction((tx) => tx.kv.set('ns', 'c', big))),
    ]);
    const refused = outcomes.filter((outcome) => outcome !== 'written');
    expect(refused.length).toBeGreaterThan(0);
    for (const error of refused) {
      expect(NgbError.isInstance(error) && error.code === 'store_full').toBe(true);
      expect((error as Error).message).toContain(`the disk holding the database ${path} is full`);
    }
    expect(await store.kv.get('ns', 'before')).toBe('kept');

    unlinkSync(filler);
    await store.kv.set('ns', 'after', big);
    expect(await store.kv.get('ns', 'after')).toBe(big);
    await store.close();
    const check = new Database(path, { readonly: true });
    expect(check.pragma('integrity_check', { simple: true })).toBe('ok');
    check.close();
  });
});
