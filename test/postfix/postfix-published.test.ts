// MTA-STS and DANE answers through a real Postfix 3.7. Postfix asks the library's socketmap TLS
// policy table, which looks up MTA-STS (TXT from the test network, the policy over HTTPS from the
// loopback policy host) and DNSSEC (nsd + unbound). Postfix itself routes every domain to a loopback
// test MX via transport_maps and makes no DNS lookups: it cannot be pointed at the test resolver
// (its resolver is the system's, on port 53), so DANE is enforced here only as far as the socketmap
// answer goes (TEMP, dane-only) — the DANE handshake itself is not Postfix's in these tests.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDnssecResolver } from '../../src/dnssec/index.js';
import { createMtaStsResolver } from '../../src/mta-sts/index.js';
import { createPolicy } from '../../src/policy/policy.js';
import { createWhitelistIndex } from '../../src/policy/whitelist-index.js';
import {
  createSocketmapServer,
  createTlsPolicyTable,
  type SocketmapLookupEvent,
  type SocketmapServer,
} from '../../src/postfix/index.js';
import {
  createTestNetwork,
  startTestMx,
  startTestPolicyHost,
  type TestMx,
  type TestPolicyHost,
} from '../../src/testing/index.js';
import { type DnssecStack, dnssecGate, startDnssecStack } from '../support/dnssec-stack.js';
import {
  type PrivatePostfix,
  postfixGate,
  type QueueEntry,
  startPrivatePostfix,
} from '../support/postfix.js';
import { waitUntil } from '../support/system-servers.js';

const dnssec = dnssecGate();
const SENDER = 'kanzlei@sender.test';
const TAIL = 'protocols=>=TLSv1.2 servername=hostname';

const policyText = (mx: string[]) =>
  `version: STSv1\nmode: enforce\n${mx.map((m) => `mx: ${m}\n`).join('')}max_age: 86400\n`;

function reasonOf(queue: QueueEntry[], address: string): string | undefined {
  for (const message of queue) {
    const r = message.recipients.find((x) => x.address === address);
    if (r !== undefined) return r.delay_reason;
  }
  return undefined;
}

