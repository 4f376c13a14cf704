import { createHash, X509Certificate } from 'node:crypto';
import { once } from 'node:events';
import { connect as tlsConnect } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTlsaRecord,
  formatTlsa,
  matchTlsa,
  type TlsaRecord,
  tlsaUsability,
} from '../../src/dane/index.js';
import {
  createSelfSignedCertificate,
  createTestCa,
  startTestMx,
  type TestMx,
} from '../../src/testing/index.js';
import {
  ecCertificate,
  opensslCertSha256,
  opensslGate,
  opensslSpkiSha256,
} from '../support/openssl-certificates.js';
import { smtpConnect } from '../support/starttls-client.js';
import { tempDir } from '../support/system-servers.js';

const DAY = 86_400_000;
const hex = (value: string): Buffer => Buffer.from(value, 'hex');
const record = (usage: number, selector: number, matchingType: number, data: Buffer): TlsaRecord => ({
  usage,
  selector,
  matchingType,
  data,
});
const x509 = (pem: string) => new X509Certificate(pem);
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest();

const ca = createTestCa({ commonName: 'DANE-TA test CA' });
const otherCa = createTestCa({ commonName: 'another test CA' });
const sameNameCa = createTestCa({ commonName: 'DANE-TA test CA' });
const taLeaf = ca.issue({ names: ['mx.ta.test'] });
const names = ['ta.test', 'mx.ta.test'];

/** The chain a real TLS server presents after STARTTLS, read with peerCertificateChain. */
async function presentedChain(key: string, cert: string, name: string): Promise<X509Certificate[]> {
  const mx: TestMx = await startTestMx({ name, tls: { key, cert } });
  try {
    const client = await smtpConnect(mx.port);
    const chain = await client.upgrade(name);
    await client.quit();
    return chain;
  } finally {
    await mx.close();
  }
}

const openssl = opensslGate();

describe.skipIf(!openssl.available)('DANE-EE with an EC key over a real TLS session', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let ec: { key: string; cert: string };
  let chain: X509Certificate[];
  beforeAll(async () => {
    dir = await tempDir('dane-ec');
    ec = ecCertificate(dir.path, 'mx.ee.test');
    chain = await presentedChain(ec.key, ec.cert, 'mx.ee.test');
  });
  afterAll(async () => {
    await dir?.remove();
  });

  it('3 1 1: the SHA-256 of the SPKI as openssl computes it matches the presented EC leaf', () => {
    expect(chain).toHaveLength(1);
    expect(chain[0]!.publicKey.asymmetricKeyType).toBe('ec');
    const result = matchTlsa(chain, [record(3, 1, 1, hex(opensslSpkiSha256(ec.cert)))], { names: [] });
    expect(result).toMatchObject({ matched: true, usage: 'dane-ee', depth: 0 });
  });

  it('getPeerCertificate().pubkey is not the SPKI for EC keys: its digest would not match 3 1 1', async () => {
    const server = await startTestMx({ name: 'mx.ee.test', tls: ec, implicitTls: true });
    try {
      const socket = tlsConnect({ host: '127.0.0.1', port: server.port, rejectUnauthorized: false });
      await once(socket, 'secureConnect');
      const pubkey = socket.getPeerCertificate().pubkey!;
      const spki = socket.getPeerX509Certificate()!.publicKey.export({ type: 'spki', format: 'der' });
      socket.destroy();
      expect(sha256(pubkey).toString('hex')).not.toBe(opensslSpkiSha256(ec.cert));
      expect(sha256(spki).toString('hex')).toBe(opensslSpkiSha256(ec.cert));
    } finally {
      await server.close();
    }
  });

  it('3 0 1 over a real session: the SHA-256 of the full certificate as openssl computes it', () => {
    const result = matchTlsa(chain, [record(3, 0, 1, hex(opensslCertSha256(ec.cert)))], { names: [] });
    expect(result).toMatchObject({ matched: true, usage: 'dane-ee' });
  });

  it('createTlsaRecord and formatTlsa agree with openssl', () => {
    expect(formatTlsa(createTlsaRecord(chain[0]!, 3, 1, 1))).toBe(`3 1 1 ${opensslSpkiSha256(ec.cert)}`);
    expect(formatTlsa(createTlsaRecord(chain[0]!, 3, 0, 1))).toBe(`3 0 1 ${opensslCertSha256(ec.cert)}`);
  });
});

