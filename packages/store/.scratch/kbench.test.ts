import { it } from 'vitest';
import Database from 'better-sqlite3';
import { CompiledQuery, Kysely, SqliteDialect } from 'kysely';
import { createSqliteDialect } from '../src/sqlite-dialect';

it('kysely costs', async () => {
  const raw = new Database(':memory:');
  raw.exec('create table t (id text primary key, a text, b integer)');
  for (let i = 0; i < 100; i++) raw.prepare('insert into t values (?,?,?)').run('k' + i, 'x', i);
  const db = new Kysely<any>({ dialect: createSqliteDialect(raw as never, false) });
  const n = 20000;
  let t = performance.now();
  for (let i = 0; i < n; i++) db.selectFrom('t').selectAll().where('id', '=', 'k' + (i % 100)).compile();
  console.log('build+compile µs', ((performance.now() - t) * 1000) / n);
  t = performance.now();
  for (let i = 0; i < n; i++) await db.selectFrom('t').selectAll().where('id', '=', 'k' + (i % 100)).executeTakeFirst();
  console.log('kysely select µs', ((performance.now() - t) * 1000) / n);
  t = performance.now();
  for (let i = 0; i < n; i++) await db.executeQuery(CompiledQuery.raw('select * from t where id = ?', ['k' + (i % 100)]));
  console.log('executeQuery raw µs', ((performance.now() - t) * 1000) / n);
  const st = raw.prepare('select * from t where id = ?');
  t = performance.now();
  for (let i = 0; i < n; i++) await Promise.resolve(st.get('k' + (i % 100)));
  console.log('better-sqlite3 µs', ((performance.now() - t) * 1000) / n);
});
