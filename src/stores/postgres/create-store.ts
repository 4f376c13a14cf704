import type { PostgresWhitelistStoreOptions } from './options.js';
import { PostgresWhitelistStore } from './store.js';

/**
 * Creates a whitelist store in PostgreSQL for `createWhitelist`. Nothing connects until first use;
 * then the store migrates (unless `autoMigrate: false`), LISTENs and loads the entries once.
 * Options are checked here and fail with `EPOLICY` naming the field.
 *
 * @example
 * ```ts
 * import { createWhitelist } from 'forced-tls';
 * import { createPostgresWhitelistStore } from 'forced-tls/stores/postgres';
 *
 * const store = createPostgresWhitelistStore({ connectionString: process.env.DATABASE_URL });
 * await store.ready(); // at startup: the first load is the only time a decision waits for the database
 * const whitelist = createWhitelist(store);
 * const transport = createRelayTransport({ host: 'mail.example.de', whitelist });
 * ```
 */
export function createPostgresWhitelistStore(options: PostgresWhitelistStoreOptions): PostgresWhitelistStore {
  return new PostgresWhitelistStore(options);
}
