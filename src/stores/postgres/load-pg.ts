import type { StoreNames } from './names.js';
import type { PgPoolLike } from './pg-types.js';
import { storeFailure } from './store-failure.js';

type PoolConstructor = new (
  config: Record<string, unknown>,
) => PgPoolLike & {
  on(event: 'error', listener: (error: Error) => void): unknown;
};

/**
 * Loads `pg` (an optional peer dependency, imported only here and only when a connection string is
 * given) and creates the store's own pool. Idle connections the server closes are reported through
 * `onIdleError` instead of crashing the process.
 */
export async function createPool(
  n: StoreNames,
  connectionString: string,
  max: number,
  connectTimeoutMs: number,
  onIdleError: (error: Error) => void,
): Promise<PgPoolLike> {
  let loaded: unknown;
  try {
    // The CommonJS build requires it (test runners without ESM support cannot import()); in the
    // ESM build `require` throws, and it is imported.
    loaded = require('pg');
  } catch {
    try {
      loaded = await import('pg');
    } catch (error) {
      throw storeFailure(n, 'needs the pg package: npm install pg', { cause: error });
    }
  }
  const mod = loaded as { Pool?: PoolConstructor; default?: { Pool?: PoolConstructor } };
  const Pool = mod.Pool ?? mod.default?.Pool;
  if (typeof Pool !== 'function') throw storeFailure(n, 'the installed pg package has no Pool');
  const pool = new Pool({
    connectionString,
    max,
    connectionTimeoutMillis: connectTimeoutMs,
    application_name: `forced-tls ${n.kind}`,
  });
  pool.on('error', onIdleError);
  return pool;
}
