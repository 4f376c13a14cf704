import { generateKeyPairSync, type KeyObject, X509Certificate } from 'node:crypto';
import { createCertificate } from './x509-certificate.js';

/** A certificate and its private key, PEM encoded. */
export interface TestCertificate {
  /** The private key (PEM), for the server. */
  readonly key: string;
  /** The certificate (PEM), for the server. */
  readonly cert: string;
  /** SHA-256 fingerprint as Node prints it (`AB:CD:…`), for `fingerprint` rules. */
  readonly fingerprint256: string;
}

/** Options for one leaf certificate. */
export interface TestCertificateOptions {
  /** DNS names (subjectAltName); the first is also the common name. */
  readonly names: readonly string[];
  /** @default one day before now */
  readonly notBefore?: Date;
  /** @default 30 days after now */
  readonly notAfter?: Date;
}

/** A throw-away certificate authority for tests. Never use it outside tests. */
export interface TestCa {
  /** The CA certificate: pass it as `ca` to trust certificates it issued. */
  readonly cert: string;
  /** The CA's private key (PEM). */
  readonly key: string;
  /** Issues a server certificate for the given names (valid for 30 days unless told otherwise). */
  issue(options: TestCertificateOptions): TestCertificate;
}

const DAY = 24 * 60 * 60 * 1000;

// RSA key generation is the slow part; one key per process serves every leaf certificate.
let sharedLeafKey: KeyObject | undefined;

function newKey(): KeyObject {
  return generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
}

function leafKey(): KeyObject {
  sharedLeafKey ??= newKey();
  return sharedLeafKey;
}

function pem(key: KeyObject): string {
  return key.export({ type: 'pkcs1', format: 'pem' }).toString();
}

function leaf(
  options: TestCertificateOptions,
  issuer: { readonly cn: string; readonly key: KeyObject } | undefined,
): TestCertificate {
  const key = leafKey();
  const subject = options.names[0] ?? 'localhost';
  const now = Date.now();
  const cert = createCertificate({
    subject,
    issuer: issuer?.cn ?? subject,
    publicKey: key,
    signingKey: issuer?.key ?? key,
    notBefore: options.notBefore ?? new Date(now - DAY),
    notAfter: options.notAfter ?? new Date(now + 30 * DAY),
    ca: false,
    names: options.names,
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
export function createTestCa(options: { commonName?: string } = {}): TestCa {
  const commonName = options.commonName ?? 'forced-tls test CA';
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
    issue: (options) => leaf(options, { cn: commonName, key }),
  };
}

/** A self-signed server certificate (trusted by nobody). */
export function createSelfSignedCertificate(options: TestCertificateOptions): TestCertificate {
  return leaf(options, undefined);
}
