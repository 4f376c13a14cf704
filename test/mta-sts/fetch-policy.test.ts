import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchMtaStsPolicy, MAX_MTA_STS_POLICY_BYTES } from '../../src/mta-sts/index.js';
import {
  createTestNetwork,
  startTestPolicyHost,
  type TestNetwork,
  type TestPolicyHost,
  type TestPolicyResponse,
} from '../../src/testing/index.js';
import { paddedPolicy, policyText } from './helpers.js';

const POLICIES: Record<string, string | TestPolicyResponse> = {
  'ok.test': policyText(),
  'charset.test': { body: policyText('testing'), contentType: 'text/plain; charset=utf-8' },
  'upper.test': { body: policyText(), contentType: 'Text/Plain ; Charset="US-ASCII"' },
  'redirect.test': { status: 302, headers: { location: 'https://mta-sts.ok.test/.well-known/mta-sts.txt' } },
  'moved.test': { status: 301, body: policyText(), headers: { location: 'https://mta-sts.ok.test/' } },
  'missing.test': { status: 404, body: 'not here' },
  'error.test': { status: 500, body: policyText() },
  'created.test': { status: 201, body: policyText() },
  'html.test': { body: policyText(), contentType: 'text/html' },
  'notype.test': { body: policyText(), contentType: null },
  'large.test': paddedPolicy(70 * 1024),
  'chunked.test': { body: paddedPolicy(70 * 1024), headers: { 'transfer-encoding': 'chunked' } },
  'limit.test': paddedPolicy(MAX_MTA_STS_POLICY_BYTES),
  'wrongname.test': { body: policyText(), certificate: 'wrong-name' },
  'cnonly.test': { body: policyText(), certificate: 'cn-only' },
  'expired.test': { body: policyText(), certificate: 'expired' },
  'unknownca.test': { body: policyText(), certificate: 'unknown-ca' },
  'selfsigned.test': { body: policyText(), certificate: 'self-signed' },
  'wildcard.test': { body: policyText(), certificateNames: ['*.wildcard.test'] },
  'deep.wild.test': { body: policyText(), certificateNames: ['*.wild.test'] },
  'partial.test': { body: policyText(), certificateNames: ['mta*.partial.test'] },
  'stalled.test': { body: policyText(), stall: 'response' },
  'trickle.test': { body: policyText(), stall: 'trickle' },
  'cut.test': { body: policyText(), stall: 'cut' },
  'invalid.test': policyText('enforce', ['mx.mandant.test'], 31_557_601),
  'latin1.test': { body: Buffer.from(`${policyText()}x-note: Gr\xfc\xdfe\n`, 'latin1') },
};

let policyHost: TestPolicyHost;
let network: TestNetwork;
let silent: Server;
const silentSockets = new Set<Socket>();

beforeAll(async () => {
  policyHost = await startTestPolicyHost({ policies: POLICIES });
  silent = createServer((socket) => {
    silentSockets.add(socket);
    socket.on('close', () => silentSockets.delete(socket));
  });
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  const silentPort = (silent.address() as { port: number }).port;
  network = createTestNetwork({
    hosts: {
      ...Object.fromEntries(Object.keys(POLICIES).map((d) => [`mta-sts.${d}`, policyHost])),
      'mta-sts.refused.test': 'refused',
      'mta-sts.handshake-stall.test': { host: '127.0.0.1', port: silentPort },
    },
  });
});

afterAll(async () => {
  await policyHost.close();
  for (const socket of silentSockets) socket.destroy();
  await new Promise<void>((resolve) => silent.close(() => resolve()));
});

const fetch = (domain: string, timeoutMs = 5_000) =>
  fetchMtaStsPolicy(domain, { connect: network.connect, ca: policyHost.ca.cert, fetchTimeoutMs: timeoutMs });

