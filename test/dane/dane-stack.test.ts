import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDnssecResolver, type DnssecResolver } from '../../src/dnssec/index.js';
import {
  createSelfSignedCertificate,
  createTestCa,
  startTestMx,
  type TestMx,
} from '../../src/testing/index.js';
import { deliverWithDane } from '../support/dane-delivery.js';
import { startDnsProxy } from '../support/dns-proxy.js';
import { type DnssecStack, dnssecGate, mxDomainRecords, startDnssecStack } from '../support/dnssec-stack.js';
import {
  ecCertificate,
  opensslCertSha256,
  opensslGate,
  opensslSpkiSha256,
} from '../support/openssl-certificates.js';
import { tempDir } from '../support/system-servers.js';

// End to end: zones signed and served by nsd, validated by unbound, looked up by the DNSSEC resolver,
// the RFC 7672 rules applied, and a real SMTP session to a test MX that logs every line it received
// before and after TLS. Each domain below is one scenario.

const gate = dnssecGate();
const openssl = opensslGate();
const DAY = 86_400_000;
const ca = createTestCa({ commonName: 'DANE-TA stack CA' });

describe.skipIf(!gate.available || !openssl.available)(
  'DANE end to end against nsd + unbound and test MX hosts',
  () => {
    let stack: DnssecStack;
    let dir: Awaited<ReturnType<typeof tempDir>>;
    let resolver: DnssecResolver;
    const mx: Record<string, TestMx> = {};
    const ports: Record<string, number> = {};

    async function serve(host: string, options: Parameters<typeof startTestMx>[0]): Promise<void> {
      mx[host] = await startTestMx({ name: host, ...options });
      ports[host] = mx[host].port;
    }
    const domain = mxDomainRecords;

    beforeAll(async () => {
      dir = await tempDir('dane-stack');
      const ec = ecCertificate(dir.path, 'mx.ee.dane.test');
      const plainEc = ecCertificate(dir.path, 'mx.plain.test');
      const stale = createSelfSignedCertificate({
        names: ['unrelated.example'],
        notBefore: new Date(Date.now() - 60 * DAY),
        notAfter: new Date(Date.now() - DAY),
      });
      const taLeaf = ca.issue({ names: ['mx.ta.dane.test'] });
      const taWrongName = ca.issue({ names: ['other.example.test'] });
      const caDigest = opensslCertSha256(ca.cert);
      const pkixEe = `1 1 1 ${'ab'.repeat(32)}`;
      const pkixTa = `0 0 1 ${'cd'.repeat(32)}`;

      await serve('mx.ee.dane.test', { tls: ec });
      await serve('mx.ta.dane.test', { tls: { key: taLeaf.key, cert: taLeaf.cert + ca.cert } });
      await serve('mx.wrong.dane.test', { certificate: 'valid' });
      await serve('mx.stale.dane.test', { tls: stale });
      await serve('mx.taname.dane.test', { tls: { key: taWrongName.key, cert: taWrongName.cert + ca.cert } });
      await serve('mx.none.dane.test', { certificate: 'valid' });
      await serve('mx.unusable.dane.test', { starttls: false });
      await serve('mx.unusable-tls.dane.test', { certificate: 'self-signed' });
      await serve('mx.plain.test', { tls: plainEc });
      await serve('mx.bogus.test', { certificate: 'valid' });
      await serve('mx2.bogus.test', { certificate: 'valid' });

      stack = await startDnssecStack([
        {
          name: 'dane.test',
          signed: true,
          records: [
            ...domain('ee', 'mx.ee.dane.test', [`3 1 1 ${opensslSpkiSha256(ec.cert)}`]),
            ...domain('ta', 'mx.ta.dane.test', [`2 0 1 ${caDigest}`]),
            ...domain('wrong', 'mx.wrong.dane.test', [`3 1 1 ${'00'.repeat(32)}`]),
            ...domain('stale', 'mx.stale.dane.test', [`3 0 1 ${opensslCertSha256(stale.cert)}`]),
            ...domain('taname', 'mx.taname.dane.test', [`2 0 1 ${caDigest}`]),
            ...domain('none', 'mx.none.dane.test'),
            ...domain('unusable', 'mx.unusable.dane.test', [pkixEe, pkixTa]),
            ...domain('unusable-tls', 'mx.unusable-tls.dane.test', [pkixEe]),
            ...domain('cross', 'mx.plain.test'),
            ...domain('tlsabad', 'mx.bogus.test'),
            ...domain('badaddr', 'mx2.bogus.test'),
          ],
        },
        {
          name: 'bogus.test',
          signed: true,
          records: [
            { name: '@', type: 'MX', value: '10 mx.bogus.test', tamper: true },
            { name: 'mx', type: 'A', value: '127.0.0.1' },
            { name: '_25._tcp.mx', type: 'TLSA', value: `3 1 1 ${'11'.repeat(32)}`, tamper: true },
            { name: 'mx2', type: 'A', value: '127.0.0.1', tamper: true },
          ],
        },
        {
          name: 'plain.test',
          signed: false,
          records: [
            { name: '@', type: 'MX', value: '10 mx.plain.test' },
            { name: 'mx', type: 'A', value: '127.0.0.1' },
            { name: '_25._tcp.mx', type: 'TLSA', value: `3 1 1 ${opensslSpkiSha256(plainEc.cert)}` },
          ],
        },
      ]);
      resolver = createDnssecResolver({ servers: [stack.resolver] });
    });
    afterAll(async () => {
      for (const server of Object.values(mx)) await server.close();
      await stack?.stop();
      await dir?.remove();
    });

    const nothingBeforeTls = (host: string) =>
      expect(mx[host]!.receivedInPlaintext(['MAIL', 'RCPT', 'DATA'])).toEqual([]);
    const neverConnected = (host: string) => expect(mx[host]!.connections).toBe(0);
    const noMail = (host: string) => {
      expect(mx[host]!.messages).toEqual([]);
      expect(mx[host]!.commands()).not.toContain('MAIL');
    };

    it('DANE-EE 3 1 1 with an EC key: delivered over TLS, authenticated by DANE', async () => {
      const result = await deliverWithDane(resolver, 'ee.dane.test', ports);
      expect(result.requirement).toMatchObject({
        status: 'dane_required',
        dnssec: { mx: 'secure', address: 'secure', tlsa: 'secure' },
      });
      expect(result).toMatchObject({ outcome: 'delivered', check: { ok: true, authentication: 'dane' } });
      expect(result.check).toMatchObject({
        match: { usage: 'dane-ee', record: { usage: 3, selector: 1, matchingType: 1 } },
      });
      expect(mx['mx.ee.dane.test']!.messages).toMatchObject([{ secure: true, to: ['mandant@ee.dane.test'] }]);
      nothingBeforeTls('mx.ee.dane.test');
    });

    it('DANE-TA 2 0 1, the server sends leaf + CA: delivered, the name matched the MX host', async () => {
      const result = await deliverWithDane(resolver, 'ta.dane.test', ports);
      expect(result).toMatchObject({
        outcome: 'delivered',
        check: {
          ok: true,
          authentication: 'dane',
          match: { usage: 'dane-ta', depth: 1, name: 'mx.ta.dane.test' },
        },
      });
      nothingBeforeTls('mx.ta.dane.test');
    });

    it('a TLSA record that matches nothing: refused after the handshake (EDANEMISMATCH), no MAIL sent, no PKIX fallback', async () => {
      const result = await deliverWithDane(resolver, 'wrong.dane.test', ports);
      expect(result).toMatchObject({
        outcome: 'refused',
        check: { ok: false, code: 'EDANEMISMATCH', transient: true, tlsRpt: 'tlsa-invalid' },
      });
      expect(mx['mx.wrong.dane.test']!.handshakes).toMatchObject([{ ok: true }]);
      noMail('mx.wrong.dane.test');
    });

    it('a self-signed, expired certificate for an unrelated name: delivered, authenticated by DANE-EE alone', async () => {
      const result = await deliverWithDane(resolver, 'stale.dane.test', ports);
      expect(result).toMatchObject({
        outcome: 'delivered',
        check: { authentication: 'dane', match: { usage: 'dane-ee' } },
      });
      expect(mx['mx.stale.dane.test']!.messages).toMatchObject([{ secure: true }]);
    });

    it('DANE-TA with a certificate for another name: refused (name_mismatch), no MAIL sent', async () => {
      const result = await deliverWithDane(resolver, 'taname.dane.test', ports);
      expect(result).toMatchObject({
        outcome: 'refused',
        check: { code: 'EDANEMISMATCH', tlsRpt: 'certificate-host-mismatch' },
      });
      noMail('mx.taname.dane.test');
    });

    it('authenticated denial (no TLSA at a secure host): no DANE, fallback to the local policy', async () => {
      const result = await deliverWithDane(resolver, 'none.dane.test', ports);
      expect(result.requirement).toMatchObject({
        status: 'no_dane',
        reason: 'tlsa_denied',
        dnssec: { tlsa: 'secure' },
      });
      expect(result.lookups?.tlsa).toMatchObject({ status: 'secure', kind: 'nxdomain' });
      expect(result.outcome).toBe('fallback');
    });

    it('only unusable TLSA records: TLS mandatory, so a plaintext-only MX is refused before any MAIL', async () => {
      const result = await deliverWithDane(resolver, 'unusable.dane.test', ports);
      expect(result.requirement).toMatchObject({ status: 'tls_required', reason: 'unusable_tlsa' });
      expect(result.requirement.unusable).toHaveLength(2);
      expect(result).toMatchObject({ outcome: 'refused', check: { ok: false, code: 'ENOSTARTTLS' } });
      expect(mx['mx.unusable.dane.test']!.commands()).toEqual(['EHLO']);
      noMail('mx.unusable.dane.test');
    });

    it('only unusable TLSA records: an MX with TLS (self-signed) is used, unauthenticated', async () => {
      const result = await deliverWithDane(resolver, 'unusable-tls.dane.test', ports);
      expect(result).toMatchObject({
        outcome: 'delivered',
        check: { ok: true, authentication: 'none', fallback: false },
      });
      expect(mx['mx.unusable-tls.dane.test']!.messages).toMatchObject([{ secure: true }]);
    });

    it('an insecure (unsigned) zone that carries TLSA: DANE not applied, TLSA not even looked up', async () => {
      const result = await deliverWithDane(resolver, 'plain.test', ports);
      expect(result.requirement).toMatchObject({
        status: 'no_dane',
        reason: 'mx_insecure',
        dnssec: { mx: 'insecure' },
      });
      expect(result.lookups?.tlsa).toBeUndefined();
      expect(result.outcome).toBe('fallback');
    });

    it('a secure MX naming a host in an unsigned zone: the address is insecure, DANE not applied', async () => {
      const result = await deliverWithDane(resolver, 'cross.dane.test', ports);
      expect(result.requirement).toMatchObject({ status: 'no_dane', reason: 'address_insecure' });
      expect(result.lookups?.tlsa).toBeUndefined();
    });

    it('a bogus TLSA RRset: the host is deferred (EDNSSEC), never connected to — no plaintext, no PKIX', async () => {
      const result = await deliverWithDane(resolver, 'tlsabad.dane.test', ports);
      expect(result.requirement).toMatchObject({
        status: 'deferred',
        reason: 'tlsa_failed',
        code: 'EDNSSEC',
        transient: true,
        tlsRpt: 'dnssec-invalid',
        dnssec: { mx: 'secure', address: 'secure', tlsa: 'bogus' },
      });
      expect(result.outcome).toBe('deferred');
      neverConnected('mx.bogus.test');
    });

    it('a bogus MX RRset: the domain is deferred, no host connected to', async () => {
      const result = await deliverWithDane(resolver, 'bogus.test', ports);
      expect(result.requirement).toMatchObject({
        status: 'deferred',
        reason: 'mx_failed',
        dnssec: { mx: 'bogus' },
      });
      neverConnected('mx.bogus.test');
    });

    it('a bogus address record: the host is deferred', async () => {
      const result = await deliverWithDane(resolver, 'badaddr.dane.test', ports);
      expect(result.requirement).toMatchObject({ status: 'deferred', reason: 'address_failed' });
      neverConnected('mx2.bogus.test');
    });

    it('level dane-only without usable TLSA: refused (EDANEREQUIRED) without connecting', async () => {
      const before = mx['mx.none.dane.test']!.connections;
      const result = await deliverWithDane(resolver, 'none.dane.test', ports, { level: 'dane-only' });
      expect(result).toMatchObject({
        outcome: 'not_attempted',
        requirement: { status: 'refused', code: 'EDANEREQUIRED', tlsRpt: 'dane-required' },
      });
      expect(mx['mx.none.dane.test']!.connections).toBe(before);
    });

    it('a warm cache: the second delivery to a known MX makes zero DNS queries', async () => {
      const proxy = await startDnsProxy(stack.resolver);
      try {
        const cached = createDnssecResolver({ servers: [proxy.address] });
        expect((await deliverWithDane(cached, 'ee.dane.test', ports)).outcome).toBe('delivered');
        const sent = proxy.udp + proxy.tcp;
        expect(sent).toBe(4); // MX, A, AAAA, TLSA
        expect((await deliverWithDane(cached, 'ee.dane.test', ports)).outcome).toBe('delivered');
        expect(proxy.udp + proxy.tcp).toBe(sent);
        expect(cached.stats()).toMatchObject({ cacheHits: 4 });
      } finally {
        await proxy.close();
      }
    });
  },
);
