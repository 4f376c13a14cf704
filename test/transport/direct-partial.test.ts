import { afterEach, describe, expect, it } from 'vitest';
import { createPolicy } from '../../src/policy/index.js';
import { createTestNetwork } from '../../src/testing/index.js';
import { createDirectTransport } from '../../src/transport/index.js';
import { directFixtures, mx } from '../support/direct-network.js';
import { FROM, sensitiveInPlaintext, transporterOf } from '../support/transport-harness.js';

const fixtures = directFixtures();
const { cleanup, direct } = fixtures;
afterEach(fixtures.runCleanup);

describe('direct mode: one message, several deliveries, partial results', () => {
  it('splits a message across domains with different levels and delivers each with its own level', async () => {
    const encrypt = await mx('mx.mandant.test', { certificate: 'wrong-name' });
    const verified = await mx('mx.notar.test');
    const network = createTestNetwork({
      domains: { 'mandant.test': { mx: ['mx.mandant.test'] }, 'notar.test': { mx: ['mx.notar.test'] } },
      hosts: { 'mx.mandant.test': encrypt, 'mx.notar.test': verified },
    });
    const policy = createPolicy({
      outbound: { default: 'encrypt', rules: [{ match: 'notar.test', level: 'verify' }] },
    });
    const info = await direct(network, policy).send(['a@mandant.test', 'b@notar.test']);
    expect(info.rejectedErrors.map((e) => e.message)).toEqual([]);
    expect(info.accepted).toEqual(['a@mandant.test', 'b@notar.test']);
    expect(encrypt.messages.map((m) => m.to)).toEqual([['a@mandant.test']]);
    expect(verified.messages.map((m) => m.to)).toEqual([['b@notar.test']]);
    expect(info.tls.recipients.map((r) => [r.decision.level, r.tls?.certificateVerified])).toEqual([
      ['encrypt', false],
      ['verify', true],
    ]);
    expect(sensitiveInPlaintext(encrypt)).toEqual([]);
    expect(sensitiveInPlaintext(verified)).toEqual([]);
  });

  it('splits one domain by requirement: a verify recipient is refused, the encrypt one delivered (partial)', async () => {
    const server = await mx('mx.mandant.test', { certificate: 'wrong-name' });
    const network = createTestNetwork({
      domains: { 'mandant.test': { mx: ['mx.mandant.test'] } },
      hosts: { 'mx.mandant.test': server },
    });
    const policy = createPolicy({
      outbound: { default: 'encrypt', rules: [{ match: 'chef@mandant.test', level: 'verify' }] },
    });
    const info = await direct(network, policy).send(['chef@mandant.test', 'team@mandant.test']);
    expect(info.accepted).toEqual(['team@mandant.test']);
    expect(info.rejected).toEqual(['chef@mandant.test']);
    expect(info.rejectedErrors[0]).toMatchObject({
      code: 'ECERTNAME',
      recipient: 'chef@mandant.test',
      permanent: true,
    });
    expect(info.tls.recipients.map((r) => r.state)).toEqual(['refused', 'delivered']);
    expect(server.messages.map((m) => m.to)).toEqual([['team@mandant.test']]);
    expect(sensitiveInPlaintext(server)).toEqual([]);
  });

  it('reports a recipient the server rejects with 550 next to one it accepts (nodemailer shape)', async () => {
    const server = await mx('mx.mandant.test', {
      rcptResponse: (address) => (address.startsWith('weg') ? '550 5.1.1 No such user\r\n' : undefined),
    });
    const network = createTestNetwork({
      domains: { 'mandant.test': { mx: ['mx.mandant.test'] } },
      hosts: { 'mx.mandant.test': server },
    });
    const info = await direct(network).send(['da@mandant.test', 'weg@mandant.test']);
    expect(info.accepted).toEqual(['da@mandant.test']);
    expect(info.rejected).toEqual(['weg@mandant.test']);
    expect(info.rejectedErrors[0]).toMatchObject({
      code: 'EREJECTED',
      responseCode: 550,
      recipient: 'weg@mandant.test',
    });
    expect(info.tls.recipients[1]).toMatchObject({
      state: 'rejected',
      failure: { code: 'EREJECTED', phase: 'rcpt', untrusted: false, transient: false, mayWhitelist: false },
    });
    expect(sensitiveInPlaintext(server)).toEqual([]);
  });

  it('works as a plain nodemailer transport: createTransport(createDirectTransport(...)).sendMail', async () => {
    const server = await mx('mx.mandant.test');
    const network = createTestNetwork({
      domains: { 'mandant.test': { mx: ['mx.mandant.test'] } },
      hosts: { 'mx.mandant.test': server },
    });
    const transport = createDirectTransport({
      policy: createPolicy({}),
      name: 'client.kanzlei.test',
      resolver: network.resolver,
      connect: network.connect,
      ca: network.ca.cert,
    });
    const transporter = transporterOf(transport);
    cleanup.push(async () => {
      transporter.close();
      await network.close();
    });
    const info = await transporter.sendMail({ from: FROM, to: 'x@mandant.test', subject: 's', text: 't' });
    expect(info.accepted).toEqual(['x@mandant.test']);
    expect(server.messages[0]?.data).toContain('Subject: s');
    expect(sensitiveInPlaintext(server)).toEqual([]);
  });
});
