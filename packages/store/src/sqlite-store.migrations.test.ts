import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, NgbError } from '@ngb/plugin-sdk';
import { createRecordingLogger } from '@ngb/plugin-sdk/testing';
import Database from 'better-sqlite3';
import { Kysely, sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BetterSqliteDatabase } from './group-commit-driver';
import { createSqliteStore } from './index';
import { migrateToLatest } from './migrate';
import { sqliteMigrations } from './migrations/index';
import { createSqliteDialect } from './sqlite-dialect';

let directory: string;
beforeEach(() => {
  directory = mkdtempSync(join(tmpdir(), 'ngb-store-migrations-'));
});
afterEach(() => rmSync(directory, { recursive: true, force: true }));

function appliedMigrations(path: string): string[] {
  const database = new Database(path, { readonly: true });
  try {
    return (database.prepare('SELECT name FROM kysely_migration ORDER BY name').all() as Array<{ name: string }>).map(
      (row) => row.name,
    );
  } finally {
    database.close();
  }
}

describe('migrations', () => {
  it('creates the schema on first open and does nothing on the next', async () => {
    const path = join(directory, 'ngb.db');
    const firstLogger = createRecordingLogger();
    const first = await createSqliteStore({ path, logger: firstLogger });
    const agent = await first.agents.create({ folder: 'main', name: 'Main', isMain: true });
    await first.close();
    expect(
      firstLogger.lines.filter((line) => line.message.includes('applied migration')).map((line) => line.fields?.migration),
    ).toEqual(Object.keys(sqliteMigrations));

    const secondLogger = createRecordingLogger();
    const second = await createSqliteStore({ path, logger: secondLogger });
    expect(secondLogger.lines.filter((line) => line.message.includes('applied migration'))).toEqual([]);
    expect(await second.agents.get(agent.id)).toEqual(agent);
    await second.close();
    expect(appliedMigrations(path)).toEqual(Object.keys(sqliteMigrations));
  });

  it('only reads a database that is already current: no write transaction, no migration bookkeeping', async () => {
    const path = join(directory, 'current.db');
    await (await createSqliteStore({ path })).close();
    const database = new Database(path);
    const statements: string[] = [];
    const prepare = database.prepare.bind(database);
    const recording = Object.assign(database, {
      prepare: (source: string) => {
        statements.push(source);
        return prepare(source);
      },
    });
    const store = await createSqliteStore({ database: recording as unknown as BetterSqliteDatabase });
    expect(statements.length).toBeGreaterThan(0);
    expect(statements.filter((source) => !/^\s*select\b/i.test(source))).toEqual([]);
    expect(await store.agents.list()).toEqual([]);
    await store.close();
    database.close();
  });

  it('still runs the migrations a database lacks, and only those', async () => {
    const path = join(directory, 'behind.db');
    const names = Object.keys(sqliteMigrations);
    const db = new Kysely<unknown>({ dialect: createSqliteDialect(new Database(path) as unknown as BetterSqliteDatabase, true) });
    await migrateToLatest(db, Object.fromEntries(Object.entries(sqliteMigrations).slice(0, -1)), createRecordingLogger(), path);
    await db.destroy();
    expect(appliedMigrations(path)).toEqual(names.slice(0, -1));

    const logger = createRecordingLogger();
    const store = await createSqliteStore({ path, logger });
    await store.close();
    expect(
      logger.lines.filter((line) => line.message.includes('applied migration')).map((line) => line.fields?.migration),
    ).toEqual(names.slice(-1));
    expect(appliedMigrations(path)).toEqual(names);
  });

  it('refuses a database written by a newer version, naming the unknown migration', async () => {
    const path = join(directory, 'future.db');
    await (await createSqliteStore({ path })).close();
    const database = new Database(path);
    database
      .prepare('INSERT INTO kysely_migration (name, timestamp) VALUES (?, ?)')
      .run('9999_from_the_future', new Date(0).toISOString());
    database.close();
    const error = await createSqliteStore({ path }).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(ConfigError.isInstance(error)).toBe(true);
    expect((error as ConfigError).message).toMatch(/newer @ngb\/store.*9999_from_the_future/);
    expect((error as ConfigError).key).toBe('path');
  });

  it('applies pending migrations atomically: when one fails, none of them leaves a trace', async () => {
    const database = new Database(':memory:') as unknown as BetterSqliteDatabase;
    const db = new Kysely<unknown>({ dialect: createSqliteDialect(database, true) });
    const broken = {
      ...sqliteMigrations,
      '9000_broken': {
        async up(migrationDb: Kysely<unknown>) {
          await sql`CREATE TABLE half_done (id TEXT)`.execute(migrationDb);
          await sql`THIS IS NOT SQL`.execute(migrationDb);
        },
      },
    };
    const error = await migrateToLatest(db, broken, createRecordingLogger(), 'memory').then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(NgbError.isInstance(error) && error.code === 'store_migration_failed').toBe(true);
    expect((error as Error).message).toContain('9000_broken');
    const tables = await sql<{ name: string }>`SELECT name FROM sqlite_master WHERE type = 'table'`.execute(db);
    const names = tables.rows.map((row) => row.name);
    expect(names).not.toContain('half_done');
    expect(names).not.toContain('agents');
    const applied = await sql<{ name: string }>`SELECT name FROM kysely_migration`.execute(db);
    expect(applied.rows).toEqual([]);
    await migrateToLatest(db, sqliteMigrations, createRecordingLogger(), 'memory');
    const after = await sql<{ name: string }>`SELECT name FROM kysely_migration`.execute(db);
    expect(after.rows.map((row) => row.name)).toEqual(Object.keys(sqliteMigrations));
    await db.destroy();
  });
});

