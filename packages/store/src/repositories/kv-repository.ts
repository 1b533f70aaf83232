import type { KvRepository } from '@ngb/plugin-sdk';
import type { RepositoryContext } from '../repository-context';
import { parseJsonColumn, toJsonColumn } from '../row-helpers';

export function createKvRepository(context: RepositoryContext): KvRepository {
  const { db, logger } = context;
  return {
    async get(namespace, key) {
      const row = await db()
        .selectFrom('kv')
        .select('value')
        .where('namespace', '=', namespace)
        .where('key', '=', key)
        .executeTakeFirst();
      return row === undefined ? undefined : parseJsonColumn<unknown>(row.value, undefined, logger, `kv ${namespace}/${key}`);
    },

    async set(namespace, key, value) {
      const text = toJsonColumn(value, `kv value ${namespace}/${key}`);
      const time = context.now();
      await db()
        .insertInto('kv')
        .values({ namespace, key, value: text, updated_at: time })
        .onConflict((conflict) => conflict.columns(['namespace', 'key']).doUpdateSet({ value: text, updated_at: time }))
        .execute();
    },

    async delete(namespace, key) {
      const result = await db().deleteFrom('kv').where('namespace', '=', namespace).where('key', '=', key).executeTakeFirst();
      return result.numDeletedRows > 0n;
    },
  };
}
