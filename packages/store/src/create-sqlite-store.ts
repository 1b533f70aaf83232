import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import {
  ConfigError,
  errorMessage,
  type Logger,
  NgbError,
  parseOptions,
  type Store,
  type StoreRepositories,
  silentLogger,
} from '@ngb/plugin-sdk';
import Database from 'better-sqlite3';
import { type DatabaseConnection, Kysely } from 'kysely';
import * as v from 'valibot';
import { createRepositories } from './create-repositories';
import type { StoreDatabase } from './database-schema';
import { type BetterSqliteDatabase, GroupCommitSqliteDriver } from './group-commit-driver';
import { migrateToLatest } from './migrate';
import { sqliteMigrations } from './migrations/index';
import type { RepositoryContext } from './repository-context';
import { sqliteDialectOn } from './sqlite-dialect';

const isFunction = (value: unknown) => typeof value === 'function';

/** The schema {@link SqliteStoreOptions} are parsed with. */
export const sqliteStoreOptionsSchema = v.object({
  path: v.optional(v.pipe(v.string(), v.minLength(1, 'pass a non-empty `path`'))),
  database: v.optional(
    v.custom<BetterSqliteDatabase>(
      (value) => typeof value === 'object' && value !== null && isFunction((value as BetterSqliteDatabase).prepare),
      'pass a better-sqlite3 Database as `database`',
    ),
  ),
  now: v.optional(v.custom<() => number>(isFunction, '`now` must be a function returning epoch milliseconds')),
  generateId: v.optional(v.custom<() => string>(isFunction, '`generateId` must be a function returning a string')),
  logger: v.optional(
    v.custom<Logger>(
      (value) =>
        typeof value === 'object' && value !== null && isFunction((value as Logger).warn) && isFunction((value as Logger).child),
      '`logger` must be a Logger',
    ),
  ),
});

/** Options of {@link createSqliteStore}: give `path` or a ready `database`, not both. */
export interface SqliteStoreOptions {
  /** Database file (missing folders are created), or `':memory:'`. */
  path?: string;
  /** A ready better-sqlite3 `Database`; the store sets its pragmas and never closes it. */
  database?: BetterSqliteDatabase;
  /** Clock for `createdAt`/`updatedAt`, epoch ms. @default Date.now */
  now?: () => number;
  /** Source of record ids. @default crypto.randomUUID */
  generateId?: () => string;
  /** Where warnings (unreadable JSON) and migration lines go. @default silentLogger */
  logger?: Logger;
}

function parseStoreOptions(options: SqliteStoreOptions) {
  const parsed = parseOptions(sqliteStoreOptionsSchema, options, '[@ngb/store]');
  if ((parsed.path === undefined) === (parsed.database === undefined)) {
    throw new ConfigError('[@ngb/store] pass either `path` (a file, or ":memory:") or a ready `database`, not both', {
      key: 'path',
    });
  }
  return parsed;
}

let addonPath: string | null | undefined;

/**
 * better-sqlite3's compiled addon where its build (or its prebuilt download) puts it, beside the
 * better-sqlite3 the store imports; null leaves the search to better-sqlite3 itself, whose `bindings`
 * package takes a stack trace and tries a dozen paths (3-8 ms of every start here).
 */
function nativeBinding(): string | null {
  if (addonPath === undefined) {
    try {
      addonPath = createRequire(import.meta.url).resolve('better-sqlite3/build/Release/better_sqlite3.node');
    } catch {
      addonPath = null;
    }
  }
  return addonPath;
}

function openDatabase(path: string): BetterSqliteDatabase {
  try {
    if (path !== ':memory:' && !path.startsWith('file:')) mkdirSync(dirname(path), { recursive: true });
    return new Database(path, { nativeBinding: nativeBinding() ?? undefined });
  } catch (error) {
    throw new ConfigError(`[@ngb/store] cannot open the database at \`path\` "${path}": ${errorMessage(error)}`, {
      key: 'path',
      cause: error,
    });
  }
}

/** The page cache of the connection, in KiB (SQLite's own default). */
const pageCacheKb = 2000;

