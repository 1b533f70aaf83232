import {
  type DatabaseIntrospector,
  type Dialect,
  type DialectAdapter,
  type Driver,
  type Kysely,
  type QueryCompiler,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
} from 'kysely';
import { type BetterSqliteDatabase, GroupCommitSqliteDriver } from './group-commit-driver';

// SQLite runs DDL inside transactions; telling the Migrator so makes a migration run all-or-nothing.
class TransactionalDdlSqliteAdapter extends SqliteAdapter {
  override get supportsTransactionalDdl(): boolean {
    return true;
  }
}

/**
 * kysely's SQLite dialect with the group-commit driver.
 * @param closeDatabase whether destroying the Kysely instance closes the database (only if we opened it)
 * @param location the database as errors name it (its path)
 */
export function createSqliteDialect(database: BetterSqliteDatabase, closeDatabase: boolean, location?: string): Dialect {
  return sqliteDialectOn(new GroupCommitSqliteDriver(database, closeDatabase, location));
}

/** The same dialect on a driver the caller keeps (the store runs its hot-path statements on it directly). */
export function sqliteDialectOn(driver: GroupCommitSqliteDriver): Dialect {
  return {
    createAdapter: (): DialectAdapter => new TransactionalDdlSqliteAdapter(),
    createDriver: (): Driver => driver,
    createIntrospector: (db: Kysely<unknown>): DatabaseIntrospector => new SqliteIntrospector(db),
    createQueryCompiler: (): QueryCompiler => new SqliteQueryCompiler(),
  };
}
