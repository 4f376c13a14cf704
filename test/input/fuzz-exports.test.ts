import { AssertionError } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as inbound from '../../src/inbound/index.js';
import * as root from '../../src/index.js';
import * as policyFile from '../../src/policy-file/index.js';
import * as probe from '../../src/probe/index.js';
import * as storesFile from '../../src/stores/file/index.js';
import * as testing from '../../src/testing/index.js';
import * as transport from '../../src/transport/index.js';
import { ARG, ARGS, callBounded, isClass, methodsOf, mutations, unwrap } from './fuzz-harness.js';

// Every exported function of every entry point, found by enumerating the modules, is called with
// random and hostile arguments; so is every method of an instance built from valid arguments. Nothing
// may throw or reject but a ForcedTlsError whose toJSON() serializes, and every call has a deadline.

const ENTRY_POINTS = {
  'forced-tls': root,
  'forced-tls/nodemailer': transport,
  'forced-tls/probe': probe,
  'forced-tls/inbound': inbound,
  'forced-tls/testing': testing,
  'forced-tls/stores/file': storesFile,
  'forced-tls/policy-file': policyFile,
} as const satisfies Record<string, object>;

const SEED = 20_261_127;
const RUNS = 120;
const LIMIT_MS = 3000;
const dir = mkdtempSync(join(tmpdir(), 'forced-tls-fuzz-'));
const NOW = new Date('2026-11-27T00:00:00.000Z');
const ENTRY = {
  id: '0d5c5e43-8f0e-4a43-9c57-2b7f2f7c1e6a',
  direction: 'outbound',
  scope: 'domain',
  value: 'mandant.example',
  reason: 'Einwilligung liegt vor',
  approvedBy: 'StB Muster',
  createdAt: '2026-01-01T00:00:00.000Z',
} as const;
const refuse = async () => {
  throw testing.dnsError('ENOTFOUND', 'queryMx', 'fuzz.invalid');
};
// DNS that answers nothing and a connect hook to a closed loopback port: no call can leave the machine.
const OFFLINE = { resolveMx: refuse, resolve4: refuse, resolve6: refuse };
const CLOSED = () => ({ host: '127.0.0.1', port: 9 });
const QUICK = { connect: 500, greeting: 500, tls: 500, reply: 500 };

const policy = root.createPolicy({
  outbound: {
    default: 'encrypt',
    rules: [{ match: '*.versicherung.example', level: 'verify', whitelistable: false }],
  },
  inbound: { rules: [{ match: 'bank.example', level: 'encrypt' }] },
});
const prober = probe.createProber({ resolver: OFFLINE, connect: CLOSED, ehloName: 'mail.kanzlei.example' });

/**
 * Exports that would reach a live host with valid arguments: called with bad arguments only.
 * - probeDomain: a real domain with the default resolver queries the system DNS and connects to the
 *   domain's MX on the internet. Its first argument is never a valid domain here (so it fails in
 *   normalization); its options are fuzzed through createProber, which shares them.
 */
const BAD_ARGUMENTS_ONLY: Readonly<Record<string, fc.Arbitrary<unknown[]>>> = {
  probeDomain: fc.tuple(
    fc.oneof(
      ARG.filter((v) => typeof v !== 'string'),
      fc.string().map((s) => `${s} not a domain`),
    ),
    ARG,
  ),
};

/** Valid arguments per export; the fuzz also replaces one argument or field of them at a time. */
function samples(): Readonly<Record<string, readonly unknown[]>> {
  const decision = policy.outbound('a@x.versicherung.example');
  const policyFile = join(dir, 'policy.json');
  writeFileSync(policyFile, '{"outbound":{"default":"may"}}');
  return {
    ForcedTlsError: ['EPOLICY', 'message', { path: 'a', value: 1, transient: false }],
    userMessage: ['ENOSTARTTLS', 'de', 'mandant.example'],
    whitelistHint: ['en', 'mandant.example'],
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
    isEntryActive: [{ ...ENTRY, expiresAt: '2027-01-01T00:00:00.000Z' }, NOW],
    retrySchedule: [{ firstFailedAt: NOW, now: new Date(NOW.getTime() + 600_000), maximalBackoffTime: 4000 }],
    enforcedRequirement: [
      { level: 'encrypt', minVersion: 'TLSv1.2', fingerprints: [] },
      { requireTls: true },
    ],
    evaluateInbound: [policy.inbound('a@bank.example'), { protocol: 'TLSv1.3' }],
    explainDecision: [{ ...decision }],
    tlsShortfall: [
      { protocol: 'TLSv1.3', certificateVerified: true, fingerprint256: 'AB' },
      { level: 'verify', minVersion: 'TLSv1.2', fingerprints: [] },
    ],
    normalizeDomain: ['Müller.example', { allowSingleLabel: true }],
    normalizePattern: ['*.mandant.example', 'subdomains'],
    createWhitelist: [new root.MemoryWhitelistStore(), { clock: () => NOW }],
    FileWhitelistStore: [
      { path: join(dir, 'constructed.json'), lockTimeoutMs: 100, maxFileBytes: 1_000_000 },
    ],
    MemoryWhitelistStore: [[{ ...ENTRY }]],
    readWhitelistSource: [root.createWhitelistIndex([])],
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
    startTestMx: [{ name: 'mx.mandant.test', requireTls: true, auth: ['PLAIN'], stallAt: 'data' }],
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
  };
}