function configure(database: BetterSqliteDatabase): void {
  if (!database.memory) {
    database.pragma('journal_mode = WAL');
    // Checkpoints fsync; at the default 1,000 pages they halve ingest throughput. 10,000 pages is a
    // 40 MB WAL at most, truncated back to 64 MB-or-less after each checkpoint.
    database.pragma('wal_autocheckpoint = 10000');
    database.pragma('journal_size_limit = 67108864');
  }
  database.pragma('foreign_keys = ON');
  database.pragma('busy_timeout = 5000');
  database.pragma('synchronous = NORMAL');
  // better-sqlite3 builds SQLite with a 16 MB page cache per connection, which fills as the database
  // grows and stays resident (memory outside the JS heap that rises for hours). SQLite's own 2 MB
  // keeps the hot pages; the operating system's file cache holds the rest.
  database.pragma(`cache_size = -${pageCacheKb}`);
}

/**
 * Opens (creating it if needed) a SQLite store and migrates it to the latest schema.
 * Files use WAL with `synchronous = NORMAL`; foreign keys are on; writers wait up to 5 s for a lock;
 * the page cache is 2 MB (better-sqlite3 would keep 16 MB resident per connection).
 * @throws ConfigError for bad options, an unopenable path, or a database written by a newer version
 */
export async function createSqliteStore(options: SqliteStoreOptions): Promise<Store> {
  const parsed = parseStoreOptions(options);
  const logger = (parsed.logger ?? silentLogger).child('store');
  const ownsDatabase = parsed.database === undefined;
  const database = parsed.database ?? openDatabase(parsed.path ?? ':memory:');
  const location = parsed.path ?? 'the given database';
  const driver = new GroupCommitSqliteDriver(database, ownsDatabase, location);
  const kysely = new Kysely<StoreDatabase>({ dialect: sqliteDialectOn(driver) });
  try {
    configure(database);
    await migrateToLatest(kysely as Kysely<unknown>, sqliteMigrations, logger, location);
  } catch (error) {
    await kysely.destroy();
    throw error;
  }

  const scopes = new AsyncLocalStorage<{ open: boolean }>();
  let closed = false;
  const base = {
    now: parsed.now ?? Date.now,
    generateId: parsed.generateId ?? randomUUID,
    logger,
    compiledSql: new Map<string, string>(),
    searchIndex: { unindexedInserts: 0 },
  };

  // kysely serializes SQLite access on one connection: a query on the store itself inside
  // transaction(fn) would wait for the transaction that waits for it. Fail loudly instead.
  function rootDb(): Kysely<StoreDatabase> {
    if (closed) throw new NgbError('store_closed', '[@ngb/store] the store is closed');
    if (scopes.getStore()?.open === true) {
      throw new NgbError(
        'store_transaction_misuse',
        '[@ngb/store] the store was used inside store.transaction(fn); use the `tx` repositories fn receives',
      );
    }
    return kysely;
  }

  // Root queries may share one connection object: the driver tells callers apart only from the
  // transaction that owns the database.
  const rootConnection = await driver.acquireConnection();
  const rootContext: RepositoryContext = {
    ...base,
    db: rootDb,
    execute: (sqlText, parameters) => {
      rootDb();
      return driver.executeOn(rootConnection, sqlText, parameters);
    },
  };
  const repositories = createRepositories(rootContext);

  return {
    specificationVersion: 1,
    ...repositories,
    async transaction<T>(fn: (tx: StoreRepositories) => Promise<T>): Promise<T> {
      return rootDb()
        .transaction()
        .execute((transaction) => {
          const scope = { open: true };
          const db = () => {
            if (!scope.open) throw new NgbError('store_transaction_finished', '[@ngb/store] this transaction has already ended');
            return transaction;
          };
          return scopes.run(scope, async () => {
            try {
              const connection = await transaction.getExecutor().provideConnection(async (open: DatabaseConnection) => open);
              const execute: RepositoryContext['execute'] = (sqlText, parameters) => {
                db();
                return driver.executeOn(connection, sqlText, parameters);
              };
              return await fn(createRepositories({ ...base, db, execute }));
            } finally {
              scope.open = false;
            }
          });
        });
    },
    async close() {
      if (closed) return;
      closed = true;
      await kysely.destroy();
    },
  };
}
