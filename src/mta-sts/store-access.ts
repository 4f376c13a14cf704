import { isForcedTlsError } from '../errors/index.js';
import { describeCacheEntryProblem, findCacheEntryProblem, isCheckedCacheEntry } from './cache-entry.js';
import type { MtaStsCacheEntry, MtaStsCacheStore } from './cache-types.js';
import { cacheStoreError } from './store-error.js';

function wrap(operation: string, domain: string, error: unknown): Error {
  if (isForcedTlsError(error)) return error;
  const why = error instanceof Error ? error.message : String(error);
  return cacheStoreError('store', `${operation}(${domain}) failed: ${why}`, { cause: error });
}

/** `store.get`, with a store's own error wrapped as `ESTORE` and a malformed answer refused. */
export async function readEntry(
  store: MtaStsCacheStore,
  domain: string,
): Promise<MtaStsCacheEntry | undefined> {
  let entry: MtaStsCacheEntry | undefined;
  try {
    entry = await store.get(domain);
  } catch (error) {
    throw wrap('get', domain, error);
  }
  if (entry === undefined || entry === null) return undefined;
  // The library's own stores return entries they checked and froze; any other store's are checked here.
  const problem = isCheckedCacheEntry(entry) ? undefined : findCacheEntryProblem(entry);
  if (problem !== undefined) {
    throw cacheStoreError(
      'store',
      `get(${domain}) returned a malformed entry: ${describeCacheEntryProblem(problem)}`,
      {
        path: problem.path,
      },
    );
  }
  if (entry.domain !== domain) {
    throw cacheStoreError('store', `get(${domain}) returned the entry of ${entry.domain}`, {
      path: 'domain',
    });
  }
  return entry;
}

/** `store.set`, errors wrapped as `ESTORE`. */
export async function writeEntry(store: MtaStsCacheStore, entry: MtaStsCacheEntry): Promise<void> {
  try {
    await store.set(entry);
  } catch (error) {
    throw wrap('set', entry.domain, error);
  }
}

/** `store.delete`, errors wrapped as `ESTORE`. */
export async function deleteEntry(store: MtaStsCacheStore, domain: string): Promise<boolean> {
  try {
    return await store.delete(domain);
  } catch (error) {
    throw wrap('delete', domain, error);
  }
}
