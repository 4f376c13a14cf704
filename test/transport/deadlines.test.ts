import { afterEach, describe, expect, it } from 'vitest';
import { createTestNetwork, type TestMxOptions, type TestMxReplyPoint } from '../../src/testing/index.js';
import { directFixtures, mx } from '../support/direct-network.js';
import { relayFixtures } from '../support/relay-harness.js';
import { refusal, sensitiveInPlaintext } from '../support/transport-harness.js';

/** One second per reply; a dribbling server sends a byte every 200 ms, so an idle timer never fires. */
const LIMITS = { connect: 3000, greeting: 3000, tls: 3000, reply: 1000 } as const;
const EVERY_MS = 200;
// A reply long enough that trickling it takes ~40 s: only a deadline counted from the command ends it.
const LONG = `${'250-trickle\r\n'.repeat(15)}250 Ok\r\n`;

/** A server that dribbles its reply at `at` (the long reply where the option allows one). */
function dribbling(at: TestMxReplyPoint): TestMxOptions {
  return {
    dribble: { at, everyMs: EVERY_MS },
    ...(at === 'mail' ? { mailResponse: LONG } : {}),
    ...(at === 'rcpt' ? { rcptResponse: () => LONG } : {}),
    ...(at === 'message' ? { messageResponse: LONG.replace('250 Ok', '250 2.0.0 queued') } : {}),
    ...(at === 'ehlo-tls' ? { ehloResponseTls: LONG } : {}),
  };
}

/** Where each dribble is reported, and whether another MX may then be tried (the final dot not sent). */
const CASES = [
  { at: 'ehlo-tls', phase: 'ehlo', failover: true },
  { at: 'mail', phase: 'mail', failover: true },
  { at: 'rcpt', phase: 'rcpt', failover: true },
  { at: 'data', phase: 'data', failover: true },
  { at: 'message', phase: 'data', failover: false },
] as const;

describe('direct mode: a dribbling server ends by the reply deadline counted from the command', () => {
  const fixtures = directFixtures();
  afterEach(fixtures.runCleanup);

  it.each(CASES)('dribbling the reply at $at → ETIMEOUT at $phase within the limit + 1 s', async (c) => {
    const slow = await mx('mx1.mandant.test', dribbling(c.at));
    const good = await mx('mx2.mandant.test');
    const network = createTestNetwork({
      domains: { 'mandant.test': { mx: ['mx1.mandant.test', 'mx2.mandant.test'] } },
      hosts: { 'mx1.mandant.test': slow, 'mx2.mandant.test': good },
    });
    const { transporter } = fixtures.direct(network, undefined, undefined, { timeouts: LIMITS });
    const started = Date.now();
    const sending = transporter.sendMail({
      from: 'kanzlei@sender.test',
      to: 'client@mandant.test',
      text: 'x',
    });
    if (c.failover) {
      // The message was not sent to mx1 (no final dot): the next MX gets it.
      const info = await sending;
      expect(Date.now() - started).toBeLessThan(LIMITS.reply + 1000 + 1500);
      expect(info.tls.recipients[0]?.mx).toBe('mx2.mandant.test');
      expect(good.messages).toHaveLength(1);
      expect(slow.messages).toHaveLength(0);
    } else {
      // After the final dot the message may have arrived: no second MX, a transient refusal.
      const error = await refusal(sending);
      expect(Date.now() - started).toBeLessThan(LIMITS.reply + 1000 + 1500);
      expect(error.recipients[0]).toMatchObject({ code: 'ETIMEOUT', phase: c.phase, transient: true });
      expect(error.recipients[0]?.mxTried).toEqual(['mx1.mandant.test']);
      expect(good.connections).toBe(0);
    }
    expect(sensitiveInPlaintext(slow)).toEqual([]);
  });

  it.each(CASES)('the refusal names $phase when the only MX dribbles at $at', async (c) => {
    const slow = await mx('mx.mandant.test', dribbling(c.at));
    const network = createTestNetwork({
      domains: { 'mandant.test': { mx: ['mx.mandant.test'] } },
      hosts: { 'mx.mandant.test': slow },
    });
    const started = Date.now();
    const error = await refusal(
      fixtures.direct(network, undefined, undefined, { timeouts: LIMITS }).send(['client@mandant.test']),
    );
    expect(Date.now() - started).toBeLessThan(LIMITS.reply + 1000 + 1000);
    expect(error.recipients[0]).toMatchObject({ code: 'ETIMEOUT', phase: c.phase, transient: true });
  });
});

describe('relay mode: a dribbling relay ends by the reply deadline counted from the command', () => {
  const fixtures = relayFixtures();
  afterEach(fixtures.cleanup);

  it.each(CASES)('dribbling the reply at $at → ETIMEOUT at $phase within the limit + 1 s', async (c) => {
    const { mx: relay, send } = await fixtures.relay(dribbling(c.at), { timeouts: LIMITS });
    const started = Date.now();
    const error = await refusal(send());
    expect(Date.now() - started).toBeLessThan(LIMITS.reply + 1000 + 1000);
    expect(error.recipients[0]).toMatchObject({ code: 'ETIMEOUT', phase: c.phase, transient: true });
    expect(sensitiveInPlaintext(relay)).toEqual([]);
  });
});