describe('deferred search index', () => {
  it('finds messages inserted before and after a bulk catch-up, edits and deletes included, without duplicates', async () => {
    const database = new Database(':memory:');
    const store = await createSqliteStore({ database: database as unknown as BetterSqliteDatabase });
    const chat = await store.chats.upsert({ channel: 'c', platformChatId: 'p', name: 'n', isGroup: false });
    const insert = (index: number, text: string) =>
      store.messages.insert({
        chatId: chat.id,
        platformMessageId: `m${index}`,
        senderId: 'u',
        text,
        mentionsBot: false,
        timestamp: index,
        direction: 'inbound',
      });
    for (let index = 0; index < 600; index += 1) await insert(index, index % 100 === 0 ? `needle ${index}` : `hay ${index}`);
    expect((await store.messages.search('needle', { limit: 50 })).length).toBe(6);
    await insert(1000, 'needle late');
    expect((await store.messages.search('needle', { limit: 50 })).length).toBe(7);
    const fts = database.prepare('SELECT COUNT(*) AS count FROM messages_fts').get() as { count: number };
    expect(fts.count).toBe(601);
    database.prepare("UPDATE messages SET text = 'replaced' WHERE platform_message_id = 'm0'").run();
    database.prepare("DELETE FROM messages WHERE platform_message_id = 'm100'").run();
    expect((await store.messages.search('needle', { limit: 50 })).map((message) => message.text).sort()).toEqual([
      'needle 200',
      'needle 300',
      'needle 400',
      'needle 500',
      'needle late',
    ]);
    expect((await store.messages.search('replaced')).length).toBe(1);
    await store.close();
  });
});

describe('turn model and cost migration', () => {
  it('turns a zero cost stored with tokens spent (no price was ever applied) into an unknown cost', async () => {
    const path = join(directory, 'before-prices.db');
    const db = new Kysely<unknown>({ dialect: createSqliteDialect(new Database(path) as unknown as BetterSqliteDatabase, true) });
    const before = Object.fromEntries(Object.entries(sqliteMigrations).filter(([name]) => name < '0003_turn_model_and_cost'));
    await migrateToLatest(db, before, createRecordingLogger(), path);
    await db.destroy();
    const database = new Database(path);
    database.exec(`
      INSERT INTO agents (id, folder, name, instructions_file, timezone, created_at, updated_at)
        VALUES ('a1', 'main', 'Main', 'AGENTS.md', 'UTC', 0, 0);
      INSERT INTO sessions (id, agent_id, status, created_at, updated_at, last_activity_at) VALUES ('s1', 'a1', 'active', 0, 0, 0);
      INSERT INTO turns (id, session_id, trigger, status, input_tokens, output_tokens, cost_usd, created_at, updated_at) VALUES
        ('spent', 's1', 'message', 'succeeded', 100, 10, 0, 0, 0),
        ('priced', 's1', 'message', 'succeeded', 100, 10, 0.25, 0, 0),
        ('idle', 's1', 'message', 'queued', 0, 0, 0, 0, 0);
    `);
    database.close();

    const store = await createSqliteStore({ path });
    expect((await store.turns.get('spent'))?.costUsd).toBeNull();
    expect((await store.turns.get('priced'))?.costUsd).toBe(0.25);
    expect((await store.turns.get('idle'))?.costUsd).toBe(0);
    await store.close();
  });
});

