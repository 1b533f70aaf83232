import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRecordingLogger } from '@ngb/plugin-sdk/testing';
import Database from 'better-sqlite3';
import { Kysely } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BetterSqliteDatabase } from './group-commit-driver';
import { createSqliteStore } from './index';
import { migrateToLatest } from './migrate';
import { sqliteMigrations } from './migrations/index';
import { createSqliteDialect } from './sqlite-dialect';

let directory: string;
beforeEach(() => {
  directory = mkdtempSync(join(tmpdir(), 'ngb-store-dead-letters-'));
});
afterEach(() => rmSync(directory, { recursive: true, force: true }));

/** A database as the versions before `0018_dead_letters` left it, with a failed, a pending and a sent reply. */
async function createOldDatabase(path: string): Promise<void> {
  const database = new Database(path);
  const db = new Kysely<unknown>({ dialect: createSqliteDialect(database as unknown as BetterSqliteDatabase, true) });
  const older = Object.fromEntries(Object.entries(sqliteMigrations).filter(([name]) => name < '0018_dead_letters'));
  await migrateToLatest(db, older, createRecordingLogger(), path);
  await db.destroy();
  const raw = new Database(path);
  const insert = raw.prepare(
    `INSERT INTO outbox (id, key, channel, chat_id, text, status, attempts, error, permanent_failure, created_at, updated_at)
      VALUES (?, ?, 'telegram', '1001', 'hello', ?, ?, ?, ?, 1, ?)`,
  );
  insert.run('o1', 'k1', 'failed', 6, '500 Internal Server Error', 0, 42);
  insert.run('o2', 'k2', 'pending', 0, null, 0, 43);
  insert.run('o3', 'k3', 'sent', 1, null, 0, 44);
  raw.close();
}

describe('migration 0018_dead_letters on a database made by the earlier migrations', () => {
  it('lists the replies that had already failed, dated by their last update, and can queue them again', async () => {
    const path = join(directory, 'old.db');
    await createOldDatabase(path);
    const store = await createSqliteStore({ path });
    try {
      const failed = await store.outbox.listFailed();
      expect(failed.map((entry) => [entry.id, entry.failedAt, entry.attempts, entry.error])).toEqual([
        ['o1', 42, 6, '500 Internal Server Error'],
      ]);
      expect((await store.outbox.get('o2'))?.failedAt).toBeUndefined();
      expect(await store.outbox.requeue('o1')).toMatchObject({ status: 'pending', attempts: 0 });
      expect((await store.outbox.listPending()).map((entry) => entry.id)).toEqual(['o1', 'o2']);
    } finally {
      await store.close();
    }
  });
});
