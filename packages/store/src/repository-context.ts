import type { Logger } from '@ngb/plugin-sdk';
import type { Kysely } from 'kysely';
import type { StoreDatabase } from './database-schema';

/** What every repository is built from. */
export interface RepositoryContext {
  /** The database or the open transaction to run queries on. */
  readonly db: () => Kysely<StoreDatabase>;
  readonly now: () => number;
  readonly generateId: () => string;
  readonly logger: Logger;
  /** SQL text of hot-path queries by name, shared by the store and its transactions. */
  readonly compiledSql: Map<string, string>;
  /** Messages inserted since the search index last caught up (shared by every transaction's repositories). */
  readonly searchIndex: { unindexedInserts: number };
}