describe('fetchMtaStsPolicy: HTTPS GET of https://mta-sts.<domain>/.well-known/mta-sts.txt', () => {
  it('fetches and parses a policy, with SNI, Host and path of the policy host', async () => {
    const result = await fetch('ok.test');
    expect(result).toMatchObject({
      status: 'fetched',
      url: 'https://mta-sts.ok.test/.well-known/mta-sts.txt',
      policy: { mode: 'enforce', maxAge: 604800, mx: ['mx1.mandant.test', '*.mx.mandant.test'] },
      address: { host: '127.0.0.1', port: policyHost.port },
      contentType: 'text/plain',
      bytes: policyText().length,
    });
    expect(policyHost.requestsFor('ok.test')).toEqual([
      {
        servername: 'mta-sts.ok.test',
        method: 'GET',
        path: '/.well-known/mta-sts.txt',
        host: 'mta-sts.ok.test',
      },
    ]);
  });

  it('accepts text/plain with parameters (charset) and in any case', async () => {
    expect(await fetch('charset.test')).toMatchObject({
      status: 'fetched',
      contentType: 'text/plain; charset=utf-8',
    });
    expect(await fetch('upper.test')).toMatchObject({ status: 'fetched' });
  });

  it.each([
    ['redirect.test', 302],
    ['moved.test', 301],
  ])('a %s redirect (%i) is a failure and is not followed', async (domain, status) => {
    const before = policyHost.requestsFor('ok.test').length;
    const result = await fetch(domain);
    expect(result).toMatchObject({
      status: 'failed',
      failure: { reason: 'http_redirect', resultType: 'sts-policy-fetch-error', httpStatus: status },
    });
    expect(policyHost.requestsFor(domain)).toHaveLength(1);
    expect(policyHost.requestsFor('ok.test')).toHaveLength(before);
  });

  it.each([
    ['missing.test', 404],
    ['error.test', 500],
    ['created.test', 201],
  ])('%s: HTTP %i is not 200: a failure', async (domain, status) => {
    expect(await fetch(domain)).toMatchObject({
      status: 'failed',
      failure: { reason: 'http_status', resultType: 'sts-policy-fetch-error', httpStatus: status },
    });
  });

  it('text/html is refused even with a valid policy body', async () => {
    expect(await fetch('html.test')).toMatchObject({
      status: 'failed',
      failure: { reason: 'content_type', resultType: 'sts-policy-invalid', contentType: 'text/html' },
    });
  });

  it('a missing Content-Type is refused', async () => {
    expect(await fetch('notype.test')).toMatchObject({
      status: 'failed',
      failure: { reason: 'content_type', contentType: '' },
    });
  });

  it('a 70 KB policy is refused by its announced length, and by counting when chunked', async () => {
    for (const domain of ['large.test', 'chunked.test']) {
      expect(await fetch(domain)).toMatchObject({
        status: 'failed',
        failure: { reason: 'too_large', resultType: 'sts-policy-fetch-error' },
      });
    }
  });

  it('a policy of exactly 64 KiB is accepted', async () => {
    expect(await fetch('limit.test')).toMatchObject({ status: 'fetched', bytes: MAX_MTA_STS_POLICY_BYTES });
  });

  it.each([
    ['wrongname.test', 'ERR_TLS_CERT_ALTNAME_INVALID'],
    ['cnonly.test', 'ERR_TLS_CERT_ALTNAME_INVALID'],
    ['expired.test', 'CERT_HAS_EXPIRED'],
    ['unknownca.test', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE'],
    ['selfsigned.test', 'DEPTH_ZERO_SELF_SIGNED_CERT'],
  ])(
    '%s: an invalid policy host certificate (%s) is sts-webpki-invalid, and no request is sent',
    async (domain, code) => {
      const result = await fetch(domain);
      expect(result).toMatchObject({
        status: 'failed',
        failure: { reason: 'certificate_invalid', resultType: 'sts-webpki-invalid', errorCode: code },
      });
      expect(policyHost.requestsFor(domain)).toHaveLength(0);
    },
  );

  it('a wildcard subjectAltName covers exactly one label: *.<domain> is valid for mta-sts.<domain>', async () => {
    expect(await fetch('wildcard.test')).toMatchObject({ status: 'fetched' });
    expect(await fetch('deep.wild.test')).toMatchObject({
      status: 'failed',
      failure: { reason: 'certificate_invalid', errorCode: 'ERR_TLS_CERT_ALTNAME_INVALID' },
    });
  });

  it('a partial wildcard (mta*.<domain>) is not accepted', async () => {
    expect(await fetch('partial.test')).toMatchObject({
      status: 'failed',
      failure: { reason: 'certificate_invalid' },
    });
  });

  it('the certificate must be trusted: without the test CA the valid host fails too', async () => {
    const result = await fetchMtaStsPolicy('ok.test', { connect: network.connect });
    expect(result).toMatchObject({ status: 'failed', failure: { reason: 'certificate_invalid' } });
  });

  it('an invalid policy is sts-policy-invalid, naming the field and line', async () => {
    expect(await fetch('invalid.test')).toMatchObject({
      status: 'failed',
      failure: { reason: 'policy_invalid', resultType: 'sts-policy-invalid', field: 'max_age', line: 4 },
    });
  });

  it('a body that is not UTF-8 is sts-policy-invalid', async () => {
    expect(await fetch('latin1.test')).toMatchObject({
      status: 'failed',
      failure: { reason: 'policy_invalid', field: 'encoding' },
    });
  });

  it('a policy server that never answers ends by the fetch deadline', async () => {
    const started = Date.now();
    const result = await fetch('stalled.test', 300);
    const elapsed = Date.now() - started;
    expect(result).toMatchObject({ status: 'failed', failure: { reason: 'timeout', errorCode: 'ETIMEOUT' } });
    expect(elapsed).toBeGreaterThanOrEqual(290);
    expect(elapsed).toBeLessThan(300 + 500);
  });

  it('a server trickling one byte every 50 ms still ends by the deadline counted from the start', async () => {
    const started = Date.now();
    const result = await fetch('trickle.test', 400);
    const elapsed = Date.now() - started;
    expect(result).toMatchObject({ status: 'failed', failure: { reason: 'timeout' } });
    expect(elapsed).toBeLessThan(400 + 500);
  });

  it('a server that accepts TCP and never completes the handshake ends by the deadline', async () => {
    const started = Date.now();
    const result = await fetch('handshake-stall.test', 300);
    expect(result).toMatchObject({ status: 'failed', failure: { reason: 'timeout' } });
    expect(Date.now() - started).toBeLessThan(300 + 500);
  });

  it('a connection closed in the middle of the body is http_error, not a shorter policy', async () => {
    expect(await fetch('cut.test')).toMatchObject({
      status: 'failed',
      failure: { reason: 'http_error', resultType: 'sts-policy-fetch-error' },
    });
  });

  it('a refused connection is connect_failed', async () => {
    expect(await fetch('refused.test')).toMatchObject({
      status: 'failed',
      failure: { reason: 'connect_failed', errorCode: 'ECONNREFUSED' },
    });
  });

  it('a policy host without an address is host_not_found', async () => {
    const dns = createTestNetwork({ domains: { 'mta-sts.nohost.test': 'nxdomain' } });
    const result = await fetchMtaStsPolicy('nohost.test', { resolver: dns.resolver, ca: policyHost.ca.cert });
    expect(result).toMatchObject({
      status: 'failed',
      failure: { reason: 'host_not_found', errorCode: 'ENOTFOUND' },
    });
  });

  it('records the id and time on failures', async () => {
    const at = new Date('2026-01-15T09:30:00.000Z');
    const result = await fetchMtaStsPolicy('missing.test', {
      connect: network.connect,
      ca: policyHost.ca.cert,
      clock: () => at,
    });
    expect(result).toMatchObject({ failure: { at: '2026-01-15T09:30:00.000Z' } });
  });

  it('bad options and domains are typed errors', async () => {
    await expect(fetchMtaStsPolicy('ok.test', { fetchTimeoutMs: 0 })).rejects.toMatchObject({
      code: 'EPOLICY',
      path: 'fetchTimeoutMs',
    });
    await expect(fetchMtaStsPolicy('ok.test', { ca: 'not a pem' })).rejects.toMatchObject({
      code: 'EPOLICY',
      path: 'ca[0]',
    });
    await expect(fetchMtaStsPolicy('not a domain')).rejects.toMatchObject({ code: 'EADDRESS' });
  });
});
