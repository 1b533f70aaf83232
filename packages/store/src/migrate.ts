import { ConfigError, errorMessage, type Logger, NgbError } from '@ngb/plugin-sdk';
import { type Kysely, type Migration, Migrator, sql } from 'kysely';
import { createMigrationProvider } from './migrations/index';

const migrationTable = 'kysely_migration';

async function executedMigrations(db: Kysely<unknown>): Promise<string[]> {
  const table = await sql<{
    name: string;
  }>`SELECT name FROM sqlite_master WHERE type = 'table' AND name = ${migrationTable}`.execute(db);
  if (table.rows.length === 0) return [];
  const rows = await sql<{ name: string }>`SELECT name FROM ${sql.table(migrationTable)} ORDER BY name`.execute(db);
  return rows.rows.map((row) => row.name);
}

/**
 * Brings the schema to the latest version. Forward-only; the pending migrations run in one transaction,
 * so they all apply or none does. A database already current is only read.
 * @param location where the database is, for messages
 * @throws ConfigError when the database has migrations this version does not know (it is newer)
 */
export async function migrateToLatest(
  db: Kysely<unknown>,
  migrations: Readonly<Record<string, Migration>>,
  logger: Logger,
  location: string,
): Promise<void> {
  const executed = await executedMigrations(db);
  const unknown = executed.filter((name) => !Object.hasOwn(migrations, name));
  if (unknown.length > 0) {
    throw new ConfigError(
      `[@ngb/store] the database at ${location} was written by a newer @ngb/store (unknown migrations: ${unknown.join(', ')}); upgrade @ngb/store, or point \`path\` at another database`,
      { key: 'path' },
    );
  }
  // The Migrator records each migration in the transaction that applies it, so a database that lists
  // every migration is current: its bookkeeping (its tables checked, its lock taken in a write
  // transaction) is needed only when one is pending. One read then opens an up-to-date database.
  const applied = new Set(executed);
  if (Object.keys(migrations).every((name) => applied.has(name))) return;
  const migrator = new Migrator({
    db,
    provider: createMigrationProvider(migrations),
    migrationTableName: migrationTable,
    // Names are ASCII (`0001_initial`); kysely's default `localeCompare` would load ICU's collation
    // data at every start, for nothing.
    nameComparator: (left, right) => (left < right ? -1 : left > right ? 1 : 0),
  });
  const { error, results = [] } = await migrator.migrateToLatest();
  for (const result of results) {
    if (result.status === 'Success') logger.info('[@ngb/store] applied migration', { migration: result.migrationName });
  }
  if (error !== undefined) {
    const failed = results.find((result) => result.status === 'Error')?.migrationName ?? 'unknown';
    throw new NgbError(
      'store_migration_failed',
      `[@ngb/store] migration ${failed} failed on ${location}: ${errorMessage(error)}`,
      {
        cause: error,
      },
    );
  }
}
