// Outbound through a real Postfix 3.7: smtp_tls_policy_maps and transport_maps point at the
// library's socketmap server; every destination is a loopback test MX that logs each command
// with its phase (before or after TLS).
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPolicy } from '../../src/policy/policy.js';
import {
  createSocketmapServer,
  createTlsPolicyTable,
  createTransportTable,
  masterCfTransports,
  type SocketmapLookupEvent,
  type SocketmapServer,
} from '../../src/postfix/index.js';
import { startTestMx, type TestMx } from '../../src/testing/index.js';
import { createWhitelist, FileWhitelistStore, type WhitelistStore } from '../../src/whitelist/index.js';
import { cli } from '../cli/helpers.js';
import {
  type PrivatePostfix,
  postfixGate,
  type QueueEntry,
  startPrivatePostfix,
} from '../support/postfix.js';
import { tempDir, waitUntil } from '../support/system-servers.js';

const SENDER = 'kanzlei@sender.test';
const OTHER_FP = Array(32).fill('AB').join(':');

/** A store whose reads can be made to fail, to prove a broken store never lets plaintext through. */
class BreakableStore implements WhitelistStore {
  broken = false;
  constructor(readonly inner: FileWhitelistStore) {}
  #check(): void {
    if (this.broken) throw new Error('whitelist store unreachable');
  }
  async list() {
    this.#check();
    return this.inner.list();
  }
  add: WhitelistStore['add'] = (e) => this.inner.add(e);
  remove: WhitelistStore['remove'] = (id) => this.inner.remove(id);
  async revision() {
    this.#check();
    return this.inner.revision();
  }
}

function recipientIn(queue: QueueEntry[], address: string) {
  for (const message of queue) {
    const r = message.recipients.find((x) => x.address === address);
    if (r !== undefined) return { message, recipient: r };
  }
  return undefined;
}

const deferred = (address: string) => (queue: QueueEntry[]) =>
  recipientIn(queue, address)?.recipient.delay_reason !== undefined;

