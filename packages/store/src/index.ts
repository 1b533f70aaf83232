export { createSqliteStore, type SqliteStoreOptions, sqliteStoreOptionsSchema } from './create-sqlite-store';
