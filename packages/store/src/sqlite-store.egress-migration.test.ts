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
  directory = mkdtempSync(join(tmpdir(), 'ngb-store-egress-'));
});
afterEach(() => rmSync(directory, { recursive: true, force: true }));

/** A database as the versions before `0015_egress` left it, with an agent on the bridge mode they accepted. */
async function createOldDatabase(path: string): Promise<void> {
  const database = new Database(path);
  const db = new Kysely<unknown>({ dialect: createSqliteDialect(database as unknown as BetterSqliteDatabase, true) });
  const older = Object.fromEntries(Object.entries(sqliteMigrations).filter(([name]) => name < '0015_egress'));
  await migrateToLatest(db, older, createRecordingLogger(), path);
  await db.destroy();
  const raw = new Database(path);
  raw.exec(`
    INSERT INTO agents (id, folder, name, instructions_file, timezone, sandbox, created_at, updated_at) VALUES
      ('a1', 'bridge', 'Bridge', 'AGENTS.md', 'UTC', '{"network":"egress","mounts":[],"memoryMb":256}', 1, 1),
      ('a2', 'quiet', 'Quiet', 'AGENTS.md', 'UTC', '{"network":"none","mounts":[]}', 1, 1),
      ('a3', 'broken', 'Broken', 'AGENTS.md', 'UTC', 'not json', 1, 1);
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

describe('migration 0015_egress on a database made by the earlier migrations', () => {
  it('turns the bridge mode, which every runtime refused, into no network, and keeps the rest', async () => {
    const path = join(directory, 'old.db');
    await createOldDatabase(path);
    const store = await createSqliteStore({ path });
    expect((await store.agents.get('a1'))?.sandbox).toEqual({ network: 'none', mounts: [], memoryMb: 256 });
    expect((await store.agents.get('a2'))?.sandbox).toEqual({ network: 'none', mounts: [] });
    expect((await store.agents.get('a3'))?.sandbox).toEqual({ network: 'none', mounts: [] });
    await store.close();
  });

  it('refuses a network of another shape written past the repository, and accepts an allowlist', async () => {
    const path = join(directory, 'new.db');
    await (await createSqliteStore({ path })).close();
    const raw = new Database(path);
    const insert = (id: string, sandbox: string) =>
      `INSERT INTO agents (id, folder, name, instructions_file, timezone, sandbox, created_at, updated_at)
        VALUES ('${id}', '${id}', 'X', 'AGENTS.md', 'UTC', '${sandbox}', 1, 1)`;
    expect(refusal(raw, insert('b1', '{"network":"egress","mounts":[]}'))).toMatch(/agents\.sandbox\.network must be "none"/);
    expect(refusal(raw, insert('b2', '{"network":{"allow":"example.com"},"mounts":[]}'))).toMatch(/must be "none"/);
    expect(refusal(raw, insert('b3', '{"network":{"allow":["example.com"]},"mounts":[]}'))).toBe('accepted');
    expect(refusal(raw, insert('b4', '{"network":"none","mounts":[]}'))).toBe('accepted');
    expect(refusal(raw, `UPDATE agents SET sandbox = '{"network":"bridge"}' WHERE id = 'b4'`)).toMatch(/must be "none"/);
    raw.close();
  });
});
