import { NgbError } from '@ngb/plugin-sdk';

/** The code of the error a write gets when the disk holding the database is full. */
const storeFullCode = 'store_full';

/**
 * SQLite's "database or disk is full" (SQLITE_FULL) as an error that names the database and what
 * to do; any other error as it is. Nothing of the failed write was kept (SQLite undid it).
 */
export function storeFullError(error: unknown, location: string): unknown {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  if (code !== 'SQLITE_FULL') return error;
  return new NgbError(
    storeFullCode,
    `[@ngb/store] the disk holding the database ${location} is full (SQLITE_FULL): the write was not saved; free space there and the gateway carries on`,
    { cause: error },
  );
}
