export type { TestCa, TestCertificate, TestCertificateOptions } from './test-ca.js';
export { createSelfSignedCertificate, createTestCa } from './test-ca.js';
