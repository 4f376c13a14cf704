import { createPublicKey, type KeyObject, randomBytes, sign } from 'node:crypto';
import {
  bitString,
  boolean,
  explicit,
  nullValue,
  octetString,
  oid,
  sequence,
  set,
  time,
  tlv,
  unsignedInteger,
  utf8String,
} from './der.js';

/** What goes into one test certificate (RFC 5280 v3, RSA key, signed with SHA-256). */
export interface CertificateFields {
  /** Subject common name. */
  readonly subject: string;
  /** Issuer common name (the subject for a self-signed certificate). */
  readonly issuer: string;
  /** The certified key's private or public half (its public key goes into the certificate). */
  readonly publicKey: KeyObject;
  /** The issuer's private key, which signs. */
  readonly signingKey: KeyObject;
  readonly notBefore: Date;
  readonly notAfter: Date;
  /** A CA certificate (basicConstraints cA, keyCertSign) or a TLS server certificate. */
  readonly ca: boolean;
  /** subjectAltName DNS names. */
  readonly names?: readonly string[];
}

const SHA256_WITH_RSA = sequence(oid('1.2.840.113549.1.1.11'), nullValue());

function name(commonName: string): Buffer {
  return sequence(set(sequence(oid('2.5.4.3'), utf8String(commonName))));
}

function extension(id: string, critical: boolean, value: Buffer): Buffer {
  return sequence(oid(id), ...(critical ? [boolean(true)] : []), octetString(value));
}

function extensions(fields: CertificateFields): Buffer {
  const list = [
    extension('2.5.29.19', true, sequence(...(fields.ca ? [boolean(true)] : []))),
    // keyUsage bits: CA keyCertSign(5) + cRLSign(6); server digitalSignature(0) + keyEncipherment(2).
    extension(
      '2.5.29.15',
      true,
      fields.ca ? bitString(Buffer.from([0x06]), 1) : bitString(Buffer.from([0xa0]), 5),
    ),
  ];
  if (!fields.ca) list.push(extension('2.5.29.37', false, sequence(oid('1.3.6.1.5.5.7.3.1'))));
  const names = fields.names ?? [];
  if (names.length > 0) {
    list.push(
      extension('2.5.29.17', false, sequence(...names.map((n) => tlv(0x82, Buffer.from(n, 'ascii'))))),
    );
  }
  return explicit(3, sequence(...list));
}

/** Builds and signs one certificate; returns it PEM encoded. */
export function createCertificate(fields: CertificateFields): string {
  const serial = randomBytes(16);
  serial[0] = (serial[0] ?? 0) & 0x7f;
  const spki = createPublicKey(fields.publicKey).export({ type: 'spki', format: 'der' });
  const tbs = sequence(
    explicit(0, unsignedInteger(Buffer.from([2]))),
    unsignedInteger(serial),
    SHA256_WITH_RSA,
    name(fields.issuer),
    sequence(time(fields.notBefore), time(fields.notAfter)),
    name(fields.subject),
    spki,
    extensions(fields),
  );
  const signature = sign('sha256', tbs, fields.signingKey);
  const der = sequence(tbs, SHA256_WITH_RSA, bitString(signature));
  const base64 = der.toString('base64').replace(/(.{64})/g, '$1\n');
  return `-----BEGIN CERTIFICATE-----\n${base64.replace(/\n$/, '')}\n-----END CERTIFICATE-----\n`;
}
