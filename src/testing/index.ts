export type { DecisionExpectation, DecisionMismatch } from './policy-expectations.js';
export {
  assertDecisions,
  checkDecisions,
  formatMismatches,
  parseExpectations,
} from './policy-expectations.js';
export type { TestCa, TestCertificate, TestCertificateOptions } from './test-ca.js';
export { createSelfSignedCertificate, createTestCa } from './test-ca.js';
