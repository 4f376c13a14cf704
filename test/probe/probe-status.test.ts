import { describe, expect, it } from 'vitest';
import type { TestMx } from '../../src/testing/index.js';
import { probeSingle, SHORT } from './helpers.js';

/** The probe's promise: it never sends MAIL FROM (or RCPT, DATA, AUTH), in any phase. */
function expectNoMailTransaction(mx: TestMx): void {
  expect(mx.commands().filter((verb) => ['MAIL', 'RCPT', 'DATA', 'AUTH'].includes(verb))).toEqual([]);
}

describe('probeDomain: per-host status', () => {
  it('starttls_ok: reports banner, STARTTLS, protocol, cipher and the certificate; ends with QUIT', async () => {
    const { result, host, mx } = await probeSingle({ requireTls: true });
    expect(host).toMatchObject({
      host: 'mx.mandant.test',
      priority: 10,
      status: 'starttls_ok',
      phase: 'done',
      reachable: true,
      starttlsOffered: true,
      discardedBytes: 0,
      protocol: 'TLSv1.3',
    });
    expect(host.banner).toEqual({ text: expect.stringMatching(/^220 mx\.mandant\.test /), untrusted: true });
    expect(host.starttlsReply).toEqual({ text: expect.stringMatching(/^220 /), untrusted: true });
    expect(host.cipher).toMatch(/^TLS_/);
    expect(host.extensionsTls).toContain('REQUIRETLS');
    expect(host.certificate).toMatchObject({
      subject: 'CN=mx.mandant.test',
      subjectAltNames: ['DNS:mx.mandant.test'],
      issuer: 'CN=forced-tls default test CA',
      expired: false,
      chainVerified: true,
      nameMatches: true,
      fingerprint256: mx.fingerprint256,
    });
    expect(Date.parse(host.certificate!.validTo)).toBeGreaterThan(Date.now());
    expect(result).toMatchObject({ resolution: 'mx', satisfies: { encrypt: true, verify: true } });
    expect(result.fingerprints).toEqual([mx.fingerprint256]);
    expect(mx.commandsBeforeTls()).toEqual(['EHLO', 'STARTTLS']);
    expect(mx.commands('tls')).toEqual(['EHLO', 'QUIT']);
    expect(mx.log[0]?.line).toBe('EHLO probe.kanzlei.test');
    expect(mx.handshakes[0]).toMatchObject({ ok: true, servername: 'mx.mandant.test' });
  });

  it('starttls_missing: no STARTTLS advertised nor accepted; says QUIT in plaintext', async () => {
    const { result, host, mx } = await probeSingle({ starttls: false });
    expect(host).toMatchObject({ status: 'starttls_missing', starttlsOffered: false, phase: 'starttls' });
    expect(host.starttlsReply?.text).toMatch(/^502 /);
    expect(result.satisfies).toEqual({ encrypt: false, verify: false, qualified: false });
    expect(mx.commandsBeforeTls()).toEqual(['EHLO', 'STARTTLS', 'QUIT']);
    expectNoMailTransaction(mx);
  });

  it('starttls_refused: STARTTLS advertised but answered 454; the reply is marked untrusted', async () => {
    const { host, mx } = await probeSingle({ starttlsResponse: '454 4.7.0 TLS not available\r\n' });
    expect(host).toMatchObject({ status: 'starttls_refused', starttlsOffered: true });
    expect(host.starttlsReply).toEqual({ text: '454 4.7.0 TLS not available', untrusted: true });
    expectNoMailTransaction(mx);
  });

  it('a stripped EHLO does not decide: STARTTLS is sent anyway and TLS judged on its own', async () => {
    const { host } = await probeSingle({ advertiseStarttls: false });
    expect(host).toMatchObject({ status: 'starttls_ok', starttlsOffered: false });
  });

  it('discards bytes injected after the 220 and reads the capabilities from the TLS session', async () => {
    const { host } = await probeSingle({
      starttlsResponse: '220 Go ahead\r\n250-evil.test\r\n250 AUTH LOGIN\r\n',
    });
    expect(host.status).toBe('starttls_ok');
    expect(host.discardedBytes).toBeGreaterThan(0);
    expect(host.extensionsTls).not.toContain('AUTH LOGIN');
    expect(host.extensionsTls).toContain('AUTH PLAIN LOGIN');
  });

  it('B_1: injected EHLO lines are not taken for the TLS capabilities when the real EHLO goes unanswered', async () => {
    const { host } = await probeSingle(
      {
        starttlsResponse: '220 Go ahead\r\n250-evil.test\r\n250 AUTH LOGIN\r\n',
        onCommand: ({ verb, phase }) => (verb === 'EHLO' && phase === 'tls' ? '' : undefined),
      },
      { timeouts: SHORT },
    );
    expect(host).toMatchObject({ status: 'starttls_ok', phase: 'ehlo-tls', error: { code: 'ETIMEDOUT' } });
    expect(host).not.toHaveProperty('extensionsTls');
  });

  it.each([
    ['garbage', 'ERR_SSL_WRONG_VERSION_NUMBER'],
    ['close', 'ECONNRESET'],
  ] as const)('handshake_failed: %s instead of a ServerHello', async (afterStarttls, code) => {
    const { host, result } = await probeSingle({ afterStarttls });
    expect(host).toMatchObject({ status: 'handshake_failed', phase: 'handshake', error: { code } });
    expect(result.satisfies.encrypt).toBe(false);
  });

  it('tls_version_too_old: a TLS 1.0/1.1-only server', async () => {
    const { host } = await probeSingle({
      tls: { minVersion: 'TLSv1', maxVersion: 'TLSv1.1', ciphers: 'DEFAULT@SECLEVEL=0' },
    });
    expect(host).toMatchObject({
      status: 'tls_version_too_old',
      error: { code: 'ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION' },
    });
  });

  it('tls_version_too_old: a TLS 1.2-only server when TLS 1.3 is required', async () => {
    const { host } = await probeSingle({ tls: { maxVersion: 'TLSv1.2' } }, { minVersion: 'TLSv1.3' });
    expect(host.status).toBe('tls_version_too_old');
  });

  it.each([
    ['self-signed', 'cert_invalid', 'DEPTH_ZERO_SELF_SIGNED_CERT'],
    ['unknown-ca', 'cert_invalid', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE'],
    ['expired', 'cert_expired', 'CERT_HAS_EXPIRED'],
    ['not-yet-valid', 'cert_expired', 'CERT_NOT_YET_VALID'],
  ] as const)('%s certificate → %s (encrypt yes, verify no)', async (certificate, status, chainError) => {
    const { host, result } = await probeSingle({ certificate });
    expect(host).toMatchObject({ status, phase: 'done', certificate: { chainVerified: false, chainError } });
    expect(result.satisfies).toEqual({ encrypt: true, verify: false, qualified: false });
  });

  it('cert_name_mismatch: a trusted certificate for another name', async () => {
    const { host, result } = await probeSingle({ certificate: 'wrong-name' });
    expect(host).toMatchObject({
      status: 'cert_name_mismatch',
      certificate: { chainVerified: true, nameMatches: false },
    });
    expect(result.satisfies).toEqual({ encrypt: true, verify: false, qualified: false });
  });

  it('judges the chain against the system store when no ca is given', async () => {
    const { host } = await probeSingle({}, { ca: undefined as never });
    expect(host).toMatchObject({
      status: 'cert_invalid',
      certificate: { chainVerified: false, nameMatches: true },
    });
  });

  it.each([
    ['greeting', { stallAt: 'greeting' }, 'greeting'],
    ['EHLO', { stallAt: 'ehlo' }, 'ehlo'],
    ['STARTTLS', { stallAt: 'starttls' }, 'starttls'],
    ['handshake', { afterStarttls: 'stall' }, 'handshake'],
  ] as const)('timeout: the server stalls at the %s', async (_, behaviour, phase) => {
    const { host, result, mx } = await probeSingle(behaviour, { timeouts: SHORT });
    expect(host).toMatchObject({ status: 'timeout', phase, reachable: true });
    expect(result.satisfies.encrypt).toBe(false);
    expectNoMailTransaction(mx);
  });

  it.each([
    ['a 554 greeting', { greeting: '554 5.3.2 No service\r\n' }, 'greeting'],
    ['a malformed greeting', { greeting: 'hello there\r\n' }, 'greeting'],
    ['a drop after the greeting', { dropAfterGreeting: true }, 'ehlo'],
    ['a refused EHLO', { ehloResponse: '502 5.5.2 Not implemented\r\n' }, 'ehlo'],
  ] as const)('protocol_error: %s', async (_, behaviour, phase) => {
    const { host, mx } = await probeSingle(behaviour);
    expect(host).toMatchObject({ status: 'protocol_error', phase });
    expect(mx.commands()).not.toContain('HELO');
    expectNoMailTransaction(mx);
  });
});
