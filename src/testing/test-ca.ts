import { generateKeyPairSync, type KeyObject, X509Certificate } from 'node:crypto';
import { checkCaOptions, checkCertificateOptions } from './check-arguments.js';
import type { TestCa, TestCertificate, TestCertificateOptions } from './test-ca-types.js';
import { createCertificate } from './x509-certificate.js';

export type { TestCa, TestCertificate, TestCertificateOptions } from './test-ca-types.js';

const DAY = 24 * 60 * 60 * 1000;

// RSA key generation is the slow part; one key per size and process serves every leaf certificate.
const leafKeys = new Map<number, KeyObject>();

function newKey(bits = 2048): KeyObject {
  return generateKeyPairSync('rsa', { modulusLength: bits }).privateKey;
}

function leafKey(bits = 2048): KeyObject {
  let key = leafKeys.get(bits);
  if (key === undefined) {
    key = newKey(bits);
    leafKeys.set(bits, key);
  }
  return key;
}

function pem(key: KeyObject): string {
  return key.export({ type: 'pkcs1', format: 'pem' }).toString();
}

function leaf(
  options: TestCertificateOptions,
  issuer: { readonly cn: string; readonly key: KeyObject } | undefined,
): TestCertificate {
  const key = leafKey(options.keyBits);
  const subject = options.commonName ?? options.names[0] ?? 'localhost';
  const now = Date.now();
  const cert = createCertificate({
    subject,
    issuer: issuer?.cn ?? subject,
    publicKey: key,
    signingKey: issuer?.key ?? key,
    notBefore: options.notBefore ?? new Date(now - DAY),
    notAfter: options.notAfter ?? new Date(now + 30 * DAY),
    ca: false,
    // A CN-only certificate carries its name in the subject alone.
    names: options.commonNameOnly === true ? [] : options.names,
  });
  return { cert, key: pem(key), fingerprint256: new X509Certificate(cert).fingerprint256 };
}

/**
 * Creates a test CA that issues server certificates (valid, expired, for other names).
 *
 * @example
 * ```ts
 * const ca = createTestCa();
 * const { key, cert } = ca.issue({ names: ['mx.mandant.test'] });
 * // server: { key, cert }; client: { tls: { ca: ca.cert } }
 * ```
 */
export function createTestCa(input?: { commonName?: string }): TestCa {
  const commonName = checkCaOptions(input).commonName ?? 'forced-tls test CA';
  const key = newKey();
  const now = Date.now();
  const cert = createCertificate({
    subject: commonName,
    issuer: commonName,
    publicKey: key,
    signingKey: key,
    notBefore: new Date(now - DAY),
    notAfter: new Date(now + 365 * DAY),
    ca: true,
  });
  return {
    cert,
    key: pem(key),
    issue: (options) => leaf(checkCertificateOptions(options), { cn: commonName, key }),
  };
}

/**
 * A self-signed server certificate (trusted by nobody).
 *
 * @example
 * ```ts
 * const { key, cert, fingerprint256 } = createSelfSignedCertificate({ names: ['mx.mandant.test'] });
 * ```
 */
export function createSelfSignedCertificate(input: TestCertificateOptions): TestCertificate {
  return leaf(checkCertificateOptions(input), undefined);
}
