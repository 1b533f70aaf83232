import type { CompiledQuery, DatabaseConnection, Driver, QueryResult } from 'kysely';
import { storeFullError } from './store-full-error';

/** The slice of a better-sqlite3 statement the driver uses. */
export interface BetterSqliteStatement {
  readonly reader: boolean;
  readonly readonly: boolean;
  all(...parameters: unknown[]): unknown[];
  run(...parameters: unknown[]): { changes: number | bigint; lastInsertRowid: number | bigint };
}

/** The slice of a better-sqlite3 Database the store uses. */
export interface BetterSqliteDatabase {
  prepare(source: string): BetterSqliteStatement;
  pragma(source: string, options?: { simple?: boolean }): unknown;
  close(): unknown;
  readonly inTransaction: boolean;
  readonly memory: boolean;
}

interface Waiter {
  resolve(): void;
  reject(error: unknown): void;
}

const statementCacheSize = 256;
const maxWritesPerBatch = 1000;

/**
 * A kysely driver for one better-sqlite3 database, built for many small concurrent writes.
 *
 * Why not kysely's SqliteDriver: it commits every write on its own, and a commit (WAL frames, index,
 * checkpoints) costs far more than a small statement. Here every write joins an open "batch"
 * transaction (`BEGIN IMMEDIATE`, waiting on busy_timeout for other processes) that commits on the
 * next `setImmediate`, or after {@link maxWritesPerBatch} writes. A write's promise settles only
 * after its batch commits, so a resolved write is as durable as with one commit per write.
 * A failing statement is undone alone (SQLite statement atomicity) and only its caller sees the error.
 *
 * Explicit transactions are savepoints inside the batch, so they share its commit too (one that
 * finds no batch open begins it, and needs no savepoint). They are exclusive: queries from other
 * callers wait until the transaction ends (they would otherwise be undone by its rollback), and the
 * batch never commits in the middle of one.
 */
export class GroupCommitSqliteDriver implements Driver {
  readonly #database: BetterSqliteDatabase;
  readonly #closeDatabase: boolean;
  readonly #location: string;
  readonly #statements = new Map<string, BetterSqliteStatement>();
  #owner: DatabaseConnection | undefined;
  #ownerWaiters: Array<() => void> = [];
  #batch: Waiter[] | undefined;
  #commitWhenReleased = false;
  // Whether the open transaction began the batch (and so has no savepoint of its own).
  #startsBatch = false;

  /** @param location the database as errors name it (its path) */
  constructor(database: BetterSqliteDatabase, closeDatabase: boolean, location = 'the database') {
    this.#database = database;
    this.#closeDatabase = closeDatabase;
    this.#location = location;
  }

  async init(): Promise<void> {}

  async acquireConnection(): Promise<DatabaseConnection> {
    const connection: DatabaseConnection = {
      executeQuery: <R>(query: CompiledQuery) => this.#execute<R>(connection, query.sql, query.parameters),
      streamQuery: <R>(query: CompiledQuery) => this.#stream<R>(connection, query),
    };
    return connection;
  }

  /**
   * Runs SQL text on `connection` (one this driver made) exactly as `connection.executeQuery` would,
   * without kysely's layers around each query (executor, connection provider, result transform):
   * for the hot-path statements the store compiled once, those cost more than SQLite's own work.
   */
  executeOn<R>(connection: DatabaseConnection, sqlText: string, parameters: readonly unknown[]): Promise<QueryResult<R>> {
    return this.#execute<R>(connection, sqlText, parameters);
  }

