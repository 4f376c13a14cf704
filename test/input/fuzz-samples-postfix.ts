import * as postfix from '../../src/postfix/index.js';
import { CLOSED_PORT, index, NOW, policy, requirement } from './fuzz-context.js';

// forced-tls/postfix and forced-tls/stores/postgres. Servers are created but not started here (the
// method fuzz starts them on 127.0.0.1:0); the PostgreSQL store points at a closed loopback port.

const QUEUE_LINE = JSON.stringify({
  queue_name: 'deferred',
  queue_id: '4BkPvT0hRnz3x',
  arrival_time: 1_790_000_000,
  message_size: 1234,
  sender: 'kanzlei@kanzlei.example',
  recipients: [
    {
      address: 'a@mandant.example',
      delay_reason: 'TLS is required, but was not offered by host mx.mandant.example[192.0.2.1]',
    },
  ],
});

/** A PostgreSQL store that never reaches a server: a closed loopback port, 200 ms per operation. */
export const POSTGRES_OPTIONS = {
  connectionString: `postgres://fuzz@127.0.0.1:${CLOSED_PORT}/fuzz`,
  maxConnections: 2,
  schema: 'forced_tls',
  table: 'whitelist',
  autoMigrate: false,
  maxStalenessMs: 1000,
  heartbeatMs: 50,
  operationTimeoutMs: 200,
  reconnectMinMs: 10,
  reconnectMaxMs: 50,
  clock: () => NOW,
  onEvent: () => undefined,
} as const;

export function postfixSamples(): Readonly<Record<string, readonly unknown[]>> {
  const table = postfix.createTlsPolicyTable({ policy });
  return {
    NetstringDecoder: [4096],
    PolicyRequestReader: [{ maxLineLength: 8192, maxAttributes: 100 }],
    createInboundPolicy: [
      { policy, whitelist: index, rejectAs: 'temporary', onDecision: () => undefined, clock: () => NOW },
    ],
    createPolicyDelegationServer: [
      {
        policy: () => policy,
        maxLineLength: 100,
        maxAttributes: 10,
        decisionTimeoutMs: 100,
        maxConnections: 2,
        allowRemote: false,
        onProtocolError: () => undefined,
      },
    ],
    createSocketmapServer: [
      {
        maps: { forcedtls: table },
        maxRequestLength: 100,
        lookupTimeoutMs: 100,
        maxPipelined: 2,
        maxConnections: 2,
        allowRemote: false,
        onLookup: () => undefined,
        onProtocolError: () => undefined,
        clock: () => NOW,
      },
    ],
    createTlsPolicyTable: [
      {
        policy,
        whitelist: index,
        nextHops: { '[10.0.0.5]:25': 'partner.example' },
        postfixVersion: '3.7',
        clock: () => NOW,
      },
    ],
    createTransportTable: [
      { policy, whitelist: index, nexthop: '[relay.example]:587', transportPrefix: 'ftls', clock: () => NOW },
    ],
    encodeNetstring: ['OK encrypt'],
    formatSocketmapReply: [{ status: 'TEMP', reason: 'try again' }],
    formatTlsPolicy: [postfix.tlsPolicyForRequirement(requirement), { major: 3, minor: 7 }],
    masterCfTransports: [policy, { transportPrefix: 'ftls', chroot: 'n', postfixVersion: '3.7' }],
    parseNextHop: ['[127.0.0.1]:2525'],
    parsePostfixVersion: ['3.7.11', 'postfixVersion'],
    parsePostqueueJson: [`${QUEUE_LINE}\n`],
    queuedTlsRefusals: [postfix.parsePostqueueJson(QUEUE_LINE), policy, index, NOW],
    readDelayReason: ['TLS is required, but was not offered by host mx.example.de[192.0.2.1]', 'encrypt'],
    routedRequirements: [policy],
    sameRequirement: [requirement, { ...requirement, fingerprints: [] }],
    tlsPolicyForRequirement: [requirement],
    transportName: [{ level: 'verify', minVersion: 'TLSv1.3', fingerprints: [] }, 'ftls'],
    // forced-tls/stores/postgres
    postfixMatchNames: [['mx1.mandant.test', '*.mx.mandant.test', 'hostname']],
    // forced-tls/stores/postgres
    createPostgresWhitelistStore: [{ ...POSTGRES_OPTIONS }],
    PostgresWhitelistStore: [{ ...POSTGRES_OPTIONS }],
    createPostgresMtaStsCacheStore: [
      {
        connectionString: POSTGRES_OPTIONS.connectionString,
        maxConnections: 2,
        schema: 'forced_tls',
        table: 'mta_sts_policies',
        autoMigrate: false,
        operationTimeoutMs: 200,
      },
    ],
  };
}
