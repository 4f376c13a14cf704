import { X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createSelfSignedCertificate, createTestCa } from '../../src/testing/index.js';

describe('test CA options for weak and unusual certificates', () => {
  const ca = createTestCa();

  it('issues leaf certificates with the RSA key size asked for (2048 by default)', () => {
    const bits = (pem: string) => new X509Certificate(pem).publicKey.asymmetricKeyDetails?.modulusLength;
    expect(bits(ca.issue({ names: ['mx.a.test'] }).cert)).toBe(2048);
    expect(bits(ca.issue({ names: ['mx.a.test'], keyBits: 1024 }).cert)).toBe(1024);
    expect(bits(createSelfSignedCertificate({ names: ['mx.a.test'], keyBits: 1024 }).cert)).toBe(1024);
  });

  it('issues a CN-only certificate: the name in the subject, no subjectAltName', () => {
    const cert = new X509Certificate(ca.issue({ names: ['mx.cn.test'], commonNameOnly: true }).cert);
    expect(cert.subject).toBe('CN=mx.cn.test');
    expect(cert.subjectAltName).toBeUndefined();
    expect(cert.checkHost('mx.cn.test', { subject: 'never' })).toBeUndefined();
    expect(cert.checkIssued(new X509Certificate(ca.cert))).toBe(true);
    expect(new X509Certificate(ca.issue({ names: ['mx.cn.test'] }).cert).subjectAltName).toBe(
      'DNS:mx.cn.test',
    );
  });
});