  async releaseConnection(): Promise<void> {}

  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    while (this.#owner !== undefined && this.#owner !== connection) await this.#nextRelease();
    // No await between the check above and taking ownership: another caller could slip in.
    this.#owner = connection;
    try {
      // A transaction that finds no batch open begins one and is alone in it until it ends (other
      // callers wait), so it needs no savepoint: its rollback undoes the whole batch.
      this.#startsBatch = this.#batch === undefined;
      if (this.#startsBatch) this.#openBatch();
      else this.#prepare('savepoint ngb_transaction').run();
    } catch (error) {
      this.#release();
      throw storeFullError(error, this.#location);
    }
  }

  async commitTransaction(): Promise<void> {
    // If RELEASE fails, kysely calls rollbackTransaction next, which gives up ownership.
    try {
      if (!this.#startsBatch) this.#prepare('release ngb_transaction').run();
    } catch (error) {
      throw storeFullError(error, this.#location);
    }
    const committed = this.#waitForBatch();
    this.#release();
    await committed;
  }

  async rollbackTransaction(): Promise<void> {
    try {
      if (this.#database.inTransaction && this.#startsBatch) {
        this.#prepare('rollback').run();
        this.#failBatch(new Error('[@ngb/store] the transaction that began this batch rolled back'));
      } else if (this.#database.inTransaction) {
        this.#prepare('rollback to ngb_transaction').run();
        this.#prepare('release ngb_transaction').run();
      }
    } finally {
      this.#release();
    }
  }

  async destroy(): Promise<void> {
    this.#commitBatch();
    this.#statements.clear();
    if (this.#closeDatabase) this.#database.close();
  }

  #nextRelease(): Promise<void> {
    return new Promise<void>((resolve) => this.#ownerWaiters.push(resolve));
  }

  #release(): void {
    this.#owner = undefined;
    if (this.#commitWhenReleased) {
      this.#commitWhenReleased = false;
      this.#commitBatch();
    }
    const waiters = this.#ownerWaiters;
    this.#ownerWaiters = [];
    for (const wake of waiters) wake();
  }

  #prepare(sqlText: string): BetterSqliteStatement {
    const cached = this.#statements.get(sqlText);
    if (cached !== undefined) return cached;
    const statement = this.#database.prepare(sqlText);
    if (this.#statements.size >= statementCacheSize) {
      const oldest = this.#statements.keys().next();
      if (oldest.done !== true) this.#statements.delete(oldest.value);
    }
    this.#statements.set(sqlText, statement);
    return statement;
  }

  async #execute<R>(connection: DatabaseConnection, sqlText: string, parameters: readonly unknown[]): Promise<QueryResult<R>> {
    while (this.#owner !== undefined && this.#owner !== connection) await this.#nextRelease();
    // From here on everything is synchronous until the statement ran, so no transaction can start between.
    const statement = this.#prepare(sqlText);
    const inTransaction = this.#owner === connection;
    if (!inTransaction && statement.readonly) return run<R>(statement, parameters);
    let result: QueryResult<R>;
    try {
      if (!inTransaction) this.#openBatch();
      result = run<R>(statement, parameters);
    } catch (thrown) {
      const error = storeFullError(thrown, this.#location);
      // Some errors (I/O, full disk) make SQLite roll back the whole transaction: fail the batch too.
      if (!this.#database.inTransaction) this.#failBatch(error);
      throw error;
    }
    if (inTransaction) return result;
    const committed = this.#waitForBatch();
    if ((this.#batch?.length ?? 0) >= maxWritesPerBatch) this.#requestCommit();
    await committed;
    return result;
  }

  #openBatch(): void {
    if (this.#batch !== undefined) return;
    this.#prepare('begin immediate').run();
    const batch: Waiter[] = [];
    this.#batch = batch;
    setImmediate(() => {
      if (this.#batch === batch) this.#requestCommit();
    });
  }

  #waitForBatch(): Promise<void> {
    const batch = this.#batch;
    if (batch === undefined) return Promise.resolve();
    return new Promise<void>((resolve, reject) => batch.push({ resolve, reject }));
  }

  #requestCommit(): void {
    if (this.#owner === undefined) this.#commitBatch();
    else this.#commitWhenReleased = true;
  }

  #commitBatch(): void {
    const batch = this.#batch;
    if (batch === undefined) return;
    this.#batch = undefined;
    try {
      this.#prepare('commit').run();
    } catch (thrown) {
      const error = storeFullError(thrown, this.#location);
      try {
        if (this.#database.inTransaction) this.#prepare('rollback').run();
      } finally {
        for (const waiter of batch) waiter.reject(error);
      }
      return;
    }
    for (const waiter of batch) waiter.resolve();
  }

  #failBatch(error: unknown): void {
    const batch = this.#batch ?? [];
    this.#batch = undefined;
    for (const waiter of batch) waiter.reject(error);
  }

  async *#stream<R>(connection: DatabaseConnection, query: CompiledQuery): AsyncIterableIterator<QueryResult<R>> {
    const result = await this.#execute<R>(connection, query.sql, query.parameters);
    for (const row of result.rows) yield { rows: [row] };
  }
}

function run<R>(statement: BetterSqliteStatement, parameters: readonly unknown[]): QueryResult<R> {
  if (statement.reader) return { rows: statement.all(...parameters) as R[] };
  const { changes, lastInsertRowid } = statement.run(...parameters);
  return { numAffectedRows: BigInt(changes), insertId: BigInt(lastInsertRowid), rows: [] };
}