describe('message edits migration', () => {
  it('keeps stored messages and queued replies readable: never edited, nothing quoted, sent as plain text', async () => {
    const path = join(directory, 'before-edits.db');
    const db = new Kysely<unknown>({ dialect: createSqliteDialect(new Database(path) as unknown as BetterSqliteDatabase, true) });
    const before = Object.fromEntries(Object.entries(sqliteMigrations).filter(([name]) => name < '0007_message_edits'));
    await migrateToLatest(db, before, createRecordingLogger(), path);
    await db.destroy();
    const database = new Database(path);
    database.exec(`
      INSERT INTO chats (id, channel, platform_chat_id, name, is_group, unknown_sender_policy, status, created_at, updated_at)
        VALUES ('c1', 'test', 'p1', 'Chat', 1, 'strict', 'active', 1, 1);
      INSERT INTO messages (id, chat_id, platform_message_id, sender_id, text, mentions_bot, reply_to_platform_id, attachments,
        timestamp, direction, created_at) VALUES ('m1', 'c1', '41', 'u1', 'old words', 0, '40', '[]', 5, 'inbound', 5);
      INSERT INTO outbox (id, key, channel, chat_id, text, status, attempts, permanent_failure, created_at, updated_at)
        VALUES ('o1', 'k1', 'test', 'p1', '*queued*', 'pending', 0, 0, 6, 6);
    `);
    database.close();

    const store = await createSqliteStore({ path });
    const message = await store.messages.get('m1');
    expect(message).toMatchObject({ text: 'old words', replyToPlatformId: '40' });
    for (const key of ['replyToAuthorId', 'replyToText', 'originalText', 'editedAt', 'deletedAt'] as const)
      expect(message?.[key]).toBeUndefined();
    expect((await store.outbox.get('o1'))?.format).toBe('plain');
    expect(await store.messages.edit('c1', '41', { text: 'new words', editedAt: 9 })).toMatchObject({
      text: 'new words',
      originalText: 'old words',
    });
    expect((await store.messages.search('new')).map((found) => found.id)).toEqual(['m1']);
    await store.close();
  });
});

