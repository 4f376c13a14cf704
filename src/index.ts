export type { ConnectHook, ConnectTarget, MxRecord, Resolver } from './dns/index.js';
export { createNodeResolver } from './dns/index.js';
export type {
  DeliveryPhase,
  ErrorCode,
  ErrorCodeInfo,
  ForcedTlsErrorOptions,
  MessageLanguage,
  RecipientCode,
  RecipientFailure,
  TlsRefusalCode,
  WhitelistRequest,
} from './errors/index.js';
export {
  ERROR_CODES,
  ForcedTlsError,
  isErrorCode,
  isForcedTlsError,
  isTlsRefusalCode,
  userMessage,
  whitelistHint,
} from './errors/index.js';
