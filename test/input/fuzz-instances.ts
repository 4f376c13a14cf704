import { join } from 'node:path';
import * as dnssec from '../../src/dnssec/index.js';
import * as inbound from '../../src/inbound/index.js';
import * as root from '../../src/index.js';
import * as mtaSts from '../../src/mta-sts/index.js';
import * as postfix from '../../src/postfix/index.js';
import * as storesFile from '../../src/stores/file/index.js';
import * as postgres from '../../src/stores/postgres/index.js';
import * as testing from '../../src/testing/index.js';
import * as transport from '../../src/transport/index.js';
import { dir, ENTRY, index, NOW, policy, prober, requirement } from './fuzz-context.js';
import type { Samples } from './fuzz-samples.js';
import { DNSSEC_OPTIONS, FETCH_OPTIONS } from './fuzz-samples-dns.js';
import { POSTGRES_OPTIONS } from './fuzz-samples-postfix.js';

/** An object whose methods are fuzzed, and the methods left out. */
export type Instance = readonly [label: string, instance: object, skip?: readonly string[]];

const MTA_STS_ENTRY = {
  domain: 'mandant.test',
  id: '20260115T093000',
  policy: { version: 'STSv1', mode: 'enforce', maxAge: 86_400, mx: ['*.mandant.test'], lines: [] },
  fetchedAt: '2026-11-26T00:00:00.000Z',
  checkedAt: '2026-11-26T00:00:00.000Z',
  expiresAt: '2026-11-27T00:00:00.000Z',
};
const WHITELIST_INPUT = {
  direction: 'outbound',
  scope: 'domain',
  value: 'mandant.example',
  reason: 'Einwilligung liegt vor',
  approvedBy: 'StB Muster',
  consentRef: 'E-2026-17',
  expiresAt: '2027-01-01T00:00:00.000Z',
};

/**
 * Valid arguments of methods whose arguments are nested data, by `<instance>.<method>`: they also
 * get that sample with one place replaced, so the checks past the first are reached.
 */
export const METHOD_SAMPLES: Readonly<Record<string, readonly unknown[]>> = {
  'Policy.outbound': ['Vorstand@Bank.example', { now: NOW, whitelist: index }],
  'Whitelist.add': [WHITELIST_INPUT, 'StB Muster'],
  'Whitelist.audit': [{ since: NOW, afterSeq: 0, limit: 10 }],
  'Whitelist.list': [{ includeExpired: true }],
  'MemoryWhitelistStore.add': [{ ...ENTRY }, { actor: 'StB Muster', at: NOW.toISOString() }],
  'MemoryWhitelistStore.audit': [{ since: NOW.toISOString(), afterSeq: 0, limit: 10 }],
  'FileWhitelistStore.add': [{ ...ENTRY }],
  'MemoryMtaStsCacheStore.set': [MTA_STS_ENTRY],
  'FileMtaStsCacheStore.set': [MTA_STS_ENTRY],
  'TestPolicyHost.setPolicy': [
    'mandant.test',
    { body: 'version: STSv1\n', status: 200, headers: { a: 'b' } },
  ],
  'TestNetwork.setDomain': ['mandant.test', { mx: ['mx.mandant.test'] }],
  'DnssecResolver.tlsa': ['mx.mandant.test', 25, { signal: AbortSignal.abort() }],
  'NetstringDecoder.push': [Buffer.from('3:abc,')],
  'PolicyRequestReader.push': [Buffer.from('request=smtpd_access_policy\n\n')],
  'TlsPolicyTable.lookup': ['[10.0.0.5]:25'],
  'TransportTable.lookup': ['vorstand@bank.example'],
  'PostgresWhitelistStore.add': [{ ...ENTRY }, { actor: 'StB Muster', at: NOW.toISOString() }],
  'PostgresWhitelistStore.audit': [{ since: NOW.toISOString(), afterSeq: 0, limit: 10 }],
};

/** A function an export returned, with valid arguments. */
export type Returned = readonly [
  label: string,
  fn: (...args: unknown[]) => unknown,
  sample: readonly unknown[],
];

/** The objects and functions the exports return, built from valid arguments; `close` ends them. */
export interface Built {
  readonly instances: readonly Instance[];
  readonly returned: readonly Returned[];
  close(): Promise<void>;
}

