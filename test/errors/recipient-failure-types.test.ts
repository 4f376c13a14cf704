import { describe, expect, expectTypeOf, it } from 'vitest';
import type {
  NotWhitelistableRecipientFailure,
  RecipientFailure,
  WhitelistableRecipientFailure,
  WhitelistRequest,
} from '../../src/index.js';
import { whitelistHint } from '../../src/index.js';

const refused: RecipientFailure = {
  recipient: 'client@mandant.test',
  domain: 'mandant.test',
  code: 'ENOSTARTTLS',
  phase: 'starttls',
  level: 'encrypt',
  mxTried: ['mx.mandant.test'],
  untrusted: true,
  transient: false,
  mayWhitelist: true,
  whitelistRequest: { direction: 'outbound', scope: 'domain', value: 'mandant.test' },
  message: 'server offers no STARTTLS',
};

const { whitelistRequest: _request, ...fields } = refused as WhitelistableRecipientFailure;
const rejected: RecipientFailure = { ...fields, code: 'EREJECTED', phase: 'rcpt', mayWhitelist: false };
const failures: readonly RecipientFailure[] = [refused, rejected];

describe('RecipientFailure is a union discriminated by mayWhitelist', () => {
  it('mayWhitelist: true narrows whitelistRequest to defined (no `!` needed)', () => {
    const hints: string[] = [];
    let plain = 0;
    for (const r of failures) {
      if (r.mayWhitelist) {
        expectTypeOf(r).toEqualTypeOf<WhitelistableRecipientFailure>();
        expectTypeOf(r.whitelistRequest).toEqualTypeOf<WhitelistRequest>();
        hints.push(whitelistHint('de', r.whitelistRequest.value));
      } else {
        expectTypeOf(r).toEqualTypeOf<NotWhitelistableRecipientFailure>();
        expectTypeOf(r.whitelistRequest).toEqualTypeOf<undefined>();
        plain++;
      }
    }
    expect(plain).toBe(1);
    expect(hints).toHaveLength(1);
    expect(hints[0]).toContain('mandant.test');
  });

  it('a filter on mayWhitelist keeps the narrowing with a type guard', () => {
    const whitelistable = failures.filter((r): r is WhitelistableRecipientFailure => r.mayWhitelist);
    expectTypeOf(whitelistable[0]!.whitelistRequest.value).toEqualTypeOf<string>();
    expect(whitelistable.map((r) => r.whitelistRequest.value)).toEqual(['mandant.test']);
  });

  it('refuses at compile time a whitelistable failure without a request, or a request on the other kind', () => {
    // @ts-expect-error: mayWhitelist true requires whitelistRequest
    const missing: RecipientFailure = { ...refused, whitelistRequest: undefined };
    const { whitelistRequest: _, ...rest } = refused;
    // @ts-expect-error: mayWhitelist false never carries a request
    const extra: RecipientFailure = {
      ...rest,
      mayWhitelist: false,
      whitelistRequest: refused.whitelistRequest,
    };
    expect([missing, extra]).toHaveLength(2);
  });
});
