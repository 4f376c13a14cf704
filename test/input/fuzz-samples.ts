import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import * as root from '../../src/index.js';
import * as mtaSts from '../../src/mta-sts/index.js';
import * as testing from '../../src/testing/index.js';
import { CLOSED, dir, ENTRY, NOW, OFFLINE, policy, prober, QUICK, type TlsPeer } from './fuzz-context.js';
import { dnsSamples } from './fuzz-samples-dns.js';
import { postfixSamples } from './fuzz-samples-postfix.js';

/** Valid arguments per export, by name; the fuzz also replaces one argument or field of them at a time. */
export type Samples = Readonly<Record<string, readonly unknown[]>>;

const MTA_STS_POLICY = 'version: STSv1\nmode: enforce\nmx: mx.mandant.test\nmax_age: 86400\n';

/** The samples of `forced-tls`, `/nodemailer`, `/probe`, `/inbound`, `/testing` and the file stores. */
function coreSamples(): Samples {
  const decision = policy.outbound('a@x.versicherung.example');
  const policyFile = join(dir, 'policy.json');
  writeFileSync(policyFile, '{"outbound":{"default":"may"}}');
  return {
    ForcedTlsError: ['EPOLICY', 'message', { path: 'a', value: 1, transient: false }],
    userMessage: ['ENOSTARTTLS', 'de', 'mandant.example'],
    whitelistHint: ['en', 'mandant.example'],
    isErrorCode: ['EPOLICY'],
    isTlsRefusalCode: ['ENOSTARTTLS'],
    isForcedTlsError: [new root.ForcedTlsError('EPOLICY', 'x')],
    createPolicy: [
      {
        outbound: {
          default: 'encrypt',
          minVersion: 'TLSv1.2',
          rules: [{ match: '*.v.example', level: 'verify' }],
        },
        inbound: { rules: [{ match: 'bank.example', level: 'encrypt', fingerprints: undefined }] },
      },
      { file: 'policy.json' },
    ],
    parsePolicy: ['{"outbound":{"default":"may"}}', 'policy.json'],
    loadPolicyFile: [policyFile],
    createWhitelistIndex: [[{ ...ENTRY }]],
    retrySchedule: [{ firstFailedAt: NOW, now: new Date(NOW.getTime() + 600_000), maximalBackoffTime: 4000 }],
    evaluateInbound: [policy.inbound('a@bank.example'), { protocol: 'TLSv1.3' }],
    explainDecision: [{ ...decision }],
    decideDomain: [
      policy,
      'x.versicherung.example',
      { scope: 'domain', now: NOW, whitelist: root.createWhitelistIndex([{ ...ENTRY }]) },
    ],
    normalizeAddress: ['Vorstand@Bank.example'],
    normalizeDomain: ['Müller.example', { allowSingleLabel: true }],
    normalizeFingerprint: [`${'AB:'.repeat(31)}AB`],
    normalizePattern: ['*.mandant.example', 'subdomains'],
    isPublicSuffix: ['co.uk'],
    createWhitelist: [new root.MemoryWhitelistStore(), { clock: () => NOW }],
    FileWhitelistStore: [
      { path: join(dir, 'constructed.json'), lockTimeoutMs: 100, maxFileBytes: 1_000_000 },
    ],
    MemoryWhitelistStore: [[{ ...ENTRY }]],
    createDirectTransport: [
      {
        policy,
        name: 'mail.kanzlei.example',
        resolver: OFFLINE,
        connect: CLOSED,
        timeouts: QUICK,
        maxConnections: 2,
      },
    ],
    createRelayTransport: [
      {
        policy,
        host: 'relay.kanzlei.example',
        port: 587,
        recipientProtection: 'trust-relay',
        connect: CLOSED,
        timeouts: QUICK,
        tls: { minVersion: 'TLSv1.2', servername: 'relay.kanzlei.example' },
      },
    ],
    forceTls: [
      nodemailer.createTransport({ host: 'relay.kanzlei.example', port: 587 }),
      { policy, recipientProtection: 'trust-relay', connect: CLOSED, timeouts: QUICK },
    ],
    probeDomain: [
      'mandant.example',
      {
        resolver: OFFLINE,
        connect: CLOSED,
        ehloName: 'mail.kanzlei.example',
        port: 25,
        minVersion: 'TLSv1.2',
        timeouts: { connect: 200, greeting: 200, reply: 200, handshake: 200 },
        bsiProfile: true,
      },
    ],
    createProbeCheck: [prober],
    checkDomainLevel: [prober, 'mandant.example', 'encrypt', [], 'TLSv1.2'],
    createProber: [
      { resolver: OFFLINE, connect: CLOSED, ehloName: 'mail.kanzlei.example', timeouts: { connect: 200 } },
    ],
    satisfiedLevels: [[], 'TLSv1.2'],
    analyzeReceived: [
      'Received: from a.example ([203.0.113.9]) by mx1.kanzlei.example with ESMTPS id A; d\r\n',
      { trustedHosts: ['mx1.kanzlei.example'], policy, sender: 'a@bank.example', now: NOW, maxHops: 10 },
    ],
    checkServerOptions: [{ key: 'k', cert: 'c', minVersion: 'TLSv1.2', disabledCommands: ['AUTH'] }],
    createInboundGuard: [{ policy, rejectAs: 'temporary', clock: () => NOW }],
    bsiTlsOptions: [],
    rejectionReply: [
      'tls_version_too_old',
      'permanent',
      { protocol: 'TLSv1.1', minVersion: 'TLSv1.2' },
      true,
    ],
    parseExpectations: [[{ address: 'a@mandant.example', level: 'encrypt' }]],
    checkDecisions: [policy, [{ address: 'a@mandant.example', level: 'encrypt' }], { now: NOW }],
    assertDecisions: [policy, [{ address: 'a@mandant.example', level: 'encrypt' }], { now: NOW }],
    formatMismatches: [
      [
        {
          expectation: { address: 'a@b.example' },
          field: 'level',
          expected: 'may',
          actual: 'encrypt',
          explain: 'x',
        },
      ],
    ],
    createSelfSignedCertificate: [
      { names: ['mx.mandant.test'], notAfter: new Date(Date.now() + 86_400_000) },
    ],
    createTestCa: [{ commonName: 'fuzz CA' }],
    defaultTestCa: [],
    startTestMx: [{ name: 'mx.mandant.test', requireTls: true, auth: ['PLAIN'], stallAt: 'data' }],
    startTestPolicyHost: [
      {
        policies: {
          'mandant.test': MTA_STS_POLICY,
          'other.test': { body: MTA_STS_POLICY, status: 200, contentType: 'text/plain', stall: 'cut' },
        },
        ca: testing.defaultTestCa(),
      },
    ],
    createTestNetwork: [
      {
        domains: {
          'mandant.test': { mx: ['mx.mandant.test', { exchange: 'mx2.mandant.test', priority: 20 }] },
        },
        hosts: { 'mx.mandant.test': { host: '127.0.0.1', port: 9 }, 'mx2.mandant.test': 'refused' },
      },
    ],
    dnsError: ['ENOTFOUND', 'queryMx', 'mandant.test'],
    runWhitelistStoreContract: [
      () => undefined,
      () => new root.MemoryWhitelistStore(),
      { name: 'x', manyEntries: 2 },
    ],
    runMtaStsCacheContract: [
      () => undefined,
      () => new mtaSts.MemoryMtaStsCacheStore(),
      { name: 'x', manyEntries: 2, clock: () => NOW },
    ],
  };
}

/** Valid arguments of every export that has them. */
export function samples(peer: TlsPeer): Samples {
  return { ...coreSamples(), ...dnsSamples(peer), ...postfixSamples() };
}