describe('DANE-EE matching', () => {
  it('3 0 1 with an RSA leaf; 3 1 2 (SHA-512) and 3 1 0 (full SPKI) too', async () => {
    const leaf = ca.issue({ names: ['mx.ee.test'] });
    const chain = await presentedChain(leaf.key, leaf.cert, 'mx.ee.test');
    const cert = chain[0]!;
    const spki = cert.publicKey.export({ type: 'spki', format: 'der' });
    for (const r of [
      record(3, 0, 1, sha256(cert.raw)),
      record(3, 1, 2, createHash('sha512').update(spki).digest()),
      record(3, 1, 0, spki),
      record(3, 0, 0, cert.raw),
    ]) {
      expect(matchTlsa(chain, [r], { names: [] })).toMatchObject({
        matched: true,
        usage: 'dane-ee',
        record: r,
      });
    }
  });

  it('a self-signed, expired certificate for an unrelated name is authenticated by DANE-EE alone', async () => {
    const stale = createSelfSignedCertificate({
      names: ['unrelated.example'],
      notBefore: new Date(Date.now() - 60 * DAY),
      notAfter: new Date(Date.now() - DAY),
    });
    const chain = await presentedChain(stale.key, stale.cert, 'mx.ee.test');
    const result = matchTlsa(chain, [record(3, 0, 1, sha256(x509(stale.cert).raw))], {
      names: ['ee.test', 'mx.ee.test'],
    });
    expect(result).toMatchObject({ matched: true, usage: 'dane-ee', depth: 0 });
  });

  it('a record that matches nothing is EDANEMISMATCH no_match, TLS-RPT tlsa-invalid', async () => {
    const chain = await presentedChain(taLeaf.key, taLeaf.cert + ca.cert, 'mx.ta.test');
    const result = matchTlsa(
      chain,
      [record(3, 1, 1, Buffer.alloc(32, 7)), record(2, 0, 1, Buffer.alloc(32, 9))],
      {
        names,
      },
    );
    expect(result).toEqual({
      matched: false,
      reason: 'no_match',
      code: 'EDANEMISMATCH',
      tlsRpt: 'tlsa-invalid',
      message: 'DANE: no TLSA record matches the presented certificate chain',
    });
  });

  it('only PKIX-TA/PKIX-EE records (usages 0/1), even matching ones, authenticate nothing', () => {
    const leaf = x509(taLeaf.cert);
    const result = matchTlsa(
      [leaf],
      [record(1, 0, 1, sha256(leaf.raw)), record(0, 0, 1, sha256(x509(ca.cert).raw))],
      {
        names,
      },
    );
    expect(result).toMatchObject({ matched: false, reason: 'no_usable_records', tlsRpt: 'tlsa-invalid' });
  });

  it('an empty chain matches nothing', () => {
    expect(matchTlsa([], [record(3, 1, 1, Buffer.alloc(32))], { names })).toMatchObject({
      matched: false,
      reason: 'empty_chain',
    });
  });
});

