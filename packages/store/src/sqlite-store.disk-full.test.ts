import { join } from 'node:path';
import { NgbError, type Store } from '@ngb/plugin-sdk';
import { mountSmallDisk } from '@ngb/testing';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { createSqliteStore } from './index';

// The database lives on its own small filesystem, which the test fills up (mounting needs root, as in CI).
const disk = mountSmallDisk('store-disk-full', { required: process.env.CI === 'true' });
const folder = disk.folder ?? '';

let opened: Store | undefined;
afterAll(async () => {
  await opened?.close();
  disk.remove();
});

const settle = (promise: Promise<unknown>) =>
  promise.then(
    () => 'written',
    (error: unknown) => error,
  );

describe.skipIf(disk.folder === undefined)('SQLite store on a full disk', () => {
  it('fails every write of the batch with an error naming the database, loses nothing written before, and writes again once space returns', async () => {
    const path = join(folder, 'ngb.db');
    const store = await createSqliteStore({ path });
    opened = store;
    await store.kv.set('ns', 'before', 'kept');
    disk.fill();

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

    disk.free();
    await store.kv.set('ns', 'after', big);
    expect(await store.kv.get('ns', 'after')).toBe(big);
    await store.close();
    const check = new Database(path, { readonly: true });
    expect(check.pragma('integrity_check', { simple: true })).toBe('ok');
    check.close();
  });
});
