export type { AnalyzeReceivedOptions } from './analyze-received.js';
export { analyzeReceived } from './analyze-received.js';
export type { HeaderMap, ParsedMailLike, ReceivedInput } from './header-input.js';
export type {
  ReceivedAnalysis,
  ReceivedHop,
  ReceivedHopProblem,
  ReceivedRuleCheck,
  ReceivedStatus,
  ReceivedTls,
  ReceivedTlsEvidence,
} from './received-types.js';
