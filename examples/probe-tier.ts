/**
 * The TLS check of a recipient domain with MTA-STS, the BSI TR-02102-2 profile and the tier per MX
 * host. `mandant-gmbh.test` publishes an enforce policy for two MX hosts: the first is within the
 * profile (TLS 1.2, ECDHE-RSA-AES128-GCM, RSA-3072), the second has an RSA-2048 key; a third MX is
 * not in the policy. Run with `npx tsx examples/probe-tier.ts`; it exits by itself and nothing leaves
 * 127.0.0.1.
 */

import { checkDomainLevel, createProber } from 'forced-tls/probe';
import { createTestNetwork, defaultTestCa, startTestMx, startTestPolicyHost } from 'forced-tls/testing';

const strong = defaultTestCa().issue({ names: ['mx1.mandant-gmbh.test'], keyBits: 3072 });
const mx1 = await startTestMx({
  name: 'mx1.mandant-gmbh.test',
  tls: { ...strong, maxVersion: 'TLSv1.2', ciphers: 'ECDHE-RSA-AES128-GCM-SHA256' },
});
const mx2 = await startTestMx({ name: 'mx2.mandant-gmbh.test' });
const rogue = await startTestMx({ name: 'mx.elsewhere.test' });
const policyHost = await startTestPolicyHost({
  policies: {
    'mandant-gmbh.test':
      'version: STSv1\nmode: enforce\nmx: mx1.mandant-gmbh.test\nmx: mx2.mandant-gmbh.test\nmax_age: 604800\n',
  },
});
const network = createTestNetwork({
  domains: {
    'mandant-gmbh.test': { mx: ['mx1.mandant-gmbh.test', 'mx2.mandant-gmbh.test', 'mx.elsewhere.test'] },
    '_mta-sts.mandant-gmbh.test': { txt: ['v=STSv1; id=20270101'] },
  },
  hosts: {
    'mx1.mandant-gmbh.test': mx1,
    'mx2.mandant-gmbh.test': mx2,
    'mx.elsewhere.test': rogue,
    'mta-sts.mandant-gmbh.test': policyHost,
  },
});

// Only for the example: production uses the system DNS and port 25.
const prober = createProber({
  resolver: network.resolver,
  connect: network.connect,
  ca: network.ca.cert,
  ehloName: 'mail.kanzlei.test',
});
const result = await prober.probe('mandant-gmbh.test');
const sts = result.mtaSts;
console.log(
  `MTA-STS: ${sts?.mode} (${sts?.source}), id ${sts?.id}, max_age ${sts?.maxAge}, mx ${sts?.mx?.join(', ')}`,
);
for (const host of result.hosts) {
  const bsi = host.bsi;
  const profile = bsi?.within ? 'within' : bsi?.shortfalls.map((s) => `${s.aspect} ${s.value}`).join(', ');
  console.log(`${host.host}: ${host.tier?.tier} (${host.tier?.authentication})`);
  console.log(
    `  ${bsi?.protocol} ${bsi?.cipher} ${bsi?.group ?? ''} ${bsi?.keyType} ${bsi?.keyBits} bits; BSI: ${profile}`,
  );
  if (host.refused) console.log(`  a sender must skip it: ${host.refused.code} (${host.refused.message})`);
}
console.log(`best tier a sender can count on: ${result.tier?.tier}, decided by ${result.tier?.weakest}`);
for (const reason of result.tier?.reasons ?? []) console.log(`  ${reason.host ?? ''}: ${reason.text}`);

const check = await checkDomainLevel(prober, 'mandant-gmbh.test', 'qualified');
console.log(`level qualified: ${check.ok ? 'ok' : `${check.code} ${check.reason} (${check.detail})`}`);
await network.close();
await policyHost.close();
