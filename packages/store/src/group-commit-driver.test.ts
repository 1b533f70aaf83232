import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NotFoundError, type Store } from '@ngb/plugin-sdk';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSqliteStore } from './index';

let directory: string;
let path: string;
let store: Store;
let observer: Database.Database;

beforeEach(async () => {
  directory = mkdtempSync(join(tmpdir(), 'ngb-group-commit-'));
  path = join(directory, 'ngb.db');
  store = await createSqliteStore({ path });
  observer = new Database(path, { readonly: true });
});

afterEach(async () => {
  observer.close();
  await store.close();
  rmSync(directory, { recursive: true, force: true });
});

const countKv = () => (observer.prepare('SELECT count(*) AS count FROM kv').get() as { count: number }).count;

describe('group commit', () => {
  it('resolves a write only once another connection can see it', async () => {
    const writes = Array.from({ length: 50 }, (_, index) => store.kv.set('ns', `k${index}`, index));
    for (const [index, write] of writes.entries()) {
      await write;
      expect(
        (observer.prepare('SELECT value FROM kv WHERE key = ?').get(`k${index}`) as { value: string } | undefined)?.value,
      ).toBe(String(index));
    }
    expect(countKv()).toBe(50);
  });

  it('commits concurrent writes together: when the first resolves, all are visible', async () => {
    const writes = Array.from({ length: 20 }, (_, index) => store.kv.set('ns', `k${index}`, index));
    await writes[0];
    expect(countKv()).toBe(20);
    await Promise.all(writes);
  });

  it('fails only the statement that failed, committing the rest of its batch', async () => {
    const chat = await store.chats.upsert({ channel: 'c', platformChatId: '1', name: 'n', isGroup: false });
    const insert = (chatId: string, id: string) =>
      store.messages.insert({
        chatId,
        platformMessageId: id,
        senderId: 'u',
        text: id,
        mentionsBot: false,
        timestamp: 1,
        direction: 'inbound',
      });
    const results = await Promise.allSettled([insert(chat.id, 'a'), insert('ghost', 'b'), insert(chat.id, 'c')]);
    expect(results.map((result) => result.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    const failure = results[1];
    expect(failure?.status === 'rejected' && NotFoundError.isInstance(failure.reason)).toBe(true);
    expect(
      (observer.prepare('SELECT platform_message_id AS id FROM messages ORDER BY seq').all() as Array<{ id: string }>).map(
        (row) => row.id,
      ),
    ).toEqual(['a', 'c']);
  });

  it('commits explicit transactions with the batch, never in the middle of one, and keeps them exclusive', async () => {
    const before = store.kv.set('ns', 'before', 1);
    const transaction = store.transaction(async (tx) => {
      await tx.kv.set('ns', 'inside', 2);
      await new Promise((resolve) => setTimeout(resolve, 5));
      expect(countKv()).toBe(0);
      return 'done';
    });
    const during = store.kv.set('ns', 'during', 3);
    expect(await transaction).toBe('done');
    expect((observer.prepare('SELECT key FROM kv ORDER BY key').all() as Array<{ key: string }>).map((row) => row.key)).toContain(
      'inside',
    );
    await Promise.all([before, during]);
    expect(countKv()).toBe(3);
  });

  it('rolls back only the transaction, not the writes batched with it', async () => {
    const before = store.kv.set('ns', 'before', 1);
    const transaction = store.transaction(async (tx) => {
      await tx.kv.set('ns', 'inside', 2);
      throw new Error('abort');
    });
    await expect(transaction).rejects.toThrow('abort');
    await before;
    expect((observer.prepare('SELECT key FROM kv').all() as Array<{ key: string }>).map((row) => row.key)).toEqual(['before']);
  });

  it('rolls back a transaction that began its batch, and commits the writes that follow it', async () => {
    const transaction = store.transaction(async (tx) => {
      await tx.kv.set('ns', 'inside', 1);
      throw new Error('abort');
    });
    const after = store.kv.set('ns', 'after', 2);
    await expect(transaction).rejects.toThrow('abort');
    await after;
    expect(await store.transaction(async (tx) => tx.kv.set('ns', 'next', 3))).toBeUndefined();
    expect((observer.prepare('SELECT key FROM kv ORDER BY key').all() as Array<{ key: string }>).map((row) => row.key)).toEqual([
      'after',
      'next',
    ]);
  });
});
