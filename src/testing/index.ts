/**
 * Tools for a host app's tests: test SMTP servers (`startTestMx`), a test CA (`createTestCa`,
 * `defaultTestCa`), a fake DNS (`createTestNetwork`), policy expectations and the whitelist store
 * contract suite. Never for production.
 *
 * @module forced-tls/testing
 */
export type { MtaStsCacheContractOptions, MtaStsCacheContractTest } from './mta-sts-cache-contract.js';
export { runMtaStsCacheContract } from './mta-sts-cache-contract.js';
export type { DecisionExpectation, DecisionMismatch } from './policy-expectations.js';
export {
  assertDecisions,
  checkDecisions,
  formatMismatches,
  parseExpectations,
} from './policy-expectations.js';
export type { TestCa, TestCertificate, TestCertificateOptions } from './test-ca.js';
export { createSelfSignedCertificate, createTestCa } from './test-ca.js';
export { startTestMx } from './test-mx.js';
export { defaultTestCa } from './test-mx-certificate.js';
export type { TestMxOptions } from './test-mx-options.js';
export { SENSITIVE_COMMANDS } from './test-mx-recorder.js';
export type {
  TestMx,
  TestMxAuthAttempt,
  TestMxCertificatePreset,
  TestMxCommandContext,
  TestMxCommandResult,
  TestMxDribble,
  TestMxHandshake,
  TestMxLogEntry,
  TestMxMessage,
  TestMxPhase,
  TestMxReplyPoint,
  TestMxStallPoint,
  TestMxTlsOptions,
} from './test-mx-types.js';
export { createTestNetwork, dnsError } from './test-network.js';
export type {
  TestDomain,
  TestHost,
  TestNetwork,
  TestNetworkCall,
  TestNetworkOptions,
} from './test-network-types.js';
export { startTestPolicyHost } from './test-policy-host.js';
export type {
  TestPolicyCertificate,
  TestPolicyHost,
  TestPolicyHostOptions,
  TestPolicyRequest,
  TestPolicyResponse,
} from './test-policy-host-types.js';
export type {
  WhitelistStoreContractOptions,
  WhitelistStoreContractTest,
} from './whitelist-store-contract.js';
export { runWhitelistStoreContract } from './whitelist-store-contract.js';
