import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWhitelistIndex } from '../../src/policy/whitelist-index.js';
import type { WhitelistEntry } from '../../src/whitelist/types.js';
import { type Harness, send, startGuardedServer } from './guard-harness.js';

const scanner: WhitelistEntry = {
  id: 'wl-scanner',
  direction: 'inbound',
  scope: 'address',
  value: 'scanner@bank.test',
  reason: 'document scanner without TLS',
  approvedBy: 'it@kanzlei.test',
  createdAt: '2026-01-01T00:00:00.000Z',
};

describe('inbound guard on a real smtp-server (nodemailer client)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startGuardedServer({ whitelist: createWhitelistIndex([scanner]) });
  });
  afterAll(() => h.close());

  const lastReport = (sender: string) => [...h.reports].reverse().find((r) => r.sender === sender);

  it('rejects a TLS-required sender in plaintext before DATA: 530, nothing stored, host never asked', async () => {
    const result = await send(h.port, 'client@bank.test', 'plaintext');
    expect(result.ok).toBe(false);
    expect(result.error).toMatchObject({ code: 'EENVELOPE', command: 'MAIL FROM', responseCode: 530 });
    expect(result.error?.response).toBe('530 5.7.0 Must issue a STARTTLS command first');
    expect(h.stored.filter((m) => m.from === 'client@bank.test')).toEqual([]);
    expect(h.hostMailFrom).not.toContain('client@bank.test');
    expect(lastReport('client@bank.test')).toMatchObject({
      outcome: 'reject',
      reason: 'tls_missing',
      protocol: null,
      cipher: null,
      remoteAddress: '127.0.0.1',
      rule: 'bank.test',
      response: { code: 530, message: '5.7.0 Must issue a STARTTLS command first' },
    });
  });

  it('accepts the same sender over TLS and reports the negotiated protocol and cipher', async () => {
    const result = await send(h.port, 'client@bank.test', 'tls');
    expect(result).toEqual({ ok: true });
    expect(h.stored.some((m) => m.from === 'client@bank.test')).toBe(true);
    const report = lastReport('client@bank.test');
    expect(report).toMatchObject({
      outcome: 'accept',
      reason: 'tls_ok',
      protocol: 'TLSv1.3',
      rule: 'bank.test',
    });
    expect(report?.cipher).toMatch(/^TLS_/);
    expect(h.hostSecure).toContain(report?.sessionId);
  });

  it('accepts an unlisted sender in plaintext and still runs the host’s onMailFrom', async () => {
    expect(await send(h.port, 'someone@other.test', 'plaintext')).toEqual({ ok: true });
    expect(h.hostMailFrom).toContain('someone@other.test');
    expect(lastReport('someone@other.test')).toMatchObject({
      outcome: 'accept',
      reason: 'tls_not_required',
      rule: null,
    });
  });

  it('keeps the host’s own rejection when the guard accepts', async () => {
    const result = await send(h.port, 'blocked@other.test', 'plaintext');
    expect(result.error?.responseCode).toBe(550);
    expect(lastReport('blocked@other.test')?.outcome).toBe('accept');
  });

  it('lets a whitelisted TLS-required sender through in plaintext and reports the entry', async () => {
    expect(await send(h.port, 'scanner@bank.test', 'plaintext')).toEqual({ ok: true });
    expect(lastReport('scanner@bank.test')).toMatchObject({
      outcome: 'accept',
      reason: 'whitelisted',
      whitelistEntry: 'wl-scanner',
      rule: 'bank.test',
    });
  });

  it('rejects a TLS 1.1 client when the rule requires TLS 1.2', async () => {
    const old = await startGuardedServer({}, { minVersion: 'TLSv1', ciphers: 'DEFAULT@SECLEVEL=0' });
    try {
      const result = await send(old.port, 'client@bank.test', 'tls1.1');
      expect(result.error).toMatchObject({ command: 'MAIL FROM', responseCode: 530 });
      expect(old.reports[0]).toMatchObject({
        outcome: 'reject',
        reason: 'tls_version_too_old',
        protocol: 'TLSv1.1',
      });
      expect(old.stored).toEqual([]);
      expect(await send(old.port, 'someone@other.test', 'tls1.1')).toEqual({ ok: true });
    } finally {
      await old.close();
    }
  });

  it('reads the protocol on an implicit-TLS listener too (secure: true)', async () => {
    const implicit = await startGuardedServer({}, { secure: true });
    try {
      expect(await send(implicit.port, 'client@bank.test', 'implicit')).toEqual({ ok: true });
      expect(implicit.reports[0]).toMatchObject({ outcome: 'accept', reason: 'tls_ok', protocol: 'TLSv1.3' });
    } finally {
      await implicit.close();
    }
  });

  it('rejects TLS 1.2 for a rule requiring TLS 1.3', async () => {
    const result = await send(h.port, 'a@modern.test', 'tls1.2');
    expect(result.error?.responseCode).toBe(530);
    expect(result.error?.response).toContain(
      'TLSv1.2 is too old for this sender, TLSv1.3 or later is required',
    );
    expect(await send(h.port, 'a@modern.test', 'tls')).toEqual({ ok: true });
  });

  it.each([
    ['address rule', 'ceo@holding.test', false, 'ceo@holding.test'],
    ['address rule, other address of the domain', 'clerk@holding.test', true, null],
    ['domain rule, exact domain only', 'a@sub.bank.test', true, null],
    ['subdomain rule', 'a@mail.insurer.test', false, '*.insurer.test'],
    ['subdomain rule, any depth', 'a@x.mail.insurer.test', false, '*.insurer.test'],
    ['subdomain rule, not the parent', 'a@insurer.test', true, null],
    ['upper case domain', 'Client@BANK.TEST', false, 'bank.test'],
    ['upper case address', 'CEO@Holding.Test', false, 'ceo@holding.test'],
    ['IDN in A-label form', 'info@xn--mller-steuer-dlb.test', false, 'müller-steuer.test'],
    ['IDN in U-label form, mixed case', 'info@Müller-Steuer.test', false, 'müller-steuer.test'],
  ])('plaintext, %s: %s', async (_name, sender, accepted, rule) => {
    const before = h.reports.length;
    const result = await send(h.port, sender, 'plaintext');
    expect(result.ok).toBe(accepted);
    expect(h.reports).toHaveLength(before + 1);
    expect(h.reports[before]?.outcome).toBe(accepted ? 'accept' : 'reject');
    expect(h.reports[before]?.rule).toBe(rule);
  });

  it('judges the null sender <> by the inbound default', async () => {
    expect(await send(h.port, '', 'plaintext')).toEqual({ ok: true });
    expect(lastReport('')).toMatchObject({ outcome: 'accept', reason: 'tls_not_required', sender: '' });
  });
});
