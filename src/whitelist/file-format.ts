import { errorMessage } from '../internal/error-code.js';
import { ENTRY_FIELDS, findEntryProblem } from './entry-shape.js';
import { storeError } from './store-error.js';
import type { WhitelistEntry } from './types.js';

/** The `format` tag of a whitelist file. */
export const WHITELIST_FILE_FORMAT = 'forced-tls-whitelist';
/** The file format version this release reads and writes. */
export const WHITELIST_FILE_VERSION = 1;

const TOP_LEVEL = new Set(['format', 'version', 'entries']);
/** The end of every message about an unusable file: the store never rewrites it. */
export const UNUSABLE = 'it was not changed; fix or move it';

function shorten(text: string): string {
  return text.length > 80 ? `${text.slice(0, 80)}…` : text;
}

/**
 * Parses the text of a whitelist file: one `JSON.parse`, then one pass checking every entry.
 * Anything unexpected (not JSON, truncated, another format or version, an invalid or duplicate
 * entry) throws `ESTORE` naming the file and what is wrong. Returned entries are frozen.
 */
export function parseWhitelistFile(text: string, file: string): readonly WhitelistEntry[] {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (body.trim() === '') throw storeError(file, `is empty (truncated?); ${UNUSABLE}`);
  let doc: unknown;
  try {
    doc = JSON.parse(body);
  } catch (error) {
    const why = errorMessage(error);
    throw storeError(file, `is not valid JSON (${why}), perhaps truncated; ${UNUSABLE}`, { cause: error });
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
    throw storeError(file, `is not a forced-tls whitelist (expected a JSON object); ${UNUSABLE}`);
  }
  const top = doc as Record<string, unknown>;
  if (top['format'] !== WHITELIST_FILE_FORMAT) {
    const shown = shorten(JSON.stringify(top['format']) ?? 'missing');
    throw storeError(file, `is not a forced-tls whitelist (format ${shown}); ${UNUSABLE}`, {
      path: 'format',
      value: top['format'],
    });
  }
  if (top['version'] !== WHITELIST_FILE_VERSION) {
    const shown = shorten(JSON.stringify(top['version']) ?? 'missing');
    const why = `has version ${shown}, this release reads version ${WHITELIST_FILE_VERSION}`;
    throw storeError(file, `${why}; ${UNUSABLE}`, { path: 'version', value: top['version'] });
  }
  for (const key of Object.keys(top)) {
    if (!TOP_LEVEL.has(key)) throw storeError(file, `has an unknown field "${shorten(key)}"; ${UNUSABLE}`);
  }
  const entries = top['entries'];
  if (!Array.isArray(entries)) {
    throw storeError(file, `"entries" must be an array; ${UNUSABLE}`, { path: 'entries' });
  }
  const ids = new Set<string>();
  for (let i = 0; i < entries.length; i++) {
    const entry: unknown = entries[i];
    const problem = findEntryProblem(entry);
    if (problem !== undefined) {
      const path = problem.field === '' ? `entries[${i}]` : `entries[${i}].${problem.field}`;
      const shown = problem.value === undefined ? 'missing' : shorten(JSON.stringify(problem.value));
      throw storeError(file, `${path} ${shown} ${problem.why}; ${UNUSABLE}`, { path, value: problem.value });
    }
    const id = (entry as WhitelistEntry).id;
    if (ids.has(id)) {
      throw storeError(file, `entries[${i}].id "${shorten(id)}" is a duplicate; ${UNUSABLE}`, {
        path: `entries[${i}].id`,
        value: id,
      });
    }
    ids.add(id);
    Object.freeze(entry);
  }
  return Object.freeze(entries as WhitelistEntry[]);
}

// Used as the replacer of JSON.stringify: it fixes the key order of every object written.
const KEY_ORDER = [...TOP_LEVEL, ...ENTRY_FIELDS];

/** The text of a whitelist file: pretty-printed JSON, fields in canonical order, trailing newline. */
export function serializeWhitelistFile(entries: readonly WhitelistEntry[]): string {
  const doc = { format: WHITELIST_FILE_FORMAT, version: WHITELIST_FILE_VERSION, entries };
  return `${JSON.stringify(doc, KEY_ORDER, 2)}\n`;
}
