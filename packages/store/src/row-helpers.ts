import type { Logger } from '@ngb/plugin-sdk';
import { errorMessage, NotFoundError } from '@ngb/plugin-sdk';
import type { Kysely } from 'kysely';
import type { StoreDatabase } from './database-schema';

/** SQL NULL as the contract's "no value". */
export function optional<T>(value: T | null): T | undefined {
  return value === null ? undefined : value;
}

/**
 * Parses a JSON column. A corrupt value (written by hand or by a broken tool) must not take the
 * gateway down: it is logged and replaced by `fallback`.
 */
export function parseJsonColumn<T>(text: string, fallback: T, logger: Logger, where: string): T {
  try {
    return JSON.parse(text) as T;
  } catch (error) {
    logger.warn('[@ngb/store] unreadable JSON column, using a default', { where, error });
    return fallback;
  }
}

/** Serializes a value for a JSON column. @throws TypeError when JSON cannot hold it */
export function toJsonColumn(value: unknown, what: string): string {
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch (error) {
    throw new TypeError(`[@ngb/store] ${what} is not JSON-serializable: ${errorMessage(error)}`);
  }
  if (text === undefined) throw new TypeError(`[@ngb/store] ${what} is not JSON-serializable (${typeof value})`);
  return text;
}

function sqliteCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** True for a foreign key constraint failure. */
function isForeignKeyViolation(error: unknown): boolean {
  return sqliteCode(error) === 'SQLITE_CONSTRAINT_FOREIGNKEY';
}

/** True for a UNIQUE or PRIMARY KEY constraint failure. */
export function isUniqueViolation(error: unknown): boolean {
  const code = sqliteCode(error);
  return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

type ReferencedTable = 'agents' | 'chats' | 'users' | 'sessions' | 'messages' | 'turns' | 'tasks';

/** A record an insert refers to: entity name for the error, its table, and the id (if any). */
export type Reference = readonly [entity: string, table: ReferencedTable, id: string | null | undefined];

/** @throws NotFoundError for the first reference whose record does not exist */
export async function assertReferencesExist(db: Kysely<StoreDatabase>, references: readonly Reference[]): Promise<void> {
  for (const [entity, table, id] of references) {
    if (id === null || id === undefined) continue;
    const row = await db.selectFrom(table).select('id').where('id', '=', id).executeTakeFirst();
    if (row === undefined) throw new NotFoundError(entity, id);
  }
}

/**
 * Runs an insert; when it fails on a foreign key, finds which reference is missing (only on that rare
 * path, so the common path pays no lookups) and throws NotFoundError for it.
 */
export async function withReferences<T>(
  db: Kysely<StoreDatabase>,
  references: readonly Reference[],
  run: () => Promise<T>,
): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (isForeignKeyViolation(error)) await assertReferencesExist(db, references);
    throw error;
  }
}

/** Normalizes a list limit: undefined for none, otherwise a non-negative integer. */
export function normalizeLimit(limit: number | undefined): number | undefined {
  if (limit === undefined) return undefined;
  if (!Number.isFinite(limit)) return undefined;
  return Math.max(0, Math.floor(limit));
}
