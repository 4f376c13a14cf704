export { createPostgresWhitelistStore } from './create-store.js';
export type { MigrationResult } from './migrate.js';
export { CHANNEL as POSTGRES_NOTIFY_CHANNEL } from './names.js';
export type { PostgresStoreEvent, PostgresWhitelistStoreOptions } from './options.js';
export type { PgNotificationLike, PgPoolClientLike, PgPoolLike, PgResultLike } from './pg-types.js';
export { SCHEMA_VERSION as POSTGRES_SCHEMA_VERSION } from './schema-sql.js';
export type { PostgresStoreStatus } from './store.js';
export { PostgresWhitelistStore } from './store.js';
