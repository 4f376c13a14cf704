/**
 * MTA-STS policies of recipient domains: discovery, the policy cache in a file, and what a sender
 * checks per MX host. `mandant-gmbh.test` publishes an enforce policy on a loopback HTTPS policy host
 * behind a test DNS; then its policy host goes down, and a new process reads the cache file. Run with
 * `npx tsx examples/mta-sts.ts`; it exits by itself and nothing leaves 127.0.0.1.
 */

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMtaStsResolver, FileMtaStsCacheStore, mxMatches } from 'forced-tls/mta-sts';
import { createTestNetwork, startTestPolicyHost } from 'forced-tls/testing';

const policyHost = await startTestPolicyHost({
  policies: {
    'mandant-gmbh.test': 'version: STSv1\nmode: enforce\nmx: *.mx.mandant-gmbh.test\nmax_age: 604800\n',
  },
});
const network = createTestNetwork({
  domains: { '_mta-sts.mandant-gmbh.test': { txt: ['v=STSv1; id=20260115'] } },
  hosts: { 'mta-sts.mandant-gmbh.test': policyHost },
});
const dir = await mkdtemp(join(tmpdir(), 'forced-tls-example-'));
const cacheFile = join(dir, 'mta-sts.json');

function resolver() {
  return createMtaStsResolver({
    store: new FileMtaStsCacheStore(cacheFile), // survives restarts
    resolver: network.resolver, // only for the example: production uses the system DNS
    connect: network.connect,
    ca: policyHost.ca.cert, // the example's test CA, added to Node's root store
  });
}

const mtaSts = resolver();
const first = await mtaSts.resolve('mandant-gmbh.test');
console.log(`mandant-gmbh.test: ${first.source}, mode ${first.mode}, id ${first.id}, mx ${first.policy?.mx}`);
for (const mx of ['a.mx.mandant-gmbh.test', 'a.b.mx.mandant-gmbh.test', 'mx.evil.test']) {
  console.log(
    `  MX ${mx}: ${mxMatches(mx, first.policy?.mx ?? []) ? 'allowed' : 'not allowed (EMTASTS under enforce)'}`,
  );
}
await mtaSts.close();

// The policy host goes down and the process restarts: the cached enforce policy still applies.
network.setHost('mta-sts.mandant-gmbh.test', 'refused');
const restarted = resolver();
const cached = await restarted.resolve('mandant-gmbh.test');
console.log(`after a restart: ${cached.source} (${cached.ageSeconds} s old), mode ${cached.mode}`);
const again = await restarted.recheck('mandant-gmbh.test');
console.log(`recheck before refusing: ${again.source}, changed ${again.changed}, id ${again.id}`);

console.log(
  `sub.mandant-gmbh.test: ${(await restarted.resolve('sub.mandant-gmbh.test')).source} (never the parent's)`,
);
await restarted.close();
await policyHost.close();
await rm(dir, { recursive: true, force: true });