const REQUEST = new Map([
  ['request', 'smtpd_access_policy'],
  ['protocol_state', 'RCPT'],
  ['sender', 'a@bank.example'],
  ['encryption_protocol', ''],
]);

export async function buildInstances(valid: Samples): Promise<Built> {
  const store = new storesFile.FileWhitelistStore({ path: join(dir, 'methods.json'), lockTimeoutMs: 200 });
  const mx = await testing.startTestMx({ name: 'mx.fuzz.test' });
  const policyHost = await testing.startTestPolicyHost({ policies: { 'mandant.test': 'version: STSv1\n' } });
  const network = testing.createTestNetwork({ hosts: { 'mx.fuzz.test': mx } });
  const direct = transport.createDirectTransport(valid['createDirectTransport']?.[0] as never);
  const relay = transport.createRelayTransport(valid['createRelayTransport']?.[0] as never);
  const resolver = mtaSts.createMtaStsResolver({ ...FETCH_OPTIONS });
  const fileCache = new mtaSts.FileMtaStsCacheStore({
    path: join(dir, 'methods-mta-sts.json'),
    lockTimeoutMs: 200,
  });
  const pg = postgres.createPostgresWhitelistStore({ ...POSTGRES_OPTIONS });
  const socketmap = postfix.createSocketmapServer({
    maps: { forcedtls: postfix.createTlsPolicyTable({ policy }) },
  });
  const delegation = postfix.createPolicyDelegationServer({ policy });
  // Listening on loopback already: `listen` with arguments that pass its checks is refused, never binds.
  await socketmap.listen({ host: '127.0.0.1', port: 0 });
  await delegation.listen({ host: '127.0.0.1', port: 0 });
  // nodemailer calls send() with its MailMessage; reportAttempt is internal; EventEmitter's are Node's.
  const transportSkip = ['send', 'reportAttempt'];
  const instances: Instance[] = [
    ['Policy', policy],
    ['Decision', policy.outbound('a@mandant.example')],
    ['DomainDecision', root.decideDomain(policy, 'mandant.example')],
    ['Whitelist', root.createWhitelist(new root.MemoryWhitelistStore())],
    ['MemoryWhitelistStore', new root.MemoryWhitelistStore()],
    ['FileWhitelistStore', store],
    ['WhitelistIndex', root.createWhitelistIndex([{ ...ENTRY }])],
    ['ForcedTlsError', new root.ForcedTlsError('EPOLICY', 'x', { value: 1n })],
    ['Prober', prober],
    ['InboundGuard', inbound.createInboundGuard({ policy })],
    ['TestCa', testing.defaultTestCa()],
    // close() ends them for the other calls: called once, at the end.
    ['TestMx', mx, ['close']],
    ['TestPolicyHost', policyHost, ['close']],
    ['TestNetwork', network, ['close']],
    ['TestNetwork.resolver', network.resolver],
    ['DirectTransport', direct, transportSkip],
    ['RelayTransport', relay, transportSkip],
    ['MtaStsResolver', resolver, ['close']],
    ['MemoryMtaStsCacheStore', new mtaSts.MemoryMtaStsCacheStore()],
    ['FileMtaStsCacheStore', fileCache],
    ['DnssecResolver', dnssec.createDnssecResolver({ ...DNSSEC_OPTIONS })],
    ['NetstringDecoder', new postfix.NetstringDecoder(4096)],
    ['PolicyRequestReader', new postfix.PolicyRequestReader()],
    ['TlsPolicyTable', postfix.createTlsPolicyTable({ policy, whitelist: index, clock: () => NOW })],
    ['TransportTable', postfix.createTransportTable({ policy, whitelist: index, clock: () => NOW })],
    ['SocketmapServer', socketmap, ['close']],
    ['PolicyDelegationServer', delegation, ['close']],
    ['PostgresWhitelistStore', pg, ['close']],
  ];
  const returned: Returned[] = [
    [
      'createProbeCheck()',
      transport.createProbeCheck(prober) as never,
      ['mandant.example', { ...requirement, level: 'encrypt' }],
    ],
    ['createInboundPolicy()', postfix.createInboundPolicy({ policy }) as never, [REQUEST]],
  ];
  return {
    instances,
    returned,
    async close() {
      direct.close();
      relay.close();
      await Promise.all([
        network.close(),
        policyHost.close(),
        resolver.close(),
        fileCache.close(),
        pg.close(),
        socketmap.close(),
        delegation.close(),
      ]);
    },
  };
}
