import { afterEach, describe, expect, it } from 'vitest';
import { createMtaStsResolver, MemoryMtaStsCacheStore } from '../../src/mta-sts/index.js';
import { createPolicy } from '../../src/policy/index.js';
import type { DeliveryAttempt, DirectTransportOptions } from '../../src/transport/index.js';
import { createWhitelist, MemoryWhitelistStore } from '../../src/whitelist/index.js';
import { policyText } from '../mta-sts/helpers.js';
import { type MtaStsWorld, mtaStsWorld, strongCertificate } from '../probe/helpers.js';
import { directFixtures } from '../support/direct-network.js';
import { refusal, sensitiveInPlaintext } from '../support/transport-harness.js';

// The recipient's MTA-STS policy (RFC 8461) in direct mode: enforce limits delivery to the hosts it
// lists, with a valid certificate, whatever the local policy allows; a cached policy says so; a host
// the cached policy does not list makes the transport look for a new policy once. Every MX logs what
// it received before and after TLS.

const fixtures = directFixtures();
let world: MtaStsWorld | undefined;

afterEach(async () => {
  await fixtures.runCleanup();
  await world?.policyHost.close();
  world = undefined;
});

const BSI_MX = (name: string) =>
  ({
    tls: { ...strongCertificate(name), maxVersion: 'TLSv1.2', ciphers: 'ECDHE-RSA-AES256-GCM-SHA384' },
  }) as const;

function direct(
  policy = createPolicy({ outbound: { default: 'encrypt' } }),
  extra: Partial<DirectTransportOptions> = {},
) {
  const attempts: DeliveryAttempt[] = [];
  const transport = fixtures.direct(world!.network, policy, attempts, extra);
  return { ...transport, attempts };
}

