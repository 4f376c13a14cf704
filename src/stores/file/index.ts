export { WHITELIST_FILE_FORMAT, WHITELIST_FILE_VERSION } from '../../whitelist/file-format.js';
export type { FileWhitelistStoreOptions } from '../../whitelist/file-store.js';
export { FileWhitelistStore } from '../../whitelist/file-store.js';
