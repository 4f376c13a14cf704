import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { systemServerGate } from './system-servers.js';

/** The `openssl` binary the EC certificates and independent digests below need. */
export const opensslGate = () => systemServerGate('openssl', { openssl: ['/usr/bin/openssl'] });

/**
 * A self-signed certificate with an ECDSA P-256 key, made by `openssl req` in `dir` (the test CA of
 * `forced-tls/testing` issues RSA keys only).
 */
export function ecCertificate(dir: string, name: string): { key: string; cert: string } {
  const key = join(dir, `${name}.key.pem`);
  const cert = join(dir, `${name}.cert.pem`);
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      key,
      '-out',
      cert,
      '-days',
      '30',
      '-subj',
      `/CN=${name}`,
      '-addext',
      `subjectAltName=DNS:${name}`,
    ],
    { stdio: 'ignore' },
  );
  return { key: readFileSync(key, 'utf8'), cert: readFileSync(cert, 'utf8') };
}

/**
 * The SHA-256 of a certificate's DER SubjectPublicKeyInfo as openssl computes it
 * (`x509 -pubkey | pkey -pubin -outform DER | dgst -sha256`): the data of a `3 1 1` record, found
 * without the code under test.
 */
export function opensslSpkiSha256(pem: string): string {
  const pub = execFileSync('openssl', ['x509', '-pubkey', '-noout'], { input: pem });
  const der = execFileSync('openssl', ['pkey', '-pubin', '-outform', 'DER'], { input: pub });
  return execFileSync('openssl', ['dgst', '-sha256', '-r'], { input: der }).toString().split(' ')[0]!;
}

/** The SHA-256 of a certificate's DER encoding as openssl computes it: the data of a `3 0 1` record. */
export function opensslCertSha256(pem: string): string {
  const der = execFileSync('openssl', ['x509', '-outform', 'DER'], { input: pem });
  return execFileSync('openssl', ['dgst', '-sha256', '-r'], { input: der }).toString().split(' ')[0]!;
}