/** Runs per export where the default would be slow: each valid call generates an RSA key or starts a server. */
const RUNS_OF: Readonly<Record<string, number>> = {
  createTestCa: 8,
  startTestMx: 30,
  createSelfSignedCertificate: 40,
};
/** Thrown values that are an export's documented answer, not a failure. */
const ALLOWED: Readonly<Record<string, (thrown: unknown) => boolean>> = {
  // Its purpose: an AssertionError listing the mismatches of a well-formed table.
  assertDecisions: (thrown) => thrown instanceof AssertionError,
};

const counts = new Map<string, number>();
let calls = 0;
const opened: { close(): unknown }[] = [];

function closeLater(value: unknown): void {
  const close = (value as { close?: unknown } | null)?.close;
  if (typeof value === 'object' && value !== null && typeof close === 'function')
    opened.push(value as { close(): unknown });
}

async function fuzzFunction(
  label: string,
  name: string,
  fn: (...a: unknown[]) => unknown,
  sample: readonly unknown[] | undefined,
) {
  const construct = isClass(fn);
  const args = BAD_ARGUMENTS_ONLY[name] ?? (sample === undefined ? ARGS : fc.oneof(ARGS, mutations(sample)));
  const before = calls;
  await fc.assert(
    fc.asyncProperty(args, async (list) => {
      calls++;
      const outcome = await callBounded(label, fn, undefined, unwrap(list) as unknown[], {
        limitMs: LIMIT_MS,
        construct,
        ...(ALLOWED[name] ? { allow: ALLOWED[name] } : {}),
      });
      // Servers and transports built by a valid call are closed at the end.
      if (
        'returned' in outcome &&
        ['startTestMx', 'createDirectTransport', 'createRelayTransport', 'forceTls'].includes(name)
      ) {
        closeLater(outcome.returned);
      }
    }),
    { seed: SEED, numRuns: RUNS_OF[name] ?? RUNS, endOnFailure: true },
  );
  if (sample !== undefined && BAD_ARGUMENTS_ONLY[name] === undefined) {
    // The valid call itself must work.
    calls++;
    const outcome = await callBounded(`${label} (sample)`, fn, undefined, sample, {
      limitMs: LIMIT_MS,
      construct,
      ...(ALLOWED[name] ? { allow: ALLOWED[name] } : {}),
    });
    if ('returned' in outcome) closeLater(outcome.returned);
  }
  counts.set(label, calls - before);
}

// The test network's resolver and connect hook answer like node:dns: a failed lookup rejects with
// an Error carrying a node:dns code (made by dnsError), which is what a Resolver must do.
const dnsShaped = (thrown: unknown) =>
  thrown instanceof Error && typeof (thrown as { code?: unknown }).code === 'string' && 'syscall' in thrown;
const ALLOWED_METHODS: Readonly<Record<string, (thrown: unknown) => boolean>> = {
  'TestNetwork.connect': dnsShaped,
  'TestNetwork.resolver.resolveMx': dnsShaped,
  'TestNetwork.resolver.resolve4': dnsShaped,
  'TestNetwork.resolver.resolve6': dnsShaped,
};

