import { afterEach, describe, expect, it } from 'vitest';
import { relayFixtures } from '../support/relay-harness.js';
import { refusal, sensitiveInPlaintext } from '../support/transport-harness.js';

// The relay fixtures log in as kanzlei / geheim.
const PLAIN_TOKEN = Buffer.from('\u0000kanzlei\u0000geheim').toString('base64');
const PASS_TOKEN = Buffer.from('geheim').toString('base64');

const fixtures = relayFixtures();
afterEach(fixtures.cleanup);

function expectNoCredentials(text: string | undefined): void {
  expect(text).toBeDefined();
  expect(text).not.toContain(PLAIN_TOKEN);
  expect(text).not.toContain(PASS_TOKEN);
  expect(text).not.toContain('geheim');
}

describe('server replies never carry the credentials the client sent', () => {
  it('a relay echoing the AUTH PLAIN line into its 535: the argument is redacted in response and message', async () => {
    const { mx: relay, send } = await fixtures.relay({
      auth: ['PLAIN'],
      onCommand: (c) =>
        c.verb === 'AUTH' ? { reply: `535 5.7.8 Authentication failed for "${c.line}"\r\n` } : undefined,
    });
    const error = await refusal(send());
    const failure = error.recipients[0]!;
    expect(failure).toMatchObject({ code: 'EREJECTED', phase: 'auth', responseCode: 535 });
    expect(failure.response).toContain('AUTH PLAIN [redacted]');
    expectNoCredentials(failure.response);
    expectNoCredentials(failure.message);
    expectNoCredentials(error.message);
    expectNoCredentials(JSON.stringify(error));
    expect(sensitiveInPlaintext(relay)).toEqual([]);
  });

  it('a base64 token equal to what was sent is redacted wherever it appears in a reply', async () => {
    const { send } = await fixtures.relay({
      auth: ['PLAIN'],
      onCommand: (c) =>
        c.verb === 'AUTH'
          ? { reply: `535 5.7.8 token ${PLAIN_TOKEN} (pw ${PASS_TOKEN}) rejected\r\n` }
          : undefined,
    });
    const failure = (await refusal(send())).recipients[0]!;
    expect(failure.response).toBe('535 5.7.8 token [redacted] (pw [redacted]) rejected');
    expectNoCredentials(failure.message);
  });
});
