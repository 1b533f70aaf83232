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
  directory = mkdtempSync(join(tmpdir(), 'ngb-store-allowed-values-'));
});
afterEach(() => rmSync(directory, { recursive: true, force: true }));

/** A database as the versions before `0004_allowed_values` left it, holding rows they accepted. */
async function createOldDatabase(path: string): Promise<void> {
  const database = new Database(path);
  const db = new Kysely<unknown>({ dialect: createSqliteDialect(database as unknown as BetterSqliteDatabase, true) });
  const older = Object.fromEntries(Object.entries(sqliteMigrations).filter(([name]) => name < '0004_allowed_values'));
  await migrateToLatest(db, older, createRecordingLogger(), path);
  await db.destroy();
  const raw = new Database(path);
  raw.exec(`
    INSERT INTO agents (id, folder, name, instructions_file, timezone, created_at, updated_at)
      VALUES ('a1', 'one', 'One', 'AGENTS.md', 'UTC', 1, 1), ('a2', 'two', 'Two', 'AGENTS.md', 'UTC', 1, 1);
    INSERT INTO chats (id, channel, platform_chat_id, name, is_group, unknown_sender_policy, status, created_at, updated_at)
      VALUES ('c1', 'test', 'p1', 'Odd', 1, 'everyone', 'maybe', 1, 1);
    INSERT INTO wirings (id, chat_id, agent_id, engage, session_mode, created_at)
      VALUES ('w1', 'c1', 'a1', 'bogus', 'shared', 1);
    INSERT INTO users (id, channel, platform_user_id, created_at, updated_at)
      VALUES ('u1', 'test', 'ann', 1, 1), ('u2', 'test', 'bob', 1, 1);
    INSERT INTO user_roles (user_id, role, agent_id, granted_at) VALUES
      ('u1', 'owner', 'a1', 10), ('u1', 'admin', 'a1', 11),
      ('u2', 'owner', 'a2', 12), ('u2', 'owner', NULL, 13);
  `);
  raw.close();
}

function refusal(raw: Database.Database, statement: string): string {
  try {
    raw.exec(statement);
  } catch (error) {
    return (error as Error).message;
  }
  return 'accepted';
}

describe('migration 0004_allowed_values on a database made by the earlier migrations', () => {
  it('keeps every existing row readable and usable, and turns scoped owners into admins of their agent', async () => {
    const path = join(directory, 'old.db');
    await createOldDatabase(path);
    const store = await createSqliteStore({ path });
    expect((await store.wirings.get('w1'))?.engage).toBe('bogus');
    expect(await store.chats.update('c1', { name: 'Renamed' })).toMatchObject({
      name: 'Renamed',
      unknownSenderPolicy: 'everyone',
      status: 'maybe',
    });
    expect(await store.chats.update('c1', { unknownSenderPolicy: 'strict', status: 'active' })).toMatchObject({
      unknownSenderPolicy: 'strict',
      status: 'active',
    });
    const roles = async (userId: string) =>
      (await store.users.listRoles(userId)).map((role) => [role.role, role.agentId ?? null, role.grantedAt]);
    expect(await roles('u1')).toEqual([['admin', 'a1', 11]]);
    expect(await roles('u2')).toEqual([
      ['owner', null, 13],
      ['admin', 'a2', 12],
    ]);
    expect((await store.users.listWithRole('owner', { agentId: 'a1' })).map((user) => user.id)).toEqual(['u2']);
    await store.close();
  });

  it('refuses unknown values and scoped owners written behind the repositories, on insert and on update', async () => {
    const path = join(directory, 'old.db');
    await createOldDatabase(path);
    await (await createSqliteStore({ path })).close();
    const raw = new Database(path);
    try {
      expect(
        refusal(
          raw,
          `INSERT INTO wirings (id, chat_id, agent_id, engage, session_mode, created_at) VALUES ('w2', 'c1', 'a2', 'sometimes', 'shared', 1)`,
        ),
      ).toBe('wirings.engage must be one of always, pattern, mention, mention-sticky');
      expect(refusal(raw, `UPDATE chats SET unknown_sender_policy = 'anyone' WHERE id = 'c1'`)).toBe(
        'chats.unknown_sender_policy must be one of strict, request_approval, public',
      );
      expect(refusal(raw, `UPDATE wirings SET priority = 5 WHERE id = 'w1'`)).toBe('accepted');
      expect(refusal(raw, `INSERT INTO user_roles (user_id, role, agent_id, granted_at) VALUES ('u1', 'owner', 'a2', 20)`)).toBe(
        'user_roles: an owner role cannot be scoped to an agent',
      );
      expect(refusal(raw, `UPDATE user_roles SET role = 'owner' WHERE user_id = 'u1'`)).toBe(
        'user_roles: an owner role cannot be scoped to an agent',
      );
      expect(refusal(raw, `INSERT INTO user_roles (user_id, role, agent_id, granted_at) VALUES ('u1', 'root', NULL, 20)`)).toBe(
        'user_roles.role must be one of owner, admin',
      );
      expect(refusal(raw, `INSERT INTO user_roles (user_id, role, agent_id, granted_at) VALUES ('u1', 'owner', NULL, 20)`)).toBe(
        'accepted',
      );
    } finally {
      raw.close();
    }
  });
});
