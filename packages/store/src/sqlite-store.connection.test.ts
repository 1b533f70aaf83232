import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, NgbError } from '@ngb/plugin-sdk';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSqliteStore } from './index';

let directory: string;
beforeEach(() => {
  directory = mkdtempSync(join(tmpdir(), 'ngb-store-connection-'));
});
afterEach(() => rmSync(directory, { recursive: true, force: true }));

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => undefined,
    (error: unknown) => error,
  );
}

describe('opening a SQLite store', () => {
  it('sets WAL, foreign keys, busy timeout and synchronous NORMAL on a file it opens, creating folders', async () => {
    const database = new Database(join(directory, 'given.db'));
    const store = await createSqliteStore({ database });
    expect(database.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(database.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(database.pragma('busy_timeout', { simple: true })).toBe(5000);
    expect(database.pragma('synchronous', { simple: true })).toBe(1);
    await store.close();
    database.close();

    const path = join(directory, 'nested', 'deeper', 'ngb.db');
    const own = await createSqliteStore({ path });
    await own.kv.set('a', 'b', 1);
    await own.close();
    const check = new Database(path);
    expect(check.pragma('journal_mode', { simple: true })).toBe('wal');
    check.close();
  });

  it("bounds the page cache to SQLite's own 2 MB, not the 16 MB better-sqlite3 builds in", async () => {
    // Resident memory of a long-running gateway: a 16 MB cache fills as the database grows and stays.
    const database = new Database(join(directory, 'cache.db'));
    expect(database.pragma('cache_size', { simple: true })).toBe(-16000);
    const store = await createSqliteStore({ database });
    expect(database.pragma('cache_size', { simple: true })).toBe(-2000);
    await store.close();
    database.close();
  });

  it('enforces foreign keys in the schema itself', async () => {
    const database = new Database(':memory:');
    const store = await createSqliteStore({ database });
    const insertWiring = database.prepare(
      "INSERT INTO wirings (id, chat_id, agent_id, engage, session_mode, created_at) VALUES ('w', 'no-chat', 'no-agent', 'always', 'shared', 0)",
    );
    expect(() => insertWiring.run()).toThrow(/FOREIGN KEY/);
    await store.close();
    database.close();
  });

  it('closes only a database it opened', async () => {
    const database = new Database(':memory:');
    const store = await createSqliteStore({ database });
    await store.close();
    expect(database.open).toBe(true);
    database.close();
  });

  it('refuses calls after close with a clear error', async () => {
    const store = await createSqliteStore({ path: ':memory:' });
    await store.close();
    const error = await rejection(store.agents.list());
    expect(NgbError.isInstance(error) && error.code === 'store_closed').toBe(true);
  });

  it.each([
    [{}, 'path'],
    [{ path: ':memory:', database: new Database(':memory:') }, 'path'],
    [{ path: '' }, 'path'],
    [{ path: ':memory:', now: 5 }, 'now'],
    [{ path: ':memory:', generateId: 'id' }, 'generateId'],
    [{ path: ':memory:', logger: {} }, 'logger'],
    [{ database: { not: 'a database' } }, 'database'],
  ])('refuses bad options %# with a ConfigError naming `%s`', async (options, key) => {
    const error = await rejection(createSqliteStore(options as never));
    expect(ConfigError.isInstance(error)).toBe(true);
    expect((error as ConfigError).key).toBe(key);
    expect((error as ConfigError).message).toContain(`\`${key}\``);
  });

  it('refuses a path it cannot open, naming it', async () => {
    const error = await rejection(createSqliteStore({ path: directory }));
    expect(ConfigError.isInstance(error)).toBe(true);
    expect((error as ConfigError).message).toContain(directory);
  });

  it('uses the injected clock and id generator', async () => {
    let next = 0;
    const store = await createSqliteStore({
      path: ':memory:',
      now: () => 1234,
      generateId: () => {
        next += 1;
        return `id-${next}`;
      },
    });
    const agent = await store.agents.create({ folder: 'main', name: 'Main', isMain: true });
    expect(agent).toMatchObject({ id: 'id-1', createdAt: 1234, updatedAt: 1234 });
    await store.close();
    const defaults = await createSqliteStore({ path: ':memory:' });
    const before = Date.now();
    const chat = await defaults.chats.upsert({ channel: 'c', platformChatId: '1', name: 'n', isGroup: false });
    expect(chat.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(chat.createdAt).toBeGreaterThanOrEqual(before);
    await defaults.close();
  });
});