describe.skipIf(!postfixGate.available || !dnssec.available)(
  'Postfix 3.7 with MTA-STS and DANE answers from the socketmap TLS policy table',
  () => {
    const mx: Record<string, TestMx> = {};
    const lookups: SocketmapLookupEvent[] = [];
    let stack: DnssecStack;
    let policyHost: TestPolicyHost;
    let server: SocketmapServer;
    let pfx: PrivatePostfix;

    beforeAll(async () => {
      // Each MX poses under the name its certificate carries; Postfix reaches it as [localhost]:PORT.
      const specs: Record<string, Parameters<typeof startTestMx>[0]> = {
        'sts.test': { name: 'mx.sts.test' },
        'unlisted.test': { name: 'mx.unlisted.test' },
        'wild.test': { name: 'b.a.wild.test' },
        'stswl.test': { name: 'mx.stswl.test', starttls: false },
        'bogus.pfx.test': { name: 'mx.bogus.pfx.test' },
        'dane.pfx.test': { name: 'mx.dane.pfx.test' },
        'part.pfx.test': { name: 'mx2.part.pfx.test', starttls: false },
      };
      for (const [domain, options] of Object.entries(specs)) mx[domain] = await startTestMx(options);
      const hop = (domain: string) => `[localhost]:${mx[domain]!.port}`;

      stack = await startDnssecStack([
        {
          name: 'pfx.test',
          signed: true,
          records: [
            { name: 'bogus', type: 'MX', value: '10 mx.bogus.pfx.test', tamper: true },
            { name: 'mx.bogus', type: 'A', value: '127.0.0.1' },
            { name: 'dane', type: 'MX', value: '10 mx.dane.pfx.test' },
            { name: 'mx.dane', type: 'A', value: '127.0.0.1' },
            { name: '_25._tcp.mx.dane', type: 'TLSA', value: `3 1 1 ${'ab'.repeat(32)}` },
            { name: 'part', type: 'MX', value: '10 mx1.part.pfx.test' },
            { name: 'part', type: 'MX', value: '20 mx2.part.pfx.test' },
            { name: 'mx1.part', type: 'A', value: '127.0.0.1' },
            { name: '_25._tcp.mx1.part', type: 'TLSA', value: `3 1 1 ${'ab'.repeat(32)}` },
            { name: 'mx2.part', type: 'A', value: '127.0.0.1' },
          ],
        },
      ]);
      policyHost = await startTestPolicyHost({
        policies: {
          'sts.test': policyText(['mx.sts.test']),
          'unlisted.test': policyText(['mx2.unlisted.test']),
          'wild.test': policyText(['*.wild.test']),
          'stswl.test': policyText(['mx.stswl.test']),
        },
      });
      const stsDomains = ['sts.test', 'unlisted.test', 'wild.test', 'stswl.test'];
      const network = createTestNetwork({
        domains: Object.fromEntries(stsDomains.map((d) => [`_mta-sts.${d}`, { txt: ['v=STSv1; id=1'] }])),
        hosts: Object.fromEntries(stsDomains.map((d) => [`mta-sts.${d}`, policyHost])),
      });
      const mtaSts = createMtaStsResolver({
        resolver: network.resolver,
        connect: network.connect,
        ca: policyHost.ca.cert,
      });
      const policy = createPolicy({
        outbound: { default: 'encrypt', rules: [{ match: 'part.pfx.test', level: 'may' }] },
      });
      const whitelist = createWhitelistIndex([
        {
          id: 'wl-stswl',
          direction: 'outbound',
          scope: 'domain',
          value: 'stswl.test',
          reason: 'Mandant wünscht unverschlüsselte Zustellung',
          approvedBy: 'StB Müller',
          createdAt: '2026-01-01T00:00:00.000Z',
        },
      ]);
      server = createSocketmapServer({
        maps: {
          forcedtls: createTlsPolicyTable({
            policy,
            whitelist,
            mtaSts,
            dnssec: createDnssecResolver({ servers: [stack.resolver] }),
            nextHops: Object.fromEntries(Object.keys(specs).map((d) => [hop(d), d])),
          }),
        },
        onLookup: (e) => lookups.push(e),
      });
      const bound = await server.listen({ host: '127.0.0.1', port: 0 });
      pfx = await startPrivatePostfix({
        socketmapPort: 'port' in bound ? bound.port : 0,
        transportMap: false,
        routes: Object.fromEntries(Object.keys(specs).map((d) => [d, `smtp:${hop(d)}`])),
        caCert: mx['sts.test']!.ca.cert,
      });
    }, 60_000);

    afterAll(async () => {
      await pfx?.stop();
      await server?.close();
      for (const m of Object.values(mx)) await m.close();
      await policyHost?.close();
      await stack?.stop();
    });

    const send = async (to: string) => {
      const result = await pfx.send(SENDER, [to]);
      expect(result.queueId, result.output).toBeDefined();
    };
    const deferredWith = async (address: string) => {
      const queue = await pfx.waitForQueue((q) => reasonOf(q, address) !== undefined);
      return reasonOf(queue, address);
    };
    const logged = (address: string, pattern: RegExp) =>
      waitUntil(
        () =>
          pattern.test(
            pfx
              .maillog()
              .split('\n')
              .filter((l) => l.includes(`to=<${address}>`))
              .join('\n'),
          ),
        10_000,
        () => pfx.maillog(),
      );
    const answered = (domain: string) =>
      lookups.find((e) => e.key === `[localhost]:${mx[domain]!.port}`)?.reply;

    it('an MTA-STS enforce domain whose MX the policy lists: sent over verified TLS (secure match=…)', async () => {
      await send('a@sts.test');
      const sts = mx['sts.test']!;
      await waitUntil(
        () => sts.messages.length === 1,
        15_000,
        () => pfx.maillog(),
      );
      expect(answered('sts.test')).toEqual({ status: 'OK', data: `secure match=mx.sts.test ${TAIL}` });
      expect(sts.messages[0]).toMatchObject({ secure: true });
      expect(sts.commandsBeforeTls()).toEqual(['EHLO', 'STARTTLS']);
      expect(pfx.maillog()).toMatch(/Verified TLS connection established to localhost\[127\.0\.0\.1\]/);
      await logged('a@sts.test', /status=sent/);
    });

    it('an MTA-STS enforce domain whose policy does not list the MX: 4.7.5 deferred, no MAIL FROM', async () => {
      await send('a@unlisted.test');
      expect(await deferredWith('a@unlisted.test')).toBe('Server certificate not verified');
      await logged('a@unlisted.test', /dsn=4\.7\.5, status=deferred/);
      expect(answered('unlisted.test')).toEqual({
        status: 'OK',
        data: `secure match=mx2.unlisted.test ${TAIL}`,
      });
      const unlisted = mx['unlisted.test']!;
      expect(unlisted.commands()).not.toContain('MAIL');
      expect(unlisted.receivedInPlaintext(['MAIL', 'RCPT', 'DATA'])).toEqual([]);
      expect(unlisted.messages).toEqual([]);
    });

    it('limit: *.wild.test becomes .wild.test, which Postfix matches at any depth (b.a.wild.test is sent)', async () => {
      // MTA-STS itself would refuse b.a.wild.test: its wildcard covers exactly one label.
      await send('a@wild.test');
      const wild = mx['wild.test']!;
      await waitUntil(
        () => wild.messages.length === 1,
        15_000,
        () => pfx.maillog(),
      );
      expect(answered('wild.test')).toEqual({ status: 'OK', data: `secure match=.wild.test ${TAIL}` });
      expect(wild.messages[0]).toMatchObject({ secure: true });
    });

    it('a whitelisted domain with an enforce policy: never plaintext (4.7.4 deferred, only EHLO and QUIT)', async () => {
      await send('a@stswl.test');
      expect(await deferredWith('a@stswl.test')).toBe(
        'TLS is required, but was not offered by host localhost[127.0.0.1]',
      );
      await logged('a@stswl.test', /dsn=4\.7\.4, status=deferred/);
      expect(answered('stswl.test')).toEqual({ status: 'OK', data: `secure match=mx.stswl.test ${TAIL}` });
      const plain = mx['stswl.test']!;
      expect(new Set(plain.commands())).toEqual(new Set(['EHLO', 'QUIT']));
      expect(plain.messages).toEqual([]);
    });

    it('bogus DNSSEC: the table answers TEMP, Postfix defers (4.7.5) and never contacts the MX', async () => {
      await send('a@bogus.pfx.test');
      expect(await deferredWith('a@bogus.pfx.test')).toBe('client TLS configuration problem');
      await logged('a@bogus.pfx.test', /dsn=4\.7\.5, status=deferred/);
      expect(answered('bogus.pfx.test')).toEqual({
        status: 'TEMP',
        reason: 'forced-tls cannot decide now (EDNSSEC)',
      });
      expect(mx['bogus.pfx.test']!.connections).toBe(0);
    });

    it('usable TLSA records: the table answers dane-only; a Postfix without DNSSEC lookups defers, never sends', async () => {
      await send('a@dane.pfx.test');
      expect(await deferredWith('a@dane.pfx.test')).toBe('client TLS configuration problem');
      expect(answered('dane.pfx.test')).toEqual({ status: 'OK', data: `dane-only ${TAIL}` });
      expect(pfx.maillog()).toMatch(/dane-only configured with dnssec lookups disabled/);
      expect(mx['dane.pfx.test']!.connections).toBe(0);
    });

    it('limit: Postfix without DNSSEC lookups turns a dane answer into may (only given where the local rule is may)', async () => {
      // part.pfx.test: TLSA at one of two MX hosts, a local rule "may": Postfix's per-host dane.
      await send('a@part.pfx.test');
      const part = mx['part.pfx.test']!;
      await waitUntil(
        () => part.messages.length === 1,
        15_000,
        () => pfx.maillog(),
      );
      expect(answered('part.pfx.test')).toEqual({ status: 'OK', data: `dane ${TAIL}` });
      expect(part.messages[0]).toMatchObject({ secure: false });
      expect(pfx.maillog()).toMatch(/dane configured with dnssec lookups disabled/);
    });
  },
);