describe('MTA-STS enforce in direct mode', () => {
  it('delivers to a listed host with a valid certificate; the report names the policy and the tier', async () => {
    world = await mtaStsWorld({
      hosts: { 'mx1.mandant.test': {} },
      policy: policyText('enforce', ['mx1.mandant.test']),
      id: '20261201',
    });
    const { send } = direct();
    const info = await send(['mandantin@mandant.test']);
    const report = info.tls.recipients[0]!;
    expect(report).toMatchObject({ state: 'delivered', mx: 'mx1.mandant.test', authentication: 'mta-sts' });
    expect(report.tls?.mtaSts).toEqual({
      mode: 'enforce',
      source: 'fetched',
      id: '20261201',
      mxMatched: true,
      pattern: 'mx1.mandant.test',
      applied: true,
    });
    expect(report.tls?.proven).toEqual(expect.arrayContaining(['pkix', 'mta-sts']));
    expect(world.mx['mx1.mandant.test']!.messages).toHaveLength(1);
    expect(sensitiveInPlaintext(world.mx['mx1.mandant.test']!)).toEqual([]);
  });

  it('a listed host inside the BSI profile reaches qualified, and level qualified delivers', async () => {
    world = await mtaStsWorld({
      hosts: { 'mx1.mandant.test': BSI_MX('mx1.mandant.test') },
      policy: policyText('enforce', ['mx1.mandant.test']),
    });
    const { send, attempts } = direct(createPolicy({ outbound: { default: 'qualified' } }));
    const info = await send(['mandantin@mandant.test']);
    expect(info.tls.recipients[0]).toMatchObject({
      state: 'delivered',
      tier: 'qualified',
      authentication: 'mta-sts',
    });
    expect(info.tls.recipients[0]!.tls?.tierReasons).toEqual([]);
    expect(attempts.map((a) => [a.outcome, a.tier, a.authentication])).toEqual([
      ['delivered', 'qualified', 'mta-sts'],
    ]);
  });

  it('the same host without MTA-STS is only encrypted: level qualified refuses it before MAIL FROM', async () => {
    world = await mtaStsWorld({ hosts: { 'mx1.mandant.test': BSI_MX('mx1.mandant.test') } });
    const { send } = direct(createPolicy({ outbound: { default: 'qualified' } }));
    const error = await refusal(send(['mandantin@mandant.test']));
    expect(error.recipients[0]).toMatchObject({
      code: 'ENOTQUALIFIED',
      phase: 'certificate',
      transient: false,
    });
    const mx = world.mx['mx1.mandant.test']!;
    expect(mx.handshakes.length).toBeGreaterThan(0);
    expect(mx.commands()).not.toContain('MAIL');
    expect(mx.messages).toEqual([]);
  });

  it('an invalid certificate is refused under enforce even at local level encrypt: EMTASTS, transient, not whitelistable', async () => {
    world = await mtaStsWorld({
      hosts: { 'mx1.mandant.test': { certificate: 'self-signed' } },
      policy: policyText('enforce', ['mx1.mandant.test']),
    });
    const { send } = direct();
    const error = await refusal(send(['mandantin@mandant.test']));
    // RFC 8461 §5: such failures are transient (a fixed certificate or a new policy may deliver later).
    expect(error.recipients[0]!.message).toMatch(/MTA-STS enforce: ECERT/);
    expect(error.recipients[0]).toMatchObject({
      code: 'EMTASTS',
      phase: 'certificate',
      transient: true,
      mayWhitelist: false,
      mx: 'mx1.mandant.test',
    });
    const mx = world.mx['mx1.mandant.test']!;
    expect(mx.commands()).not.toContain('MAIL');
    expect(sensitiveInPlaintext(mx)).toEqual([]);
    expect(mx.messages).toEqual([]);
  });

  it('a whitelist entry does not lower what the recipient publishes', async () => {
    world = await mtaStsWorld({
      hosts: { 'mx1.mandant.test': { starttls: false } },
      policy: policyText('enforce', ['mx1.mandant.test']),
    });
    const whitelist = createWhitelist(new MemoryWhitelistStore());
    await whitelist.add({
      direction: 'outbound',
      scope: 'domain',
      value: 'mandant.test',
      reason: 'Mandant hat unverschlüsselten Versand schriftlich gewünscht',
      approvedBy: 'admin@kanzlei.test',
    });
    const { send } = direct(createPolicy({ outbound: { default: 'encrypt' } }), { whitelist });
    const error = await refusal(send(['mandantin@mandant.test']));
    expect(error.recipients[0]).toMatchObject({ code: 'ENOSTARTTLS', mayWhitelist: false });
    expect(error.recipients[0]!.level).toBe('may');
    const mx = world.mx['mx1.mandant.test']!;
    expect(mx.commands()).not.toContain('MAIL');
    expect(mx.messages).toEqual([]);
  });

  it('a host the policy does not list is never connected to; a listed backup delivers', async () => {
    world = await mtaStsWorld({
      hosts: { 'mx1.mandant.test': {}, 'mx2.mandant.test': {} },
      policy: policyText('enforce', ['mx2.mandant.test']),
    });
    const { send } = direct();
    const info = await send(['mandantin@mandant.test']);
    expect(info.tls.recipients[0]).toMatchObject({ state: 'delivered', mx: 'mx2.mandant.test' });
    expect(world.mx['mx1.mandant.test']!.log).toEqual([]);
    expect(world.network.calls.filter((c) => c.method === 'connect').map((c) => c.name)).not.toContain(
      'mx1.mandant.test',
    );
  });

  it('no listed host refuses with EMTASTS (transient, RFC 8461 §5; not whitelistable) and says which hosts', async () => {
    world = await mtaStsWorld({
      hosts: { 'mx1.mandant.test': {} },
      policy: policyText('enforce', ['mx.anderswo.test']),
    });
    const { send } = direct(createPolicy({ outbound: { default: 'may' } }));
    const error = await refusal(send(['mandantin@mandant.test']));
    expect(error.recipients[0]).toMatchObject({
      code: 'EMTASTS',
      phase: 'policy',
      transient: true,
      mayWhitelist: false,
      mx: 'mx1.mandant.test',
      mxTried: ['mx1.mandant.test'],
    });
    expect(error.recipients[0]!.message).toContain('mx.anderswo.test');
    expect(world.mx['mx1.mandant.test']!.log).toEqual([]);
  });
});