async function fuzzMethods(label: string, instance: object, skip: readonly string[] = []) {
  const names = methodsOf(instance).filter((n) => !skip.includes(n));
  expect(names.length, `${label} has methods`).toBeGreaterThan(0);
  for (const name of names) {
    const method = (instance as Record<string, (...a: unknown[]) => unknown>)[name] as (
      ...a: unknown[]
    ) => unknown;
    const before = calls;
    await fc.assert(
      fc.asyncProperty(ARGS, async (list) => {
        calls++;
        const allow = ALLOWED_METHODS[`${label}.${name}`];
        await callBounded(`${label}.${name}`, method, instance, unwrap(list) as unknown[], {
          limitMs: LIMIT_MS,
          ...(allow ? { allow } : {}),
        });
      }),
      { seed: SEED, numRuns: 60, endOnFailure: true },
    );
    counts.set(`${label}.${name}`, calls - before);
  }
}

let valid: Readonly<Record<string, readonly unknown[]>>;
beforeAll(() => {
  valid = samples();
});
afterAll(async () => {
  for (const item of opened) await item.close();
  rmSync(dir, { recursive: true, force: true });
  const total = [...counts.values()].reduce((a, b) => a + b, 0);
  console.log(`fuzz: ${total} calls of ${counts.size} functions and methods`);
});

describe('every export takes any argument: a result or a ForcedTlsError, in bounded time (issue 9, point 8)', () => {
  for (const [entry, module] of Object.entries(ENTRY_POINTS)) {
    it(`${entry}: every exported function`, async () => {
      const functions = Object.entries(module).filter(([, v]) => typeof v === 'function');
      expect(functions.length).toBeGreaterThan(0);
      for (const [name, fn] of functions) await fuzzFunction(`${entry}#${name}`, name, fn, valid[name]);
    }, 120_000);
  }

  it('every method of the objects the exports return or are', async () => {
    const store = new storesFile.FileWhitelistStore({ path: join(dir, 'methods.json'), lockTimeoutMs: 200 });
    const mx = await testing.startTestMx({ name: 'mx.fuzz.test' });
    const network = testing.createTestNetwork({ hosts: { 'mx.fuzz.test': mx } });
    const direct = transport.createDirectTransport(valid['createDirectTransport']?.[0] as never);
    const relay = transport.createRelayTransport(valid['createRelayTransport']?.[0] as never);
    // nodemailer calls send() with its MailMessage; reportAttempt is internal; EventEmitter's are Node's.
    const transportSkip = ['send', 'reportAttempt'];
    const instances: [string, object, string[]?][] = [
      ['Policy', policy],
      ['Decision', policy.outbound('a@mandant.example')],
      ['Whitelist', root.createWhitelist(new root.MemoryWhitelistStore())],
      ['MemoryWhitelistStore', new root.MemoryWhitelistStore()],
      ['FileWhitelistStore', store],
      ['WhitelistIndex', root.createWhitelistIndex([{ ...ENTRY }])],
      ['ForcedTlsError', new root.ForcedTlsError('EPOLICY', 'x', { value: 1n })],
      ['Prober', prober],
      ['InboundGuard', inbound.createInboundGuard({ policy })],
      ['TestCa', testing.defaultTestCa()],
      // close() ends them for the other calls: called once, below.
      ['TestMx', mx, ['close']],
      ['TestNetwork', network, ['close']],
      ['TestNetwork.resolver', network.resolver],
      ['DirectTransport', direct, transportSkip],
      ['RelayTransport', relay, transportSkip],
    ];
    // Exported objects (EMPTY_WHITELIST, …) with methods of their own.
    for (const [entry, module] of Object.entries(ENTRY_POINTS)) {
      for (const [name, value] of Object.entries(module)) {
        if (typeof value === 'object' && value !== null && methodsOf(value).length > 0)
          instances.push([`${entry}#${name}`, value]);
      }
    }
    for (const [label, instance, skip] of instances) await fuzzMethods(label, instance, skip);
    const check = transport.createProbeCheck(prober);
    await fuzzFunction('createProbeCheck()', 'check', check as never, [
      'mandant.example',
      { level: 'encrypt', minVersion: 'TLSv1.2', fingerprints: [] },
    ]);
    direct.close();
    relay.close();
    await network.close();
  }, 120_000);

  it('ran every export and enough calls', () => {
    for (const [entry, module] of Object.entries(ENTRY_POINTS)) {
      for (const [name, value] of Object.entries(module)) {
        if (typeof value === 'function')
          expect(counts.get(`${entry}#${name}`), `${entry}#${name}`).toBeGreaterThan(0);
      }
    }
    const total = [...counts.values()].reduce((a, b) => a + b, 0);
    expect(calls).toBe(total);
    expect(total).toBeGreaterThan(8000);
  });
});