describe('DANE-TA matching', () => {
  let leafAndCa: X509Certificate[];
  beforeAll(async () => {
    leafAndCa = await presentedChain(taLeaf.key, taLeaf.cert + ca.cert, 'mx.ta.test');
  });
  const caCert = () => x509(ca.cert);

  it('the server sends leaf + CA: the chain is read leaf first', () => {
    expect(leafAndCa.map((c) => c.fingerprint256)).toEqual([
      x509(taLeaf.cert).fingerprint256,
      caCert().fingerprint256,
    ]);
  });

  it('2 0 1 and 2 1 1 naming the CA the server sent: chain verified, name matched (MX host)', () => {
    const spki = caCert().publicKey.export({ type: 'spki', format: 'der' });
    for (const r of [record(2, 0, 1, sha256(caCert().raw)), record(2, 1, 1, sha256(spki))]) {
      expect(matchTlsa(leafAndCa, [r], { names })).toEqual({
        matched: true,
        record: r,
        usage: 'dane-ta',
        depth: 1,
        name: 'mx.ta.test',
      });
    }
  });

  it('the recipient domain (nexthop) is a reference identifier too', async () => {
    const leaf = ca.issue({ names: ['ta.test'] });
    const chain = await presentedChain(leaf.key, leaf.cert + ca.cert, 'mx.ta.test');
    expect(matchTlsa(chain, [record(2, 0, 1, sha256(caCert().raw))], { names })).toMatchObject({
      matched: true,
      name: 'ta.test',
    });
  });

  it('2 0 0 and 2 1 0 carry the anchor in the record: the server may send the leaf alone', async () => {
    const leafOnly = await presentedChain(taLeaf.key, taLeaf.cert, 'mx.ta.test');
    expect(leafOnly).toHaveLength(1);
    const spki = caCert().publicKey.export({ type: 'spki', format: 'der' });
    for (const r of [record(2, 0, 0, caCert().raw), record(2, 1, 0, spki)]) {
      expect(matchTlsa(leafOnly, [r], { names })).toMatchObject({
        matched: true,
        usage: 'dane-ta',
        depth: 1,
      });
    }
    // a digest of the anchor cannot stand in for an anchor the server did not send
    expect(matchTlsa(leafOnly, [record(2, 0, 1, sha256(caCert().raw))], { names })).toMatchObject({
      matched: false,
      reason: 'no_match',
    });
  });

  it('a wrong name is refused: EDANEMISMATCH name_mismatch, TLS-RPT certificate-host-mismatch', async () => {
    const leaf = ca.issue({ names: ['other.example.test'] });
    const chain = await presentedChain(leaf.key, leaf.cert + ca.cert, 'mx.ta.test');
    const r = record(2, 0, 1, sha256(caCert().raw));
    expect(matchTlsa(chain, [r], { names })).toMatchObject({
      matched: false,
      reason: 'name_mismatch',
      code: 'EDANEMISMATCH',
      tlsRpt: 'certificate-host-mismatch',
      record: r,
    });
  });

  it('an expired leaf under DANE-TA is refused: expired, TLS-RPT certificate-expired', async () => {
    const leaf = ca.issue({
      names: ['mx.ta.test'],
      notBefore: new Date(Date.now() - 60 * DAY),
      notAfter: new Date(Date.now() - DAY / 2),
    });
    const chain = await presentedChain(leaf.key, leaf.cert + ca.cert, 'mx.ta.test');
    const r = record(2, 0, 1, sha256(caCert().raw));
    expect(matchTlsa(chain, [r], { names })).toMatchObject({
      matched: false,
      reason: 'expired',
      tlsRpt: 'certificate-expired',
    });
    // the same chain passes at a time when the leaf and the CA were both valid (the injected `now`)
    const then = new Date(Date.now() - (3 * DAY) / 4);
    expect(matchTlsa(chain, [r], { names, now: then })).toMatchObject({ matched: true });
  });

  it('an anchor the leaf was not issued by is no anchor: Node drops it from the chain, and given directly it is chain_invalid', async () => {
    const leaf = otherCa.issue({ names: ['mx.ta.test'] });
    const chain = await presentedChain(leaf.key, leaf.cert + ca.cert, 'mx.ta.test');
    const r = record(2, 0, 1, sha256(caCert().raw));
    expect(chain).toHaveLength(1);
    expect(matchTlsa(chain, [r], { names })).toMatchObject({ matched: false, reason: 'no_match' });
    expect(matchTlsa([x509(leaf.cert), caCert()], [r], { names })).toMatchObject({
      matched: false,
      reason: 'chain_invalid',
      tlsRpt: 'tlsa-invalid',
      record: r,
    });
  });

  it('an anchor with the issuer name but another key (signature fails) is chain_invalid', async () => {
    const leaf = sameNameCa.issue({ names: ['mx.ta.test'] });
    const chain = await presentedChain(leaf.key, leaf.cert + ca.cert, 'mx.ta.test');
    expect(chain[0]!.checkIssued(chain[1]!)).toBe(true);
    expect(matchTlsa(chain, [record(2, 0, 1, sha256(caCert().raw))], { names })).toMatchObject({
      matched: false,
      reason: 'chain_invalid',
    });
    expect(matchTlsa([chain[0]!], [record(2, 0, 0, caCert().raw)], { names })).toMatchObject({
      matched: false,
      reason: 'chain_invalid',
    });
  });

  it('a DANE-TA record naming the leaf itself is no trust anchor', () => {
    const leaf = leafAndCa[0]!;
    expect(matchTlsa(leafAndCa, [record(2, 0, 1, sha256(leaf.raw))], { names })).toMatchObject({
      matched: false,
      reason: 'no_match',
    });
  });
});

describe('TLSA usability (RFC 7672 §3.1)', () => {
  const d32 = Buffer.alloc(32, 1);
  it.each([
    [record(3, 1, 1, d32), 'usable'],
    [record(2, 0, 1, d32), 'usable'],
    [record(3, 0, 2, Buffer.alloc(64, 1)), 'usable'],
    [record(3, 1, 0, Buffer.alloc(91, 1)), 'usable'],
    [record(0, 0, 1, d32), 'pkix_usage'],
    [record(1, 1, 1, d32), 'pkix_usage'],
    [record(4, 1, 1, d32), 'unknown_usage'],
    [record(255, 1, 1, d32), 'unknown_usage'],
    [record(3, 2, 1, d32), 'unknown_selector'],
    [record(3, 1, 3, d32), 'unknown_matching_type'],
    [record(3, 1, 1, Buffer.alloc(31, 1)), 'bad_digest_length'],
    [record(3, 1, 2, d32), 'bad_digest_length'],
    [record(3, 1, 0, Buffer.alloc(0)), 'empty_data'],
  ] as const)('%o is %s', (r, expected) => {
    expect(tlsaUsability(r)).toBe(expected);
  });
});
