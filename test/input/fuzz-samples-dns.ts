import { join } from 'node:path';
import * as dane from '../../src/dane/index.js';
import * as dnssec from '../../src/dnssec/index.js';
import * as mtaSts from '../../src/mta-sts/index.js';
import * as testing from '../../src/testing/index.js';
import { CLOSED, CLOSED_PORT, dir, NOW, OFFLINE, type TlsPeer } from './fuzz-context.js';

// forced-tls/mta-sts, forced-tls/dane and forced-tls/dnssec. The DNSSEC resolver asks a closed
// loopback port with short limits; MTA-STS lookups go to OFFLINE and the closed port.

const answer = <T>(type: string, records: readonly T[]) => ({
  name: 'mandant.test',
  type,
  status: 'secure' as const,
  kind: 'records' as const,
  records,
  ttl: 60,
  cached: false,
});

/** DNSSEC resolver options that end every lookup within 300 ms, asking a closed loopback port. */
export const DNSSEC_OPTIONS = {
  servers: [`127.0.0.1:${CLOSED_PORT}`],
  timeoutMs: 100,
  tries: 1,
  deadlineMs: 300,
  udpPayloadSize: 1232,
  cache: { max: 10, maxTtl: 60 },
  clock: () => NOW,
} as const;

/** Fetch options that reach nothing: OFFLINE DNS, the closed port, 500 ms limits. */
export const FETCH_OPTIONS = {
  resolver: OFFLINE,
  connect: CLOSED,
  ca: testing.defaultTestCa().cert,
  fetchTimeoutMs: 500,
  dnsTimeoutMs: 500,
  clock: () => NOW,
} as const;

export function dnsSamples(peer: TlsPeer): Readonly<Record<string, readonly unknown[]>> {
  const { leaf } = peer;
  const record = dane.createTlsaRecord(leaf, 3, 1, 1);
  const mx = answer('MX', [{ exchange: 'mx.mandant.test', priority: 10 }]);
  const lookups = { mx, addresses: [answer('A', ['127.0.0.1'])], tlsa: answer('TLSA', [record]) };
  const required = dane.daneRequirement(lookups);
  const names = ['mandant.test', 'mx.mandant.test'];
  return {
    // forced-tls/mta-sts
    FileMtaStsCacheStore: [
      { path: join(dir, 'mta-sts.json'), lockTimeoutMs: 100, staleLockMs: 1000, mode: 0o600 },
    ],
    MemoryMtaStsCacheStore: [],
    checkPolicyHostIdentity: ['mta-sts.mandant.test', peer.peer],
    createMtaStsResolver: [
      {
        ...FETCH_OPTIONS,
        store: new mtaSts.MemoryMtaStsCacheStore(),
        refreshIntervalMs: 1000,
        retryAfterFailureMs: 1000,
        onRefreshError: () => undefined,
      },
    ],
    discoverMtaSts: [OFFLINE, 'mandant.test', { timeoutMs: 500 }],
    fetchMtaStsPolicy: ['mandant.test', { ...FETCH_OPTIONS }],
    lookupMtaSts: ['mandant.test', { ...FETCH_OPTIONS }],
    isMxPattern: ['*.mandant.test'],
    describeCacheEntryProblem: [{ path: 'policy.mode', why: 'must be enforce, testing or none' }],
    findCacheEntryProblem: [
      {
        domain: 'mandant.test',
        id: '1',
        policy: { version: 'STSv1', mode: 'enforce', maxAge: 86400, mx: ['mx.mandant.test'], lines: [] },
        fetchedAt: '2026-11-27T00:00:00.000Z',
        checkedAt: '2026-11-27T00:00:00.000Z',
        expiresAt: '2026-11-28T00:00:00.000Z',
      },
    ],
    matchingMxPattern: ['a.mx.mandant.test', ['mx1.mandant.test', '*.mx.mandant.test']],
    mxMatches: ['mail.mandant.test', ['*.mandant.test']],
    mtaStsFailure: ['http_status', 'policy host answered 404', NOW, { httpStatus: 404 }],
    parseMtaStsPolicy: ['version: STSv1\r\nmode: enforce\r\nmx: *.mandant.test\r\nmax_age: 86400\r\n'],
    parseMtaStsTxt: ['v=STSv1; id=20260115T093000'],
    // forced-tls/dane
    checkDaneSession: [required, { chain: [leaf], names, now: new Date() }],
    createTlsaRecord: [leaf, 3, 1, 1],
    daneRequirement: [lookups, { level: 'dane', insecureMx: 'may' }],
    formatTlsa: [record],
    isUsableTlsa: [record],
    matchTlsa: [[leaf], [record], { names, now: new Date() }],
    peerCertificateChain: [peer.socket],
    selectedBytes: [leaf, 1],
    tlsaAssociationData: [leaf, 1, 1],
    tlsaLookupNeeded: [lookups, { insecureMx: 'dane' }],
    tlsaUsability: [record],
    // forced-tls/dnssec
    createDnssecResolver: [{ ...DNSSEC_OPTIONS }],
    lookupDaneHost: [
      dnssec.createDnssecResolver({ ...DNSSEC_OPTIONS }),
      { ...mx, status: 'insecure' },
      'mx.mandant.test',
      { addressTypes: ['A'], port: 25, insecureMx: 'may', level: 'dane' },
    ],
    normalizeDnsName: ['MX1.Mandant.test.'],
  };
}
