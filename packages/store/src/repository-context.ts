import type { Logger } from '@ngb/plugin-sdk';
import type { Kysely, QueryResult } from 'kysely';
import type { StoreDatabase } from './database-schema';

/** What every repository is built from. */
export interface RepositoryContext {
  /** The database or the open transaction to run queries on. */
  readonly db: () => Kysely<StoreDatabase>;
  /** Runs compiled SQL on the same database or transaction as `db`, past kysely's per-query layers. */
  readonly execute: <Row>(sqlText: string, parameters: readonly unknown[]) => Promise<QueryResult<Row>>;
  readonly now: () => number;
  readonly generateId: () => string;
  readonly logger: Logger;
  /** SQL text of hot-path queries by name, shared by the store and its transactions. */
  readonly compiledSql: Map<string, string>;
  /** Messages inserted since the search index last caught up (shared by every transaction's repositories). */
  readonly searchIndex: { unindexedInserts: number };
}