describe('MTA-STS testing and cached policies', () => {
  it('testing: an unlisted host is used and the report says what enforce would have refused', async () => {
    world = await mtaStsWorld({
      hosts: { 'mx1.mandant.test': {} },
      policy: policyText('testing', ['mx.anderswo.test']),
    });
    const { send } = direct();
    const info = await send(['mandantin@mandant.test']);
    const report = info.tls.recipients[0]!;
    expect(report).toMatchObject({ state: 'delivered', authentication: 'pkix' });
    expect(report.tls?.mtaSts).toMatchObject({ mode: 'testing', mxMatched: false, applied: false });
    expect(report.wouldRefuse).toMatchObject({ code: 'EMTASTS' });
  });

  it('a second message uses the cached policy and says it was cached', async () => {
    world = await mtaStsWorld({
      hosts: { 'mx1.mandant.test': {} },
      policy: policyText('enforce', ['mx1.mandant.test']),
    });
    const { send } = direct();
    await send(['a@mandant.test']);
    const second = await send(['b@mandant.test']);
    expect(second.tls.recipients[0]!.tls?.mtaSts).toMatchObject({ source: 'cached', applied: true });
    expect(world.policyHost.requestsFor('mandant.test')).toHaveLength(1);
  });

  it('a new MX the cached policy does not list: DNS is asked for a new policy id, and the new policy decides', async () => {
    world = await mtaStsWorld({
      hosts: { 'mx1.mandant.test': {}, 'mx2.mandant.test': {} },
      policy: policyText('enforce', ['mx1.mandant.test']),
      id: '1',
    });
    world.network.setDomain('mandant.test', { mx: ['mx1.mandant.test'] });
    const { send } = direct();
    await send(['a@mandant.test']);
    // The domain moves to mx2 and publishes a new policy listing it, under a new id.
    world.network.setDomain('mandant.test', { mx: ['mx2.mandant.test'] });
    world.network.setDomain('_mta-sts.mandant.test', { txt: ['v=STSv1; id=2'] });
    world.policyHost.setPolicy('mandant.test', policyText('enforce', ['mx2.mandant.test']));
    const info = await send(['b@mandant.test']);
    expect(info.tls.recipients[0]).toMatchObject({ state: 'delivered', mx: 'mx2.mandant.test' });
    expect(info.tls.recipients[0]!.tls?.mtaSts).toMatchObject({
      source: 'fetched',
      id: '2',
      mxMatched: true,
    });
    expect(world.policyHost.requestsFor('mandant.test')).toHaveLength(2);
  });

  it('a new MX with an unchanged policy id stays refused after one TXT lookup: same id, same policy (RFC 8461 §3.1)', async () => {
    world = await mtaStsWorld({
      hosts: { 'mx1.mandant.test': {}, 'mx2.mandant.test': {} },
      policy: policyText('enforce', ['mx1.mandant.test']),
    });
    world.network.setDomain('mandant.test', { mx: ['mx1.mandant.test'] });
    const { send } = direct();
    await send(['a@mandant.test']);
    const txtLookups = () =>
      world!.network.calls.filter((c) => c.method === 'resolveTxt' && c.name === '_mta-sts.mandant.test')
        .length;
    const before = txtLookups();
    world.network.setDomain('mandant.test', { mx: ['mx2.mandant.test'] });
    const error = await refusal(send(['b@mandant.test']));
    expect(error.recipients[0]).toMatchObject({ code: 'EMTASTS', transient: true, mayWhitelist: false });
    expect(txtLookups()).toBe(before + 1);
    expect(world.policyHost.requestsFor('mandant.test')).toHaveLength(1);
    expect(world.mx['mx2.mandant.test']!.log).toEqual([]);
  });
});

describe('MTA-STS lookups that fail', () => {
  it('a policy that cannot be fetched (no cache) is no policy: TLS as the local policy says, never qualified', async () => {
    world = await mtaStsWorld({
      hosts: { 'mx1.mandant.test': BSI_MX('mx1.mandant.test') },
      policy: { status: 500, body: 'kaputt' },
    });
    const { send } = direct();
    const info = await send(['mandantin@mandant.test']);
    expect(info.tls.recipients[0]).toMatchObject({
      state: 'delivered',
      plaintext: false,
      authentication: 'pkix',
    });
    expect(info.tls.recipients[0]!.tier).toBe('encrypted');
    const strict = direct(createPolicy({ outbound: { default: 'qualified' } }));
    const error = await refusal(strict.send(['mandantin@mandant.test']));
    expect(error.recipients[0]).toMatchObject({ code: 'ENOTQUALIFIED' });
  });

  it('a cache store that fails refuses the domain for now (EMTASTS, transient) without connecting', async () => {
    world = await mtaStsWorld({
      hosts: { 'mx1.mandant.test': {} },
      policy: policyText('enforce', ['mx1.mandant.test']),
    });
    const store = new MemoryMtaStsCacheStore();
    store.get = async () => {
      throw Object.assign(new Error('database unavailable'), { code: 'ESTORE' });
    };
    const mtaSts = createMtaStsResolver({
      resolver: world.network.resolver,
      connect: world.network.connect,
      ca: world.network.ca.cert,
      store,
    });
    const { send } = direct(createPolicy({ outbound: { default: 'may' } }), { mtaSts });
    const error = await refusal(send(['mandantin@mandant.test']));
    expect(error.recipients[0]).toMatchObject({ code: 'EMTASTS', phase: 'policy', transient: true });
    expect(world.mx['mx1.mandant.test']!.log).toEqual([]);
  });

  it('mtaSts: false does not look at all', async () => {
    world = await mtaStsWorld({
      hosts: { 'mx1.mandant.test': { certificate: 'self-signed' } },
      policy: policyText('enforce', ['mx1.mandant.test']),
    });
    const { send } = direct(createPolicy({ outbound: { default: 'encrypt' } }), { mtaSts: false });
    const info = await send(['mandantin@mandant.test']);
    expect(info.tls.recipients[0]).toMatchObject({ state: 'delivered', authentication: 'none' });
    expect(info.tls.recipients[0]!.tls?.mtaSts).toBeUndefined();
    expect(world.network.calls.filter((c) => c.method === 'resolveTxt')).toEqual([]);
  });
});
