import { describeCacheEntryProblem, findCacheEntryProblem, frozenCacheEntry } from './cache-entry.js';
import type { MtaStsCacheEntry } from './cache-types.js';
import { cacheStoreError } from './store-error.js';

/** The `format` tag of an MTA-STS policy cache file. */
export const MTA_STS_CACHE_FILE_FORMAT = 'forced-tls-mta-sts-cache';
/** The cache file format version this release reads and writes. */
export const MTA_STS_CACHE_FILE_VERSION = 1;

const UNUSABLE = 'it was not changed; fix, move or delete it (deleting loses the cached policies)';

/** The file text for `entries`: pretty JSON, entries sorted by domain, a final newline. */
export function serializeCacheFile(entries: Iterable<MtaStsCacheEntry>): string {
  const sorted = [...entries].sort((a, b) => (a.domain < b.domain ? -1 : a.domain > b.domain ? 1 : 0));
  const doc = { format: MTA_STS_CACHE_FILE_FORMAT, version: MTA_STS_CACHE_FILE_VERSION, entries: sorted };
  return `${JSON.stringify(doc, null, 2)}\n`;
}

/**
 * Parses a cache file into entries by domain. Anything unexpected (not JSON, truncated, another
 * format or version, an invalid or duplicate entry) throws `ESTORE` naming the file and the JSON
 * path; the store then never overwrites the file.
 */
export function parseCacheFile(text: string, file: string): ReadonlyMap<string, MtaStsCacheEntry> {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (body.trim() === '') throw cacheStoreError(file, `is empty (truncated?); ${UNUSABLE}`);
  let doc: unknown;
  try {
    doc = JSON.parse(body);
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    throw cacheStoreError(file, `is not valid JSON (${why}); ${UNUSABLE}`, { cause: error });
  }
  const top = (typeof doc === 'object' && doc !== null && !Array.isArray(doc) ? doc : {}) as Record<
    string,
    unknown
  >;
  if (top['format'] !== MTA_STS_CACHE_FILE_FORMAT) {
    throw cacheStoreError(
      file,
      `is not a forced-tls MTA-STS cache (format ${JSON.stringify(top['format']) ?? 'missing'}); ${UNUSABLE}`,
      {
        path: 'format',
      },
    );
  }
  if (top['version'] !== MTA_STS_CACHE_FILE_VERSION) {
    const why = `has version ${JSON.stringify(top['version']) ?? 'missing'}, this release reads version ${MTA_STS_CACHE_FILE_VERSION}`;
    throw cacheStoreError(file, `${why}; ${UNUSABLE}`, { path: 'version' });
  }
  const extra = Object.keys(top).find((key) => !['format', 'version', 'entries'].includes(key));
  if (extra !== undefined)
    throw cacheStoreError(file, `has an unknown field ${JSON.stringify(extra)}; ${UNUSABLE}`, {
      path: extra,
    });
  const list = top['entries'];
  if (!Array.isArray(list))
    throw cacheStoreError(file, `entries is not an array; ${UNUSABLE}`, { path: 'entries' });
  const entries = new Map<string, MtaStsCacheEntry>();
  list.forEach((raw: unknown, index) => {
    const problem = findCacheEntryProblem(raw);
    const at = (field: string) => `entries[${index}]${field === '' ? '' : `.${field}`}`;
    if (problem !== undefined) {
      throw cacheStoreError(file, `${at('')}: ${describeCacheEntryProblem(problem)}; ${UNUSABLE}`, {
        path: at(problem.path),
      });
    }
    const entry = raw as MtaStsCacheEntry;
    if (entries.has(entry.domain)) {
      throw cacheStoreError(file, `${at('domain')}: ${entry.domain} appears twice; ${UNUSABLE}`, {
        path: at('domain'),
      });
    }
    entries.set(entry.domain, frozenCacheEntry(entry));
  });
  return entries;
}
