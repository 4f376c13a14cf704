import { SMTPServer, type SMTPServerOptions } from 'smtp-server';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { isForcedTlsError } from '../../src/errors/forced-tls-error.js';
import { createInboundGuard } from '../../src/inbound/create-inbound-guard.js';
import type { InboundGuardOptions } from '../../src/inbound/guard-types.js';
import { createPolicy } from '../../src/policy/policy.js';
import { createWhitelistIndex } from '../../src/policy/whitelist-index.js';
import type { WhitelistEntry } from '../../src/whitelist/types.js';
import { policy, send, startGuardedServer } from './guard-harness.js';

const entry = (expiresAt?: string): WhitelistEntry => ({
  id: 'wl-1',
  direction: 'inbound',
  scope: 'domain',
  value: 'bank.test',
  reason: 'old gateway',
  approvedBy: 'it@kanzlei.test',
  createdAt: '2026-01-01T00:00:00.000Z',
  ...(expiresAt && { expiresAt }),
});

async function plaintextAs(sender: string, guardOptions: Partial<InboundGuardOptions>, serverOptions = {}) {
  const h = await startGuardedServer(guardOptions, serverOptions);
  try {
    const result = await send(h.port, sender, 'plaintext');
    return { result, reports: h.reports, stored: h.stored };
  } finally {
    await h.close();
  }
}

describe('inbound guard options', () => {
  it("rejectAs 'temporary' answers 450 4.7.0 so the sending MTA retries", async () => {
    const { result, reports } = await plaintextAs('client@bank.test', { rejectAs: 'temporary' });
    expect(result.error).toMatchObject({
      responseCode: 450,
      response: '450 4.7.0 Must issue a STARTTLS command first',
    });
    expect(reports[0]?.response).toEqual({ code: 450, message: '4.7.0 Must issue a STARTTLS command first' });
  });

  it('the null sender <> follows the inbound default: refused in plaintext when the default requires TLS', async () => {
    const strict = createPolicy({ inbound: { default: 'encrypt' } });
    const { result, reports } = await plaintextAs('', { policy: strict });
    expect(result.error?.responseCode).toBe(530);
    expect(reports[0]).toMatchObject({ sender: '', outcome: 'reject', reason: 'tls_missing', rule: null });
  });

  it('does not double the enhanced status code when the server adds its own', async () => {
    const { result } = await plaintextAs('client@bank.test', {}, { hideENHANCEDSTATUSCODES: false });
    expect(result.error?.response).toBe('530 5.7.0 Must issue a STARTTLS command first');
  });

  it('an audit callback that fails refuses the command (451), it never accepts unrecorded', async () => {
    const { result, stored } = await plaintextAs('someone@other.test', {
      onDecision: () => {
        throw new Error('audit log down');
      },
    });
    expect(result.error?.responseCode).toBe(451);
    expect(result.error?.response).not.toContain('audit log down');
    expect(stored).toEqual([]);
  });

  it('reads a whitelist through snapshot() or a function at each MAIL FROM', async () => {
    const index = createWhitelistIndex([entry()]);
    for (const whitelist of [{ snapshot: async () => index }, () => index]) {
      const { result, reports } = await plaintextAs('client@bank.test', { whitelist });
      expect(result.ok).toBe(true);
      expect(reports[0]).toMatchObject({ reason: 'whitelisted', whitelistEntry: 'wl-1' });
    }
  });

  it('decides without the whitelist (stricter) when it cannot be read, and says so', async () => {
    const whitelist = { snapshot: async () => Promise.reject(new Error('store offline')) };
    const { result, reports } = await plaintextAs('client@bank.test', { whitelist });
    expect(result.error?.responseCode).toBe(530);
    expect(reports[0]).toMatchObject({ outcome: 'reject', whitelistError: 'store offline' });
  });

  it('uses the injected clock for whitelist expiry and the report time', async () => {
    const whitelist = createWhitelistIndex([entry('2026-06-01T00:00:00.000Z')]);
    const before = await plaintextAs('client@bank.test', {
      whitelist,
      clock: () => new Date('2026-05-31T00:00:00Z'),
    });
    expect(before.result.ok).toBe(true);
    expect(before.reports[0]?.at).toBe('2026-05-31T00:00:00.000Z');
    const after = await plaintextAs('client@bank.test', {
      whitelist,
      clock: () => new Date('2026-06-02T00:00:00Z'),
    });
    expect(after.result.error?.responseCode).toBe(530);
  });

  it('calls the host’s onClose', async () => {
    const closed: string[] = [];
    const h = await startGuardedServer({}, { onClose: (session) => void closed.push(session.id) });
    try {
      await send(h.port, 'someone@other.test', 'tls');
      for (let i = 0; i < 50 && closed.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
      expect(closed).toEqual([h.reports[0]?.sessionId]);
    } finally {
      await h.close();
    }
  });

  it('calls the host’s onSecure, onMailFrom and onClose with this = the SMTPServer instance', async () => {
    const seen: Record<string, unknown> = {};
    const h = await startGuardedServer(
      {},
      {
        onSecure: function (this: unknown, _socket, _session, callback) {
          seen.onSecure = this;
          callback();
        },
        onMailFrom: function (this: unknown, _address, _session, callback) {
          seen.onMailFrom = this;
          callback();
        },
        onClose: function (this: unknown) {
          seen.onClose = this;
        },
      },
    );
    try {
      expect((await send(h.port, 'someone@other.test', 'tls')).ok).toBe(true);
      for (let i = 0; i < 50 && !('onClose' in seen); i++) await new Promise((r) => setTimeout(r, 10));
      expect(h.server).toBeInstanceOf(SMTPServer);
      expect(Object.keys(seen).sort()).toEqual(['onClose', 'onMailFrom', 'onSecure']);
      for (const handler of Object.values(seen)) expect(handler).toBe(h.server);
    } finally {
      await h.close();
    }
  });

  it('wrap returns smtp-server options: the host’s own options kept, the original not changed', () => {
    const guard = createInboundGuard({ policy });
    const onMailFrom: SMTPServerOptions['onMailFrom'] = (_a, _s, cb) => cb();
    const original: SMTPServerOptions = { key: 'k', banner: 'hello', onMailFrom };
    const wrapped = guard.wrap(original);
    expectTypeOf(wrapped).toEqualTypeOf<SMTPServerOptions>();
    expect(wrapped).toMatchObject({ key: 'k', banner: 'hello' });
    expect(wrapped.onMailFrom).not.toBe(onMailFrom);
    expect(typeof wrapped.onSecure).toBe('function');
    expect(typeof wrapped.onClose).toBe('function');
    expect(original.onMailFrom).toBe(onMailFrom);
    expect(original.onSecure).toBeUndefined();
  });

  it('fails at construction on bad options, naming the field', () => {
    const attempt = (options: unknown) => {
      try {
        createInboundGuard(options as InboundGuardOptions);
      } catch (error) {
        return isForcedTlsError(error) ? [error.code, error.path] : error;
      }
      return 'no error';
    };
    expect(attempt({})).toEqual(['EPOLICY', 'policy']);
    // Something with an inbound() but no validated defaults is not a Policy.
    expect(attempt({ policy: { inbound: policy.inbound.bind(policy) } })).toEqual(['EPOLICY', 'policy']);
    expect(attempt({ policy, rejectAs: 'later' })).toEqual(['EPOLICY', 'rejectAs']);
  });
});
