// Inbound through a real Postfix 3.7: smtpd asks the library's policy-delegation server at RCPT
// (check_policy_service in smtpd_recipient_restrictions); swaks is the sending client.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InboundReport } from '../../src/inbound/index.js';
import { createPolicy } from '../../src/policy/policy.js';
import { createWhitelistIndex } from '../../src/policy/whitelist-index.js';
import {
  createPolicyDelegationServer,
  createSocketmapServer,
  createTlsPolicyTable,
  type PolicyDelegationServer,
  type PolicyDelegationServerOptions,
  type SocketmapServer,
} from '../../src/postfix/index.js';
import { createTestCa } from '../../src/testing/index.js';
import type { WhitelistEntry } from '../../src/whitelist/types.js';
import { type PrivatePostfix, postfixGate, startPrivatePostfix } from '../support/postfix.js';
import { freePort } from '../support/system-servers.js';

const policy = createPolicy({
  inbound: {
    rules: [
      { match: 'bank.test', level: 'encrypt' },
      { match: 'modern.test', level: 'encrypt', minVersion: 'TLSv1.3' },
    ],
  },
});

const scanner: WhitelistEntry = {
  id: 'wl-scanner',
  direction: 'inbound',
  scope: 'address',
  value: 'scanner@bank.test',
  reason: 'document scanner without TLS',
  approvedBy: 'it@kanzlei.test',
  createdAt: '2026-01-01T00:00:00.000Z',
};

const INBOX = 'inbox@kanzlei.test';

describe.skipIf(!postfixGate.available)('Postfix 3.7 smtpd with the policy-delegation server', () => {
  const reports: InboundReport[] = [];
  const ca = createTestCa();
  const leaf = ca.issue({ names: ['pfx.forced-tls.test'] });
  let policyPort = 0;
  let service: PolicyDelegationServer;
  let socketmap: SocketmapServer;
  let pfx: PrivatePostfix;

  const startService = async (options: Partial<PolicyDelegationServerOptions> = {}) => {
    service = createPolicyDelegationServer({
      policy,
      whitelist: createWhitelistIndex([scanner]),
      onDecision: (r) => void reports.push(r),
      ...options,
    });
    await service.listen({ host: '127.0.0.1', port: policyPort });
  };

  beforeAll(async () => {
    policyPort = await freePort();
    await startService();
    socketmap = createSocketmapServer({ maps: { forcedtls: createTlsPolicyTable({ policy }) } });
    const bound = await socketmap.listen({ host: '127.0.0.1', port: 0 });
    pfx = await startPrivatePostfix({
      socketmapPort: 'port' in bound ? bound.port : 0,
      transportMap: false,
      routes: { 'kanzlei.test': 'discard:' },
      caCert: ca.cert,
      inbound: { policyServicePort: policyPort, key: leaf.key, cert: leaf.cert },
    });
  });

  afterAll(async () => {
    await pfx?.stop();
    await service?.close();
    await socketmap?.close();
  });

  const last = (sender: string) => [...reports].reverse().find((r) => r.sender === sender);

  it('a listed sender in plaintext: refused at RCPT with 530 5.7.0, no DATA, the refusal reported', async () => {
    const result = await pfx.send('client@bank.test', [INBOX]);
    expect(result.queueId).toBeUndefined();
    expect(result.output).toContain(
      `530 5.7.0 <${INBOX}>: Recipient address rejected: Must issue a STARTTLS command first`,
    );
    expect(result.output).not.toMatch(/-> DATA/);
    expect(last('client@bank.test')).toMatchObject({
      outcome: 'reject',
      reason: 'tls_missing',
      protocol: null,
      cipher: null,
      remoteAddress: '127.0.0.1',
      helo: 'client.forced-tls.test',
      rule: 'bank.test',
      response: { code: 530, message: '5.7.0 Must issue a STARTTLS command first' },
    });
    expect(last('client@bank.test')?.sessionId).not.toBe('');
  });

  it('the same sender over STARTTLS: accepted, and the report names the protocol and cipher', async () => {
    const result = await pfx.send('client@bank.test', [INBOX], { tls: true });
    expect(result.queueId, result.output).toBeDefined();
    const report = last('client@bank.test');
    expect(report).toMatchObject({
      outcome: 'accept',
      reason: 'tls_ok',
      protocol: 'TLSv1.3',
      rule: 'bank.test',
    });
    expect(report?.cipher).toMatch(/^TLS_/);
  });

  it('an unlisted sender in plaintext: accepted', async () => {
    const result = await pfx.send('someone@other.test', [INBOX]);
    expect(result.queueId, result.output).toBeDefined();
    expect(last('someone@other.test')).toMatchObject({ outcome: 'accept', reason: 'tls_not_required' });
  });

  it('a whitelisted sender of a listed domain in plaintext: accepted, the entry named', async () => {
    const result = await pfx.send('scanner@bank.test', [INBOX]);
    expect(result.queueId, result.output).toBeDefined();
    expect(last('scanner@bank.test')).toMatchObject({
      outcome: 'accept',
      reason: 'whitelisted',
      whitelistEntry: 'wl-scanner',
    });
  });

  it('rejectAs temporary: 450 4.7.0, so the sending MTA retries', async () => {
    await service.close();
    await startService({ rejectAs: 'temporary' });
    const result = await pfx.send('client@bank.test', [INBOX]);
    expect(result.queueId).toBeUndefined();
    expect(result.output).toContain(
      `450 4.7.0 <${INBOX}>: Recipient address rejected: Must issue a STARTTLS command first`,
    );
  });

  it('the policy service down: Postfix fails closed with its default action, 451 4.3.5', async () => {
    await service.close();
    const result = await pfx.send('someone@other.test', [INBOX]);
    expect(result.queueId).toBeUndefined();
    expect(result.output).toContain('451 4.3.5');
    await startService();
  });
});
