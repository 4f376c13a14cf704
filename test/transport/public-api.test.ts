import { describe, expect, expectTypeOf, it } from 'vitest';
import { createPolicy } from '../../src/policy/index.js';
import type { ForcedTlsSentMessageInfo, RecipientReport, RecipientState } from '../../src/transport/index.js';
import * as api from '../../src/transport/index.js';

describe('forced-tls/nodemailer public surface', () => {
  it('exports the factories, the transport class and the default timeouts', () => {
    expect(Object.keys(api).sort()).toEqual([
      'DEFAULT_TIMEOUTS',
      'ForcedTlsTransport',
      'createDirectTransport',
      'createProbeCheck',
      'createRelayTransport',
      'forceTls',
    ]);
    expect(api.DEFAULT_TIMEOUTS).toEqual({ connect: 10_000, greeting: 10_000, tls: 10_000, reply: 30_000 });
  });

  it('types the result the nodemailer way plus the TLS report', () => {
    expectTypeOf<ForcedTlsSentMessageInfo['accepted']>().toEqualTypeOf<string[]>();
    expectTypeOf<RecipientState>().toEqualTypeOf<'delivered' | 'refused' | 'rejected'>();
    expectTypeOf<RecipientReport['failure']>().toMatchTypeOf<
      { code: string; mayWhitelist: boolean } | undefined
    >();
  });

  it('refuses a direct transport without a fully qualified EHLO name (EPOLICY naming name)', () => {
    const policy = createPolicy({});
    expect(() => api.createDirectTransport({ policy, name: 'localhost' })).toThrow(
      expect.objectContaining({ code: 'EPOLICY', path: 'name' }),
    );
    expect(() =>
      api.createDirectTransport({ policy, name: 'mail.kanzlei.test', timeouts: { reply: 0 } }),
    ).toThrow(expect.objectContaining({ code: 'EPOLICY', path: 'timeouts.reply' }));
  });
});
