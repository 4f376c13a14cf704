import { ForcedTlsError, isForcedTlsError } from '../../errors/index.js';
import type { StoreNames } from './names.js';

/**
 * An `ESTORE` error about the store's table (`PostgreSQL whitelist forced_tls.whitelist: …`). Never
 * contains the connection string. `transient` marks failures a retry may cure (the database
 * unreachable or busy), not a broken schema; `path` names the field of a refused entry.
 */
export function storeFailure(
  n: StoreNames,
  problem: string,
  options: { readonly cause?: unknown; readonly transient?: boolean; readonly path?: string } = {},
): ForcedTlsError {
  return new ForcedTlsError('ESTORE', `PostgreSQL ${n.kind} ${n.label}: ${problem}`, {
    ...(options.cause === undefined ? {} : { cause: options.cause }),
    ...(options.path === undefined ? {} : { path: options.path }),
    transient: options.transient ?? false,
  });
}

/** The message of whatever was thrown, one line, for status reports and wrapped errors. */
export function describeCause(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.replace(/\s+/g, ' ').trim();
}

// SQLSTATE classes a retry may cure: connection exceptions, transaction rollbacks (deadlock,
// serialization), insufficient resources, operator intervention (shutdown, cancel, timeout) and
// lock_not_available.
const TRANSIENT_SQLSTATE = /^(08|40|53|57)|^55P03$/;

/** True for failures a retry may cure: the connection, the server going away, timeouts, deadlocks. */
export function isTransientFailure(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return true;
  return /^[0-9A-Z]{5}$/.test(code) ? TRANSIENT_SQLSTATE.test(code) : true;
}

/** `error` as a store failure: a `ForcedTlsError` passes through, anything else is wrapped. */
export function asStoreFailure(n: StoreNames, doing: string, error: unknown): ForcedTlsError {
  if (isForcedTlsError(error)) return error;
  return storeFailure(n, `${doing} failed: ${describeCause(error)}`, {
    cause: error,
    transient: isTransientFailure(error),
  });
}
