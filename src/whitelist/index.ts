export { WHITELIST_FILE_FORMAT, WHITELIST_FILE_VERSION } from './file-format.js';
export type { FileWhitelistStoreOptions } from './file-store.js';
export { FileWhitelistStore } from './file-store.js';
export { MemoryWhitelistStore } from './memory-store.js';
export type { WhitelistSource } from './source.js';
export { checkWhitelistSource, readWhitelistSource } from './source.js';
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
