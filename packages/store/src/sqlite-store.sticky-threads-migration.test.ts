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
  directory = mkdtempSync(join(tmpdir(), 'ngb-store-sticky-'));
});
afterEach(() => rmSync(directory, { recursive: true, force: true }));

/** A database as the versions before `0017_sticky_threads_and_heartbeats` left it, with one `mention` wiring. */
async function createOldDatabase(path: string): Promise<void> {
  const database = new Database(path);
  const db = new Kysely<unknown>({ dialect: createSqliteDialect(database as unknown as BetterSqliteDatabase, true) });
  const older = Object.fromEntries(
    Object.entries(sqliteMigrations).filter(([name]) => name < '0017_sticky_threads_and_heartbeats'),
  );
  await migrateToLatest(db, older, createRecordingLogger(), path);
  await db.destroy();
  const raw = new Database(path);
  raw.exec(`
    INSERT INTO agents (id, folder, name, instructions_file, timezone, created_at, updated_at)
      VALUES ('a1', 'one', 'One', 'AGENTS.md', 'UTC', 1, 1);
    INSERT INTO chats (id, channel, platform_chat_id, name, is_group, unknown_sender_policy, status, created_at, updated_at)
      VALUES ('c1', 'test', 'p1', 'Group', 1, 'public', 'active', 1, 1);
    INSERT INTO wirings (id, chat_id, agent_id, engage, session_mode, created_at)
      VALUES ('w1', 'c1', 'a1', 'mention', 'per-thread', 1);
  `);
  expect(() => raw.exec(`UPDATE wirings SET engage = 'mention-sticky' WHERE id = 'w1'`)).toThrow(
    'wirings.engage must be one of always, pattern, mention',
  );
  raw.close();
}

describe('migration 0017_sticky_threads_and_heartbeats on a database made by the earlier migrations', () => {
  it('lets a wiring become mention-sticky and still refuses unknown engage values written behind the repositories', async () => {
    const path = join(directory, 'old.db');
    await createOldDatabase(path);
    const store = await createSqliteStore({ path });
    expect(await store.wirings.update('w1', { engage: 'mention-sticky' })).toMatchObject({ engage: 'mention-sticky' });
    const { session } = await store.sessions.getOrCreate({ agentId: 'a1', chatId: 'c1', threadId: 't1' });
    await store.stickyThreads.touch({ agentId: 'a1', chatId: 'c1', threadId: 't1', sessionId: session.id, engagedAt: 7 });
    expect(await store.stickyThreads.lastEngagedAt({ agentId: 'a1', chatId: 'c1', threadId: 't1' })).toBe(7);
    await store.close();
    const raw = new Database(path);
    try {
      expect(() => raw.exec(`UPDATE wirings SET engage = 'sometimes' WHERE id = 'w1'`)).toThrow(
        'wirings.engage must be one of always, pattern, mention, mention-sticky',
      );
      expect(() =>
        raw.exec(
          `INSERT INTO wirings (id, chat_id, agent_id, engage, session_mode, created_at) VALUES ('w2', 'c1', 'a1', 'bogus', 'shared', 1)`,
        ),
      ).toThrow('wirings.engage must be one of always, pattern, mention, mention-sticky');
    } finally {
      raw.close();
    }
  });
});
