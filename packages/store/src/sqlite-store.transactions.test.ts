import { NgbError, type StoreRepositories } from '@ngb/plugin-sdk';
import { describe, expect, it } from 'vitest';
import { createSqliteStore } from './index';

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => undefined,
    (error: unknown) => error,
  );
}

describe('SQLite store transactions', () => {
  it('refuses the store itself inside transaction(fn) instead of deadlocking, and rolls back', async () => {
    const store = await createSqliteStore({ path: ':memory:' });
    const error = await rejection(
      store.transaction(async (tx) => {
        await tx.kv.set('ns', 'k', 1);
        await store.kv.get('ns', 'k');
      }),
    );
    expect(NgbError.isInstance(error) && error.code === 'store_transaction_misuse').toBe(true);
    expect((error as Error).message).toContain('`tx`');
    expect(await store.kv.get('ns', 'k')).toBeUndefined();
    const nested = await rejection(store.transaction(async () => store.transaction(async () => 1)));
    expect(NgbError.isInstance(nested) && nested.code === 'store_transaction_misuse').toBe(true);
    await store.close();
  });

  it('refuses the transaction repositories once the transaction has ended', async () => {
    const store = await createSqliteStore({ path: ':memory:' });
    let leaked: StoreRepositories | undefined;
    await store.transaction(async (tx) => {
      leaked = tx;
    });
    const error = await rejection(leaked?.kv.get('ns', 'k') ?? Promise.resolve());
    expect(NgbError.isInstance(error) && error.code === 'store_transaction_finished').toBe(true);
    await store.close();
  });

  it('lets work started inside fn use the store after the transaction ended', async () => {
    const store = await createSqliteStore({ path: ':memory:' });
    let later: Promise<unknown> = Promise.resolve();
    await store.transaction(async (tx) => {
      await tx.kv.set('ns', 'k', 'v');
      later = new Promise((resolve) => setTimeout(resolve, 5)).then(() => store.kv.get('ns', 'k'));
    });
    expect(await later).toBe('v');
    await store.close();
  });
});
