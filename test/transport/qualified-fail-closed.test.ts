import { afterEach, describe, expect, it } from 'vitest';
import { createPolicy } from '../../src/policy/index.js';
import { checkDomainLevel, createProber } from '../../src/probe/index.js';
import { createTestNetwork, startTestMx, type TestNetwork } from '../../src/testing/index.js';
import { optionsFor } from '../probe/helpers.js';
import { HAS_REQUIRETLS } from '../support/nodemailer-features.js';
import { relayFixtures } from '../support/relay-harness.js';
import { directHarnesses, refusal, sensitiveInPlaintext } from '../support/transport-harness.js';

// Level `qualified` holds only for a session that proved the tier: a valid certificate alone (PKIX
// over unauthenticated DNS) is not enough, and relay mode delivers it only after `check-mx`.
const harness = directHarnesses();
let network: TestNetwork | undefined;

const relays = relayFixtures();

afterEach(async () => {
  await network?.close();
  network = undefined;
  await relays.cleanup();
});

describe('level qualified without an authenticated server', () => {
  it('direct mode refuses a valid TLS 1.3 MX with ENOTQUALIFIED before MAIL FROM, not whitelistable', async () => {
    const h = await harness({ certificate: 'valid' }, { outbound: { default: 'qualified' } });
    const error = await refusal(h.send());
    expect(error.code).toBe('ETLSREQUIRED');
    expect(error.recipients[0]).toMatchObject({
      code: 'ENOTQUALIFIED',
      level: 'qualified',
      transient: false,
      mayWhitelist: false,
    });
    // The server logged what it received: the handshake happened, no envelope command at all.
    expect(h.mx.handshakes.length).toBeGreaterThan(0);
    expect(h.mx.log.map((e) => e.line.split(' ')[0]?.toUpperCase())).not.toContain('MAIL');
    expect(sensitiveInPlaintext(h.mx)).toEqual([]);
    expect(h.mx.messages).toEqual([]);
  });

  it('a rule at qualified with whitelistable: true says mayWhitelist', async () => {
    const policy = {
      outbound: { rules: [{ match: 'mandant.test', level: 'qualified' as const, whitelistable: true }] },
    };
    const h = await harness({ certificate: 'valid' }, policy);
    const error = await refusal(h.send());
    expect(error.recipients[0]).toMatchObject({ code: 'ENOTQUALIFIED', mayWhitelist: true });
  });

  it('the relay pre-send check refuses qualified on every host with ENOTQUALIFIED', async () => {
    const good = await startTestMx({ name: 'mx.good.test' });
    network = createTestNetwork({
      domains: { 'good.test': { mx: ['mx.good.test'] } },
      hosts: { 'mx.good.test': good },
    });
    const prober = createProber(optionsFor(network));
    expect(await checkDomainLevel(prober, 'good.test', 'verify')).toMatchObject({ ok: true });
    expect(await checkDomainLevel(prober, 'good.test', 'qualified')).toMatchObject({
      ok: false,
      reason: 'not_qualified',
      code: 'ENOTQUALIFIED',
      transient: false,
    });
    expect(createPolicy({ outbound: { default: 'qualified' } }).outbound('a@good.test').level).toBe(
      'qualified',
    );
  });

  it.for(['trust-relay', 'requiretls'] as const)(
    'relay mode with %s refuses qualified and dane-only recipients before sending; the others go',
    async (recipientProtection, { skip }) => {
      skip(recipientProtection === 'requiretls' && !HAS_REQUIRETLS, 'REQUIRETLS needs nodemailer 7.0.12');
      const policy = createPolicy({
        outbound: {
          default: 'encrypt',
          rules: [
            { match: 'mandant.test', level: 'qualified' },
            { match: 'dane.test', level: 'dane-only' },
          ],
        },
      });
      const { mx, send } = await relays.relay(
        { capabilitiesTls: ['REQUIRETLS'] },
        { policy, recipientProtection },
      );
      const info = await send(['a@mandant.test', 'b@dane.test', 'c@offen.test']);
      expect(info.accepted).toEqual(['c@offen.test']);
      expect(info.tls.recipients.map((r) => [r.recipient, r.state, r.failure?.code])).toEqual([
        ['a@mandant.test', 'refused', 'ENOTQUALIFIED'],
        ['b@dane.test', 'refused', 'EDANEREQUIRED'],
        ['c@offen.test', 'delivered', undefined],
      ]);
      expect(info.tls.recipients[0]!.failure).toMatchObject({ phase: 'relay-check', transient: false });
      expect(info.tls.recipients[0]!.failure!.message).toContain("needs recipientProtection 'check-mx'");
      expect(mx.messages.map((m) => m.to)).toEqual([['c@offen.test']]);
    },
  );
});
