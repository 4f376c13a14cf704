export {
  argumentError,
  dateArgument,
  isInstance,
  readArgument,
  stringArgument,
  stringsArgument,
} from './arguments.js';
export type { ErrorCode, ErrorCodeInfo, NodemailerCode, RecipientCode, TlsRefusalCode } from './codes.js';
export { ERROR_CODES, isErrorCode, isTlsRefusalCode } from './codes.js';
export { describeValue, jsonSafe, MAX_JSON_STRING } from './describe-value.js';
export type { ForcedTlsErrorOptions } from './forced-tls-error.js';
export { ForcedTlsError, isForcedTlsError } from './forced-tls-error.js';
export type { MessageLanguage } from './messages.js';
export { userMessage, whitelistHint } from './messages.js';
export type {
  DeliveryPhase,
  NotWhitelistableRecipientFailure,
  RecipientFailure,
  RecipientFailureFields,
  WhitelistableRecipientFailure,
  WhitelistRequest,
} from './recipient-failure.js';
export type { FieldKind, ShapeContext } from './shape.js';
export { isArray, isRecord, readShape } from './shape.js';
