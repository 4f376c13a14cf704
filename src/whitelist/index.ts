// writeFileAtomic and acquireFileLock are shared with the MTA-STS policy cache file; the package's
// entry points do not export them.
export type { AtomicWriteOptions } from './atomic-write.js';
export { writeFileAtomic } from './atomic-write.js';
export { DEFAULT_AUDIT_LIMIT, MAX_AUDIT_LIMIT } from './audit-query.js';
export type {
  WhitelistAuditOptions,
  WhitelistAuditQuery,
  WhitelistAuditRecord,
  WhitelistWriteContext,
} from './audit-types.js';
// For the built-in stores outside this folder (forced-tls/stores/postgres); the package root does
// not re-export them.
export { canonicalEntry, checkStoredEntry, findEntryProblem } from './entry-shape.js';
export { WHITELIST_FILE_FORMAT, WHITELIST_FILE_VERSION } from './file-format.js';
export type { FileLock, FileLockOptions } from './file-lock.js';
export { acquireFileLock } from './file-lock.js';
export type { FileWhitelistStoreOptions } from './file-store.js';
export { FileWhitelistStore } from './file-store.js';
export { MemoryWhitelistStore } from './memory-store.js';
export type { LoadedWhitelist, WhitelistSource } from './source.js';
export { checkWhitelistSource, loadWhitelist, readWhitelistSource, whitelistFailureText } from './source.js';
export { MAX_NAME_LENGTH, MAX_REASON_LENGTH } from './text-rules.js';
export type {
  Clock,
  Whitelist,
  WhitelistChange,
  WhitelistEntry,
  WhitelistEntryInput,
  WhitelistListOptions,
  WhitelistOptions,
  WhitelistStore,
} from './types.js';
export { createWhitelist } from './whitelist.js';