describe.skipIf(!postfixGate.available)(
  'Postfix 3.7 with the socketmap TLS policy and transport tables',
  () => {
    const mx: Record<string, TestMx> = {};
    const lookups: SocketmapLookupEvent[] = [];
    let store: BreakableStore;
    let pfx: PrivatePostfix;
    let server: SocketmapServer;
    let temp: Awaited<ReturnType<typeof tempDir>>;
    let policyFile: string;
    let whitelistFile: string;

    beforeAll(async () => {
      temp = await tempDir('postfix-out');
      // Every MX poses as "localhost": next-hops are [localhost]:PORT, which verify can check by name.
      const specs: Record<string, Parameters<typeof startTestMx>[0]> = {
        'plain.test': { starttls: false },
        'good.test': {},
        'badname.test': { certificate: 'wrong-name' },
        'legacy.test': { starttls: false },
        'peraddr.test': { certificate: 'wrong-name' },
        'plainaddr.test': { starttls: false },
        'pinned.test': {},
        'wrongpin.test': {},
        'modern.test': { tls: { maxVersion: 'TLSv1.2' } },
        'release.test': { starttls: false },
        'brokenstore.test': { starttls: false },
        'down.test': { starttls: false },
        'downq.test': { starttls: false },
      };
      for (const [domain, options] of Object.entries(specs))
        mx[domain] = await startTestMx({ name: 'localhost', ...options });
      const hop = (domain: string) => `[localhost]:${mx[domain]!.port}`;
      const config = {
        outbound: {
          default: 'encrypt',
          rules: [
            { match: 'good.test', level: 'verify' },
            { match: 'badname.test', level: 'verify' },
            { match: 'boss@peraddr.test', level: 'verify' },
            { match: 'pinned.test', level: 'fingerprint', fingerprints: [mx['pinned.test']!.fingerprint256] },
            { match: 'wrongpin.test', level: 'fingerprint', fingerprints: [OTHER_FP] },
            { match: 'modern.test', level: 'encrypt', minVersion: 'TLSv1.3' },
          ],
        },
      };
      policyFile = join(temp.path, 'policy.json');
      await writeFile(policyFile, JSON.stringify(config, null, 2));
      const policy = createPolicy(config as never);
      whitelistFile = join(temp.path, 'whitelist.json');
      store = new BreakableStore(new FileWhitelistStore(whitelistFile));
      const whitelist = createWhitelist(store);
      const approved = { reason: 'Mandant wünscht unverschlüsselte Zustellung', approvedBy: 'StB Müller' };
      for (const value of ['legacy.test', 'brokenstore.test', 'downq.test']) {
        await whitelist.add({ direction: 'outbound', scope: 'domain', value, ...approved });
      }
      await whitelist.add({
        direction: 'outbound',
        scope: 'address',
        value: 'mandant@plainaddr.test',
        ...approved,
      });

      const nextHops = Object.fromEntries(Object.keys(specs).map((d) => [hop(d), d]));
      server = createSocketmapServer({
        maps: {
          forcedtls: createTlsPolicyTable({ policy, whitelist, nextHops }),
          'forcedtls-transport': createTransportTable({ policy, whitelist, nexthop: hop }),
        },
        onLookup: (e) => lookups.push(e),
      });
      const bound = await server.listen({ host: '127.0.0.1', port: 0 });
      pfx = await startPrivatePostfix({
        socketmapPort: 'port' in bound ? bound.port : 0,
        routes: {
          ...Object.fromEntries(Object.keys(specs).map((d) => [d, `smtp:${hop(d)}`])),
          'downq.test': `downq:${hop('downq.test')}`,
        },
        caCert: mx['good.test']!.ca.cert,
        masterCf: `${masterCfTransports(policy)}downq unix - - n - - smtp\n`,
        mainCf: ['defer_transports = downq'],
      });
    });

    afterAll(async () => {
      await pfx?.stop();
      await server?.close();
      for (const m of Object.values(mx)) await m.close();
      await temp?.remove();
    });

    const send = async (to: string[]) => {
      const result = await pfx.send(SENDER, to);
      expect(result.queueId, result.output).toBeDefined();
      return result.queueId!;
    };
    // Postfix logs the delivery after the MX's reply: wait for the line rather than race it.
    const logged = (address: string, pattern: RegExp) =>
      waitUntil(
        () => pattern.test(log(address).join('\n')),
        10_000,
        () => pfx.maillog(),
      );
    const log = (address: string) =>
      pfx
        .maillog()
        .split('\n')
        .filter((l) => l.includes(`to=<${address}>`));

    it('encrypt to a plaintext-only MX: dsn=4.7.4 deferred, and the MX saw nothing but EHLO and QUIT', async () => {
      await send(['a@plain.test']);
      const queue = await pfx.waitForQueue(deferred('a@plain.test'));
      expect(recipientIn(queue, 'a@plain.test')?.recipient.delay_reason).toBe(
        'TLS is required, but was not offered by host localhost[127.0.0.1]',
      );
      await logged('a@plain.test', /dsn=4\.7\.4, status=deferred/);
      const plain = mx['plain.test']!;
      expect(plain.commands().length).toBeGreaterThan(0);
      expect(new Set(plain.commands())).toEqual(new Set(['EHLO', 'QUIT']));
      expect(plain.receivedInPlaintext(['MAIL', 'RCPT', 'DATA'])).toEqual([]);
      expect(plain.messages).toEqual([]);
      expect(lookups.find((e) => e.key === `[localhost]:${plain.port}`)?.reply).toEqual({
        status: 'OK',
        data: 'encrypt protocols=>=TLSv1.2 servername=hostname',
      });
    });

    it('verify to a good MX: sent over a verified TLS connection, SNI set, nothing in plaintext', async () => {
      await send(['a@good.test']);
      const good = mx['good.test']!;
      await waitUntil(
        () => good.messages.length === 1,
        15_000,
        () => pfx.maillog(),
      );
      expect(good.messages[0]).toMatchObject({ secure: true, protocol: 'TLSv1.3', servername: 'localhost' });
      expect(good.commandsBeforeTls()).toEqual(['EHLO', 'STARTTLS']);
      expect(pfx.maillog()).toMatch(/Verified TLS connection established to localhost\[127\.0\.0\.1\]/);
      await logged('a@good.test', /status=sent/);
    });

    it('verify to an MX whose certificate names another host: 4.7.5 deferred, no MAIL FROM', async () => {
      await send(['a@badname.test']);
      const queue = await pfx.waitForQueue(deferred('a@badname.test'));
      expect(recipientIn(queue, 'a@badname.test')?.recipient.delay_reason).toBe(
        'Server certificate not verified',
      );
      await logged('a@badname.test', /dsn=4\.7\.5, status=deferred/);
      expect(mx['badname.test']!.commands()).not.toContain('MAIL');
    });

    it('a whitelisted domain: sent in plaintext to the plaintext-only MX', async () => {
      await send(['a@legacy.test']);
      const legacy = mx['legacy.test']!;
      await waitUntil(
        () => legacy.messages.length === 1,
        15_000,
        () => pfx.maillog(),
      );
      expect(legacy.messages[0]).toMatchObject({ secure: false, to: ['a@legacy.test'] });
      await logged('a@legacy.test', /status=sent/);
    });

    it('a per-address rule through transport_maps: Postfix splits the message, boss@ waits for verify', async () => {
      await send(['boss@peraddr.test', 'other@peraddr.test']);
      const peraddr = mx['peraddr.test']!;
      // other@ has the domain's encrypt: delivered over TLS although the certificate names another host.
      await waitUntil(
        () => peraddr.messages.length === 1,
        15_000,
        () => pfx.maillog(),
      );
      expect(peraddr.messages[0]).toMatchObject({ secure: true, to: ['other@peraddr.test'] });
      // boss@ went through ftls-verify and is refused on the name.
      const queue = await pfx.waitForQueue(deferred('boss@peraddr.test'));
      expect(recipientIn(queue, 'boss@peraddr.test')?.recipient.delay_reason).toBe(
        'Server certificate not verified',
      );
      await logged('boss@peraddr.test', /postfix\/ftls-verify\/smtp.*dsn=4\.7\.5, status=deferred/);
      expect(
        lookups.find((e) => e.map === 'forcedtls-transport' && e.key === 'boss@peraddr.test')?.reply,
      ).toEqual({
        status: 'OK',
        data: `ftls-verify:[localhost]:${peraddr.port}`,
      });
    });

    it('a per-address whitelist entry: mandant@ goes out in plaintext via ftls-may, its domain still waits', async () => {
      await send(['mandant@plainaddr.test', 'other@plainaddr.test']);
      const plainaddr = mx['plainaddr.test']!;
      await waitUntil(
        () => plainaddr.messages.length === 1,
        15_000,
        () => pfx.maillog(),
      );
      expect(plainaddr.messages[0]).toMatchObject({ secure: false, to: ['mandant@plainaddr.test'] });
      await pfx.waitForQueue(deferred('other@plainaddr.test'));
      await logged('other@plainaddr.test', /dsn=4\.7\.4, status=deferred/);
      expect(plainaddr.messages.flatMap((m) => m.to)).not.toContain('other@plainaddr.test');
    });

    it('fingerprint: the pinned certificate is accepted, another one deferred', async () => {
      await send(['a@pinned.test', 'a@wrongpin.test']);
      await waitUntil(
        () => mx['pinned.test']!.messages.length === 1,
        15_000,
        () => pfx.maillog(),
      );
      expect(mx['pinned.test']!.messages[0]?.secure).toBe(true);
      const queue = await pfx.waitForQueue(deferred('a@wrongpin.test'));
      expect(recipientIn(queue, 'a@wrongpin.test')?.recipient.delay_reason).toBe(
        'Server certificate not verified',
      );
      expect(mx['wrongpin.test']!.commands()).not.toContain('MAIL');
    });

    it('a minimum of TLS 1.3 against a TLS 1.2-only MX: deferred, nothing sent', async () => {
      await send(['a@modern.test']);
      const queue = await pfx.waitForQueue(deferred('a@modern.test'));
      expect(recipientIn(queue, 'a@modern.test')?.recipient.delay_reason).toMatch(
        /^Cannot start TLS: handshake failure/,
      );
      expect(mx['modern.test']!.commands()).not.toContain('MAIL');
    });

    it('the store broken: a whitelisted domain is deferred (4.7.5, TEMP), never sent in plaintext', async () => {
      store.broken = true;
      try {
        await send(['a@brokenstore.test']);
        const queue = await pfx.waitForQueue(deferred('a@brokenstore.test'));
        expect(recipientIn(queue, 'a@brokenstore.test')?.recipient.delay_reason).toBe(
          'client TLS configuration problem',
        );
        await logged('a@brokenstore.test', /dsn=4\.7\.5, status=deferred/);
        expect(mx['brokenstore.test']!.connections).toBe(0);
        const temp = lookups.find((e) => e.key === `[localhost]:${mx['brokenstore.test']!.port}`);
        expect(temp?.reply).toMatchObject({ status: 'TEMP' });
      } finally {
        store.broken = false;
      }
    });

    it('the sender is told: postfix queue lists the refusal; after whitelisting, postqueue -i releases it in plaintext', async () => {
      const queueId = await send(['a@release.test']);
      await pfx.waitForQueue(deferred('a@release.test'));
      const listed = await cli([
        'postfix',
        'queue',
        '--policy',
        policyFile,
        '--whitelist',
        whitelistFile,
        '--config-dir',
        pfx.configDir,
      ]);
      expect(listed.code, listed.stderr).toBe(2);
      const refusal = listed.stdout
        .split('\n')
        .filter((l) => l !== '')
        .map((l) => JSON.parse(l))
        .find((r) => r.recipient === 'a@release.test');
      expect(refusal).toMatchObject({
        queueId,
        sender: SENDER,
        code: 'ENOSTARTTLS',
        mx: 'localhost',
        mayWhitelist: true,
        whitelisted: false,
        whitelistRequest: { direction: 'outbound', scope: 'domain', value: 'release.test' },
        text: {
          de: expect.stringMatching(/^Nicht zugestellt: Der Mailserver von release\.test unterstützt keine/),
        },
      });
      const added = await cli([
        'whitelist',
        'add',
        'release.test',
        '--store',
        whitelistFile,
        '--reason',
        'Mandant hat schriftlich zugestimmt',
        '--approved-by',
        'StB Müller',
      ]);
      expect(added.code, added.stderr).toBe(0);
      const after = await cli([
        'postfix',
        'queue',
        '--policy',
        policyFile,
        '--whitelist',
        whitelistFile,
        '--config-dir',
        pfx.configDir,
      ]);
      expect(after.stdout).toContain('"whitelisted":true');
      // smtp processes cache TLS policy answers: reload, then release the message.
      await pfx.reload();
      const release = mx['release.test']!;
      await waitUntil(
        async () => {
          await import('node:child_process').then(({ execFileSync }) =>
            execFileSync('/usr/sbin/postqueue', ['-c', pfx.configDir, '-i', queueId]),
          );
          return release.messages.length === 1;
        },
        15_000,
        () => pfx.maillog(),
      );
      expect(release.messages[0]).toMatchObject({ secure: false, to: ['a@release.test'] });
    });

    it('the socketmap server down: queued mail is deferred, new mail refused at RCPT, nothing in plaintext', async () => {
      // downq.test is whitelisted (plaintext allowed while the server answers); its transport is
      // held by defer_transports, so no TLS policy lookup has happened for it yet. With the server
      // gone, qmgr cannot resolve it (transport table) and smtp could not look up its policy.
      await send(['a@downq.test']);
      await pfx.waitForQueue((q) => recipientIn(q, 'a@downq.test') !== undefined, 15_000, false);
      await server.close();
      const refused = await pfx.send(SENDER, ['a@down.test']);
      expect(refused.queueId).toBeUndefined();
      expect(refused.output).toContain('451 4.3.0 <a@down.test>: Temporary lookup failure');
      const queue = await pfx.waitForQueue((q) => {
        const reason = recipientIn(q, 'a@downq.test')?.recipient.delay_reason ?? '';
        return reason !== '' && !reason.includes('deferred transport');
      });
      expect(recipientIn(queue, 'a@downq.test')?.recipient.delay_reason).toMatch(
        /lookup|resolver|TLS configuration/i,
      );
      expect(mx['downq.test']!.connections).toBe(0);
      expect(mx['down.test']!.connections).toBe(0);
    });
  },
);
