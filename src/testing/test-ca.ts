import { generateKeyPairSync, X509Certificate } from 'node:crypto';
import forge from 'node-forge';
import { checkCaOptions, checkCertificateOptions } from './check-arguments.js';
import type { TestCa, TestCertificate, TestCertificateOptions } from './test-ca-types.js';

export type { TestCa, TestCertificate, TestCertificateOptions } from './test-ca-types.js';

const DAY = 24 * 60 * 60 * 1000;
let serial = 1;

// RSA key generation is the slow part; one key per size and process serves every leaf certificate.
const sharedLeafKeys = new Map<number, forge.pki.rsa.KeyPair>();

function newKeyPair(modulusLength = 2048): forge.pki.rsa.KeyPair {
  const { privateKey } = generateKeyPairSync('rsa', {
    modulusLength,
    privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  const key = forge.pki.privateKeyFromPem(privateKey) as forge.pki.rsa.PrivateKey;
  return { privateKey: key, publicKey: forge.pki.setRsaPublicKey(key.n, key.e) };
}

function leafKey(bits = 2048): forge.pki.rsa.KeyPair {
  let keys = sharedLeafKeys.get(bits);
  if (keys === undefined) {
    keys = newKeyPair(bits);
    sharedLeafKeys.set(bits, keys);
  }
  return keys;
}

function build(
  subjectCn: string,
  keys: forge.pki.rsa.KeyPair,
  issuer: { cn: string; key: forge.pki.rsa.PrivateKey } | undefined,
  options: {
    names?: readonly string[];
    notBefore?: Date;
    notAfter?: Date;
    commonNameOnly?: boolean;
    ca: boolean;
  },
): forge.pki.Certificate {
  const cert = forge.pki.createCertificate();
  cert.publicKey = keys.publicKey;
  cert.serialNumber = (serial++).toString(16).padStart(2, '0');
  const now = Date.now();
  cert.validity.notBefore = options.notBefore ?? new Date(now - DAY);
  cert.validity.notAfter = options.notAfter ?? new Date(now + 30 * DAY);
  cert.setSubject([{ name: 'commonName', value: subjectCn }]);
  cert.setIssuer([{ name: 'commonName', value: issuer?.cn ?? subjectCn }]);
  const extensions: object[] = [
    { name: 'basicConstraints', cA: options.ca, critical: true },
    options.ca
      ? { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true }
      : { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
  ];
  if (!options.ca) extensions.push({ name: 'extKeyUsage', serverAuth: true });
  if (options.names && options.names.length > 0 && options.commonNameOnly !== true) {
    extensions.push({ name: 'subjectAltName', altNames: options.names.map((value) => ({ type: 2, value })) });
  }
  cert.setExtensions(extensions);
  cert.sign(issuer?.key ?? keys.privateKey, forge.md.sha256.create());
  return cert;
}

function toTestCertificate(cert: forge.pki.Certificate, key: forge.pki.rsa.PrivateKey): TestCertificate {
  const pem = forge.pki.certificateToPem(cert);
  return {
    cert: pem,
    key: forge.pki.privateKeyToPem(key),
    fingerprint256: new X509Certificate(pem).fingerprint256,
  };
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
  const keys = newKeyPair();
  const caCert = build(commonName, keys, undefined, { ca: true, notAfter: new Date(Date.now() + 365 * DAY) });
  const cert = forge.pki.certificateToPem(caCert);
  return {
    cert,
    key: forge.pki.privateKeyToPem(keys.privateKey),
    issue(input) {
      const leaf = checkCertificateOptions(input);
      const first = leaf.commonName ?? leaf.names[0] ?? 'localhost';
      const k = leafKey(leaf.keyBits);
      const built = build(first, k, { cn: commonName, key: keys.privateKey }, { ...leaf, ca: false });
      return toTestCertificate(built, k.privateKey);
    },
  };
}

/** A self-signed server certificate (trusted by nobody). */
export function createSelfSignedCertificate(input: TestCertificateOptions): TestCertificate {
  const options = checkCertificateOptions(input);
  const k = leafKey(options.keyBits);
  const built = build(options.names[0] ?? 'localhost', k, undefined, { ...options, ca: false });
  return toTestCertificate(built, k.privateKey);
}
