import type { PostgresMtaStsCacheStoreOptions } from './mta-sts-options.js';
import { PostgresMtaStsCacheStore } from './mta-sts-store.js';

/**
 * Creates an MTA-STS policy cache in PostgreSQL for `createMtaStsResolver`, shared by every
 * instance that points at the same table: a policy one instance fetched, the others apply without
 * a fetch. Nothing connects until first use; then the store migrates (unless `autoMigrate: false`).
 * Options are checked here and fail with `EPOLICY` naming the field.
 *
 * @example
 * ```ts
 * import { createMtaStsResolver } from 'forced-tls/mta-sts';
 * import { createPostgresMtaStsCacheStore } from 'forced-tls/stores/postgres';
 *
 * const store = createPostgresMtaStsCacheStore({ connectionString: process.env.DATABASE_URL });
 * await store.ready(); // at startup: connect and migrate
 * const mtaSts = createMtaStsResolver({ store });
 * ```
 */
export function createPostgresMtaStsCacheStore(
  options: PostgresMtaStsCacheStoreOptions,
): PostgresMtaStsCacheStore {
  return new PostgresMtaStsCacheStore(options);
}
