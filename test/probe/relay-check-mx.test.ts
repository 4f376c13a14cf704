import { afterEach, describe, expect, it } from 'vitest';
import { createPolicy } from '../../src/policy/index.js';
import { createProber } from '../../src/probe/index.js';
import {
  createTestNetwork,
  startTestMx,
  startTestPolicyHost,
  type TestPolicyHost,
} from '../../src/testing/index.js';
import { createProbeCheck } from '../../src/transport/index.js';
import { policyText } from '../mta-sts/helpers.js';
import { relayFixtures } from '../support/relay-harness.js';
import { sensitiveInPlaintext } from '../support/transport-harness.js';
import { expectProbeOnly, optionsFor, strongCertificate } from './helpers.js';

// Relay mode's check-mx built on the prober (createProbeCheck → checkDomainLevel) enforces what the
// recipient publishes and the qualified tier before anything reaches the relay, which logs every line.

const fixtures = relayFixtures();
let policyHost: TestPolicyHost | undefined;
afterEach(async () => {
  await fixtures.cleanup();
  await policyHost?.close();
  policyHost = undefined;
});

const policy = createPolicy({
  outbound: {
    default: 'encrypt',
    rules: [
      { match: 'qualifiziert.test', level: 'qualified' },
      { match: 'nur-pkix.test', level: 'qualified' },
    ],
  },
});

describe('relay mode: check-mx enforces MTA-STS and qualified through the prober', () => {
  it('refuses an MX an enforce policy does not list and a host below qualified; delivers the qualified one', async () => {
    const tls12Gcm = { ...strongCertificate('mx.qualifiziert.test'), maxVersion: 'TLSv1.2' } as const;
    const hosts = {
      'mx.other.test': await startTestMx({ name: 'mx.other.test' }),
      'mx.qualifiziert.test': await startTestMx({
        name: 'mx.qualifiziert.test',
        tls: { ...tls12Gcm, ciphers: 'ECDHE-RSA-AES128-GCM-SHA256' },
      }),
      'mx.nur-pkix.test': await startTestMx({ name: 'mx.nur-pkix.test' }),
    };
    fixtures.servers.push(...Object.values(hosts));
    policyHost = await startTestPolicyHost({
      policies: {
        'mandant.test': policyText('enforce', ['mx.mandant.test']),
        'qualifiziert.test': policyText('enforce', ['mx.qualifiziert.test']),
      },
    });
    const network = createTestNetwork({
      domains: {
        'mandant.test': { mx: ['mx.other.test'] },
        '_mta-sts.mandant.test': { txt: ['v=STSv1; id=1'] },
        'qualifiziert.test': { mx: ['mx.qualifiziert.test'] },
        '_mta-sts.qualifiziert.test': { txt: ['v=STSv1; id=1'] },
        'nur-pkix.test': { mx: ['mx.nur-pkix.test'] },
      },
      hosts: {
        ...hosts,
        'mta-sts.mandant.test': policyHost,
        'mta-sts.qualifiziert.test': policyHost,
      },
    });
    const prober = createProber(optionsFor(network));
    const { mx: relay, send } = await fixtures.relay(
      {},
      { policy, recipientProtection: 'check-mx', checkRecipient: createProbeCheck(prober) },
    );
    const info = await send(['a@mandant.test', 'b@qualifiziert.test', 'c@nur-pkix.test']);

    expect(info.accepted).toEqual(['b@qualifiziert.test']);
    const [mandant, , pkix] = info.tls.recipients;
    expect(mandant?.failure).toMatchObject({
      code: 'ERECIPIENTTLS',
      phase: 'relay-check',
      mx: 'mx.other.test',
    });
    expect(mandant?.failure?.message).toMatch(
      /EMTASTS mandant\.test: mta_sts_refused \(MTA-STS enforce: mx_mismatch for mx\.other\.test\)/,
    );
    expect(pkix?.failure).toMatchObject({ code: 'ERECIPIENTTLS', mx: 'mx.nur-pkix.test' });
    expect(pkix?.failure?.message).toMatch(
      /ENOTQUALIFIED nur-pkix\.test: not_qualified \(mx\.nur-pkix\.test: .*not_authenticated/,
    );
    // The relay received one envelope with only the qualified recipient, all of it after TLS.
    expect(relay.messages.map((m) => m.to)).toEqual([['b@qualifiziert.test']]);
    expect(sensitiveInPlaintext(relay)).toEqual([]);
    for (const mx of Object.values(hosts)) expectProbeOnly(mx);
  });
});
