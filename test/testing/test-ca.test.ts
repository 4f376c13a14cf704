import { createPrivateKey, X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { oid, time, tlv, unsignedInteger } from '../../src/testing/der.js';
import { createSelfSignedCertificate, createTestCa } from '../../src/testing/index.js';

const DAY = 24 * 60 * 60 * 1000;

describe('DER encoding', () => {
  it('uses the long length form from 128 bytes on', () => {
    expect([...tlv(0x04, new Uint8Array(5)).subarray(0, 2)]).toEqual([0x04, 5]);
    expect([...tlv(0x04, new Uint8Array(200)).subarray(0, 3)]).toEqual([0x04, 0x81, 200]);
    expect([...tlv(0x04, new Uint8Array(300)).subarray(0, 4)]).toEqual([0x04, 0x82, 0x01, 0x2c]);
  });

  it('encodes object identifiers with base-128 arcs', () => {
    // 1.2.840.113549 → 2a 86 48 86 f7 0d (X.690 §8.19 example)
    expect(oid('1.2.840.113549').toString('hex')).toBe('06062a864886f70d');
    expect(oid('2.5.29.17').toString('hex')).toBe('0603551d11');
  });

  it('keeps integers positive and minimal', () => {
    expect(unsignedInteger(Buffer.from([0x80])).toString('hex')).toBe('02020080');
    expect(unsignedInteger(Buffer.from([0, 0, 5])).toString('hex')).toBe('020105');
  });

  it('writes UTCTime up to 2049 and GeneralizedTime from 2050 (RFC 5280 §4.1.2.5)', () => {
    expect(time(new Date('2049-12-31T23:59:59Z')).toString('latin1').slice(2)).toBe('491231235959Z');
    expect(time(new Date('2050-01-01T00:00:00Z')).toString('latin1').slice(2)).toBe('20500101000000Z');
  });
});

describe('createTestCa', () => {
  it('issues server certificates that Node parses, with the CA as verified issuer', () => {
    const ca = createTestCa({ commonName: 'Test CA X' });
    const leaf = ca.issue({ names: ['mx.mandant.test', 'mx2.mandant.test'] });
    const caCert = new X509Certificate(ca.cert);
    const cert = new X509Certificate(leaf.cert);
    expect(caCert.ca).toBe(true);
    expect(caCert.subject).toBe('CN=Test CA X');
    expect(cert.ca).toBe(false);
    expect(cert.subject).toBe('CN=mx.mandant.test');
    expect(cert.issuer).toBe('CN=Test CA X');
    expect(cert.subjectAltName).toBe('DNS:mx.mandant.test, DNS:mx2.mandant.test');
    expect(cert.keyUsage).toEqual(['1.3.6.1.5.5.7.3.1']);
    expect(cert.checkIssued(caCert)).toBe(true);
    expect(cert.verify(caCert.publicKey)).toBe(true);
    expect(cert.checkPrivateKey(createPrivateKey(leaf.key))).toBe(true);
    expect(leaf.fingerprint256).toBe(cert.fingerprint256);
  });

  it('honours notBefore and notAfter', () => {
    const notBefore = new Date(Date.now() - 60 * DAY);
    const notAfter = new Date(Date.now() - DAY);
    const cert = new X509Certificate(createTestCa().issue({ names: ['old.test'], notBefore, notAfter }).cert);
    expect(new Date(cert.validFrom).getTime()).toBe(Math.floor(notBefore.getTime() / 1000) * 1000);
    expect(new Date(cert.validTo).getTime()).toBe(Math.floor(notAfter.getTime() / 1000) * 1000);
  });

  it('gives each certificate its own serial number', () => {
    const ca = createTestCa();
    const serials = [1, 2, 3].map(
      () => new X509Certificate(ca.issue({ names: ['a.test'] }).cert).serialNumber,
    );
    expect(new Set(serials).size).toBe(3);
  });

  it('makes self-signed certificates their own issuer, trusted by no CA', () => {
    const self = new X509Certificate(createSelfSignedCertificate({ names: ['self.test'] }).cert);
    expect(self.issuer).toBe('CN=self.test');
    expect(self.verify(self.publicKey)).toBe(true);
    expect(self.checkIssued(new X509Certificate(createTestCa().cert))).toBe(false);
  });
});
