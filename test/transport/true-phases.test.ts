import { afterEach, describe, expect, it } from 'vitest';
import { createTestNetwork, type TestMxOptions } from '../../src/testing/index.js';
import type { DeliveryAttempt } from '../../src/transport/index.js';
import { directFixtures, mx } from '../support/direct-network.js';
import { relayFixtures } from '../support/relay-harness.js';
import { refusal, sensitiveInPlaintext } from '../support/transport-harness.js';

/** A server that drops the connection when it receives `verb` (inside TLS). */
const closingAt = (verb: string): TestMxOptions => ({
  onCommand: (c) => (c.verb === verb && c.phase === 'tls' ? { after: 'close' } : undefined),
});

describe('direct mode: phases after pipelining, and the next MX whenever the final dot was not sent', () => {
  const fixtures = directFixtures();
  afterEach(fixtures.runCleanup);

  it.each(['MAIL', 'RCPT'])('mx1 closing at %s: the message was not sent, so mx2 gets it', async (verb) => {
    const broken = await mx('mx1.mandant.test', closingAt(verb));
    const good = await mx('mx2.mandant.test');
    const network = createTestNetwork({
      domains: { 'mandant.test': { mx: ['mx1.mandant.test', 'mx2.mandant.test'] } },
      hosts: { 'mx1.mandant.test': broken, 'mx2.mandant.test': good },
    });
    const attempts: DeliveryAttempt[] = [];
    const info = await fixtures.direct(network, undefined, attempts).send(['client@mandant.test']);
    expect(info.tls.recipients[0]?.mx).toBe('mx2.mandant.test');
    expect(good.messages).toHaveLength(1);
    expect(attempts.map((a) => [a.host, a.outcome, a.code])).toEqual([
      ['mx1.mandant.test', 'failed', 'ECONNECT'],
      ['mx2.mandant.test', 'delivered', undefined],
    ]);
    expect(sensitiveInPlaintext(broken)).toEqual([]);
  });

  it.each([
    ['MAIL', 'mail', 'MAIL FROM'],
    ['RCPT', 'rcpt', 'RCPT TO'],
  ] as const)('the only MX closing at %s: ECONNECT at %s naming %s', async (verb, phase, command) => {
    const broken = await mx('mx.mandant.test', closingAt(verb));
    const network = createTestNetwork({
      domains: { 'mandant.test': { mx: ['mx.mandant.test'] } },
      hosts: { 'mx.mandant.test': broken },
    });
    const error = await refusal(fixtures.direct(network).send(['client@mandant.test']));
    expect(error.recipients[0]).toMatchObject({ code: 'ECONNECT', phase, command, transient: true });
  });

  it('a 554 to the EHLO after TLS is a rejected step (EREJECTED, the reply trusted), and the next MX is tried', async () => {
    const refusing = await mx('mx1.mandant.test', { ehloResponseTls: '554 5.7.1 No service for you\r\n' });
    const good = await mx('mx2.mandant.test');
    const network = createTestNetwork({
      domains: { 'mandant.test': { mx: ['mx1.mandant.test', 'mx2.mandant.test'] } },
      hosts: { 'mx1.mandant.test': refusing, 'mx2.mandant.test': good },
    });
    const info = await fixtures.direct(network).send(['client@mandant.test']);
    expect(info.tls.recipients[0]?.mx).toBe('mx2.mandant.test');

    network.setDomain('mandant.test', { mx: ['mx1.mandant.test'] });
    const error = await refusal(fixtures.direct(network).send(['client@mandant.test']));
    expect(error.code).toBe('EDELIVERY');
    const failure = error.recipients[0]!;
    expect(failure).toMatchObject({
      code: 'EREJECTED',
      phase: 'ehlo',
      command: 'EHLO',
      responseCode: 554,
      response: '554 5.7.1 No service for you',
      untrusted: false,
      transient: false,
      mayWhitelist: false,
    });
    expect(failure.message).toMatch(/refused the EHLO after TLS with 554 5\.7\.1 No service for you/);
    expect(failure.message).not.toMatch(/HELO does not support/);
    expect(sensitiveInPlaintext(refusing)).toEqual([]);
  });
});

describe('relay mode: phases after pipelining', () => {
  const fixtures = relayFixtures();
  afterEach(fixtures.cleanup);

  it.each([
    ['MAIL', 'mail', 'MAIL FROM'],
    ['RCPT', 'rcpt', 'RCPT TO'],
  ] as const)('a relay closing at %s is reported at %s naming %s', async (verb, phase, command) => {
    const { mx: relay, send } = await fixtures.relay(closingAt(verb));
    const error = await refusal(send());
    expect(error.recipients[0]).toMatchObject({ code: 'ECONNECT', phase, command });
    expect(sensitiveInPlaintext(relay)).toEqual([]);
  });

  it('a 554 to the EHLO after TLS is EREJECTED at ehlo with the trusted reply', async () => {
    const { send } = await fixtures.relay({ ehloResponseTls: '554 5.7.1 Not here\r\n' });
    const error = await refusal(send());
    expect(error.recipients[0]).toMatchObject({
      code: 'EREJECTED',
      phase: 'ehlo',
      responseCode: 554,
      untrusted: false,
    });
  });
});
