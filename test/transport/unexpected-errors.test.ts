import { afterEach, describe, expect, it } from 'vitest';
import type { Resolver } from '../../src/dns/index.js';
import { createPolicy } from '../../src/policy/index.js';
import { defaultTestCa } from '../../src/testing/index.js';
import { createRelayTransport } from '../../src/transport/index.js';
import {
  type DirectHarness,
  directHarness,
  FAST,
  FROM,
  refusal,
  sensitiveInPlaintext,
  transporterOf,
} from '../support/transport-harness.js';

const cleanup: (() => unknown)[] = [];
afterEach(async () => {
  for (const close of cleanup.splice(0)) await close();
});

/** A direct harness whose (host-supplied) resolver is broken for kaputt.test: it answers nothing at all. */
async function brokenForOneDomain(): Promise<DirectHarness> {
  let h: DirectHarness | undefined;
  const resolver: Resolver = {
    resolveMx: (domain) =>
      domain === 'kaputt.test'
        ? Promise.resolve(undefined as unknown as [])
        : h!.network.resolver.resolveMx(domain),
    resolve4: (host) => h!.network.resolver.resolve4(host),
    resolve6: (host) => h!.network.resolver.resolve6(host),
  };
  h = await directHarness({}, undefined, { resolver });
  cleanup.push(() => h!.close());
  return h;
}

describe('an unexpected error in one group loses no report', () => {
  it('direct: a resolver bug for one domain fails that group (EPROTOCOL, transient); the delivered one stays reported', async () => {
    const h = await brokenForOneDomain();
    const info = await h.send(['client@mandant.test', 'info@kaputt.test']);
    expect(info.accepted).toEqual(['client@mandant.test']);
    expect(info.rejected).toEqual(['info@kaputt.test']);
    expect(info.tls.recipients[1]).toMatchObject({
      state: 'rejected',
      failure: { code: 'EPROTOCOL', transient: true, mayWhitelist: false },
    });
    expect(h.mx.messages.map((m) => m.to)).toEqual([['client@mandant.test']]);
    expect(sensitiveInPlaintext(h.mx)).toEqual([]);
  });

  it('direct: a message that cannot be built still rejects with its own error, nothing sent', async () => {
    const h = await brokenForOneDomain();
    const sending = h.transporter.sendMail({
      from: FROM,
      to: ['client@mandant.test', 'info@kaputt.test'],
      text: 'Anlage',
      attachments: [{ path: '/nonexistent/forced-tls/anlage.pdf' }],
    });
    await expect(sending).rejects.toMatchObject({ code: 'ENOENT' });
    expect(h.mx.messages).toEqual([]);
  });

  it('relay: a connect hook that returns nothing is reported per recipient (EPROTOCOL), not a bare TypeError', async () => {
    const transporter = transporterOf(
      createRelayTransport({
        policy: createPolicy({ outbound: { default: 'encrypt' } }),
        host: 'relay.kanzlei.test',
        connect: () => undefined as never,
        tls: { ca: defaultTestCa().cert },
        recipientProtection: 'trust-relay',
        timeouts: FAST,
      }),
    );
    cleanup.push(() => transporter.close());
    const error = await refusal(transporter.sendMail({ from: FROM, to: 'client@mandant.test', text: 'x' }));
    expect(error.code).toBe('EDELIVERY');
    expect(error.recipients[0]).toMatchObject({ code: 'EPROTOCOL', transient: true });
  });
});

describe('a failing idle listener changes nothing', () => {
  it('an idle listener that throws after a delivery: the recipient is still reported delivered', async () => {
    const h = await directHarness({});
    cleanup.push(() => h.close());
    h.transporter.on('idle', () => {
      throw new Error('idle listener fails');
    });
    const info = await h.send();
    expect(info.accepted).toEqual(['client@mandant.test']);
    expect(h.mx.messages).toHaveLength(1);
    expect(sensitiveInPlaintext(h.mx)).toEqual([]);
  });
});
