import { afterEach, describe, expect, it } from 'vitest';
import { checkDomainLevel, createProber } from '../../src/probe/index.js';
import { createTestNetwork, startTestMx, type TestNetwork } from '../../src/testing/index.js';
import { optionsFor } from './helpers.js';

let network: TestNetwork | undefined;

afterEach(async () => {
  await network?.close();
  network = undefined;
});

async function setup() {
  const good = await startTestMx({ name: 'mx.good.test' });
  const selfSigned = await startTestMx({ name: 'mx.selfsigned.test', certificate: 'self-signed' });
  const plain = await startTestMx({ name: 'mx.plain.test', starttls: false });
  network = createTestNetwork({
    domains: {
      'good.test': { mx: ['mx.good.test'] },
      'selfsigned.test': { mx: ['mx.selfsigned.test'] },
      'plain.test': { mx: ['mx.plain.test'] },
      'mixed.test': { mx: ['mx.good.test', 'mx.plain.test'] },
      'null.test': 'null-mx',
      'gone.test': 'nxdomain',
      'slow.test': 'timeout',
    },
    hosts: { 'mx.good.test': good, 'mx.selfsigned.test': selfSigned, 'mx.plain.test': plain },
  });
  return { good, selfSigned, plain, prober: createProber(optionsFor(network)) };
}

describe('checkDomainLevel: the relay pre-send check', () => {
  it('passes verify only with a trusted certificate for the MX name', async () => {
    const { prober } = await setup();
    expect(await checkDomainLevel(prober, 'good.test', 'verify')).toMatchObject({ ok: true, failing: [] });
    const selfSigned = await checkDomainLevel(prober, 'selfsigned.test', 'verify');
    expect(selfSigned).toMatchObject({
      ok: false,
      reason: 'cert_invalid',
      code: 'ERECIPIENTTLS',
      transient: false,
    });
    expect(selfSigned.failing.map((h) => h.host)).toEqual(['mx.selfsigned.test']);
  });

  it('passes encrypt with any certificate, but not without STARTTLS', async () => {
    const { prober } = await setup();
    expect((await checkDomainLevel(prober, 'selfsigned.test', 'encrypt')).ok).toBe(true);
    expect(await checkDomainLevel(prober, 'plain.test', 'encrypt')).toMatchObject({
      ok: false,
      reason: 'starttls_missing',
      code: 'ERECIPIENTTLS',
    });
  });

  it('fails a domain when any one of its MX hosts fails (a sender may land on any)', async () => {
    const { prober } = await setup();
    const mixed = await checkDomainLevel(prober, 'mixed.test', 'encrypt');
    expect(mixed).toMatchObject({ ok: false, reason: 'starttls_missing' });
    expect(mixed.failing.map((h) => h.host)).toEqual(['mx.plain.test']);
  });

  it('checks fingerprint pins (colons and case ignored)', async () => {
    const { prober, selfSigned } = await setup();
    const pin = selfSigned.fingerprint256.replace(/:/g, '').toLowerCase();
    expect((await checkDomainLevel(prober, 'selfsigned.test', 'fingerprint', [pin])).ok).toBe(true);
    const wrong = await checkDomainLevel(prober, 'selfsigned.test', 'fingerprint', ['AA'.repeat(32)]);
    expect(wrong).toMatchObject({ ok: false, reason: 'fingerprint_mismatch', code: 'ERECIPIENTTLS' });
    expect(await checkDomainLevel(prober, 'plain.test', 'fingerprint', [pin])).toMatchObject({
      reason: 'starttls_missing',
    });
  });

  it('maps DNS outcomes to recipient codes, and never probes for may', async () => {
    const { prober, good } = await setup();
    expect(await checkDomainLevel(prober, 'null.test', 'encrypt')).toMatchObject({
      ok: false,
      code: 'ENULLMX',
      transient: false,
    });
    expect(await checkDomainLevel(prober, 'gone.test', 'encrypt')).toMatchObject({
      ok: false,
      code: 'ENOMX',
    });
    expect(await checkDomainLevel(prober, 'slow.test', 'verify')).toMatchObject({
      ok: false,
      reason: 'dns_error',
      code: 'ETIMEOUT',
      transient: true,
    });
    const before = good.connections;
    const may = await checkDomainLevel(prober, 'good.test', 'may');
    expect(may.ok).toBe(true);
    expect(may).not.toHaveProperty('result');
    expect(good.connections).toBe(before);
  });

  it('judges the minimum version with the policy judgement: TLS 1.2 fails a TLSv1.3 minimum (ETLSVERSION)', async () => {
    const old = await startTestMx({ name: 'mx.old.test', tls: { maxVersion: 'TLSv1.2' } });
    network = createTestNetwork({
      domains: { 'old.test': { mx: ['mx.old.test'] } },
      hosts: { 'mx.old.test': old },
    });
    const prober = createProber(optionsFor(network));
    expect((await checkDomainLevel(prober, 'old.test', 'encrypt', [], 'TLSv1.2')).ok).toBe(true);
    const check = await checkDomainLevel(prober, 'old.test', 'encrypt', [], 'TLSv1.3');
    expect(check).toMatchObject({
      ok: false,
      reason: 'tls_version_too_old',
      code: 'ETLSVERSION',
      transient: false,
    });
    expect(check.failing.map((h) => h.host)).toEqual(['mx.old.test']);
  });
});