describe('turn facts migration', () => {
  it('carries the hop counts and sent flags earlier versions kept as key-value rows into columns, and drops the rows', async () => {
    const path = join(directory, 'before-turn-facts.db');
    const db = new Kysely<unknown>({ dialect: createSqliteDialect(new Database(path) as unknown as BetterSqliteDatabase, true) });
    const before = Object.fromEntries(Object.entries(sqliteMigrations).filter(([name]) => name < '0005_turn_facts'));
    await migrateToLatest(db, before, createRecordingLogger(), path);
    await db.destroy();
    const database = new Database(path);
    database.exec(`
      INSERT INTO agents (id, folder, name, instructions_file, timezone, created_at, updated_at)
        VALUES ('a1', 'main', 'Main', 'AGENTS.md', 'UTC', 0, 0);
      INSERT INTO sessions (id, agent_id, status, created_at, updated_at, last_activity_at) VALUES ('s1', 'a1', 'active', 0, 0, 0);
      INSERT INTO turns (id, session_id, trigger, status, input_tokens, output_tokens, cost_usd, created_at, updated_at) VALUES
        ('sent', 's1', 'message', 'succeeded', 0, 0, 0, 0, 0), ('quiet', 's1', 'message', 'succeeded', 0, 0, 0, 0, 0);
      INSERT INTO chats (id, channel, platform_chat_id, name, is_group, unknown_sender_policy, status, created_at, updated_at)
        VALUES ('c1', 'agent', 's0', 'agent main', 0, 'strict', 'active', 0, 0);
      INSERT INTO messages (id, chat_id, platform_message_id, sender_id, text, mentions_bot, timestamp, direction, created_at)
        VALUES ('m1', 'c1', 'k1', 'agent:main', 'hi', 1, 0, 'inbound', 0), ('m2', 'c1', 'k2', 'agent:main', 'hi', 1, 0, 'inbound', 0);
      INSERT INTO outbox (id, key, channel, chat_id, text, status, created_at, updated_at)
        VALUES ('o1', 'sent:reply', 'agent', 's0', 'answer', 'pending', 0, 0);
      INSERT INTO kv (namespace, key, value, updated_at) VALUES
        ('hops', 'm1', '2', 0), ('hops', 'sent:reply', '3', 0), ('turn-sent', 'sent', 'true', 0), ('other', 'x', '1', 0);
    `);
    database.close();

    const store = await createSqliteStore({ path });
    expect((await store.messages.get('m1'))?.hop).toBe(2);
    expect((await store.messages.get('m2'))?.hop).toBe(0);
    expect((await store.outbox.get('o1'))?.hop).toBe(3);
    expect((await store.turns.get('sent'))?.sentMessage).toBe(true);
    expect((await store.turns.get('quiet'))?.sentMessage).toBe(false);
    expect(await store.kv.get('hops', 'm1')).toBeUndefined();
    expect(await store.kv.get('turn-sent', 'sent')).toBeUndefined();
    expect(await store.kv.get('other', 'x')).toBe(1);
    await store.close();
  });
});

describe('onboarding migration', () => {
  it('keeps users and their roles as they were, unlinked, and adds linking and one-time codes', async () => {
    const path = join(directory, 'before-onboarding.db');
    const db = new Kysely<unknown>({ dialect: createSqliteDialect(new Database(path) as unknown as BetterSqliteDatabase, true) });
    const before = Object.fromEntries(Object.entries(sqliteMigrations).filter(([name]) => name < '0010_onboarding'));
    await migrateToLatest(db, before, createRecordingLogger(), path);
    await db.destroy();
    const database = new Database(path);
    database.exec(`
      INSERT INTO users (id, channel, platform_user_id, name, created_at, updated_at) VALUES ('u1', 'telegram', '7', 'Ann', 1, 1);
      INSERT INTO users (id, channel, platform_user_id, name, created_at, updated_at) VALUES ('u2', 'slack', 'U7', NULL, 2, 2);
      INSERT INTO user_roles (user_id, role, agent_id, granted_at) VALUES ('u1', 'owner', NULL, 3);
    `);
    database.close();

    const store = await createSqliteStore({ path });
    expect(await store.users.get('u1')).toEqual({
      id: 'u1',
      channel: 'telegram',
      platformUserId: '7',
      name: 'Ann',
      createdAt: 1,
      updatedAt: 1,
    });
    expect((await store.users.get('u1'))?.linkedUserId).toBeUndefined();
    await store.users.link('u2', 'u1');
    expect((await store.users.listRoles('u2')).map((role) => [role.userId, role.role])).toEqual([['u1', 'owner']]);
    await store.onboardingCodes.create({ kind: 'claim', codeHash: 'h', expiresAt: 10 });
    expect(await store.onboardingCodes.consume('claim', 'h', 5)).toMatchObject({ consumedAt: 5 });
    await store.close();
    expect(appliedMigrations(path)).toContain('0010_onboarding');
  });
  it("reads a session's latest turns through an index, without sorting all of them", async () => {
    const path = join(directory, 'ngb.db');
    await (await createSqliteStore({ path })).close();
    const database = new Database(path, { readonly: true });
    try {
      const plan = database
        .prepare('EXPLAIN QUERY PLAN SELECT * FROM turns WHERE session_id = ? ORDER BY seq DESC LIMIT 5')
        .all('s1') as Array<{ detail: string }>;
      const details = plan.map((step) => step.detail).join('\n');
      expect(details).toContain('turns_session_seq');
      expect(details).not.toContain('TEMP B-TREE');
    } finally {
      database.close();
    }
  });
});
