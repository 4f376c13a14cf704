import { connect } from 'node:net';
import nodemailer from 'nodemailer';
import { afterEach, describe, expect, it } from 'vitest';
import type { ConnectTarget } from '../../src/dns/index.js';
import { createTestNetwork, startTestMx, type TestNetwork } from '../../src/testing/index.js';

let network: TestNetwork | undefined;

/** The one target of a single-address host. */
function single(target: ConnectTarget | readonly ConnectTarget[]): ConnectTarget {
  if (Array.isArray(target)) throw new Error('expected one connect target');
  return target as ConnectTarget;
}

afterEach(async () => {
  await network?.close();
  network = undefined;
});

describe('createTestNetwork', () => {
  it('answers MX records with priorities and routes MX names to their servers', async () => {
    const mx1 = await startTestMx({ name: 'mx1.mandant.test' });
    const mx2 = await startTestMx({ name: 'mx2.mandant.test' });
    network = createTestNetwork({
      domains: {
        'mandant.test': {
          mx: [
            { exchange: 'mx2.mandant.test', priority: 20 },
            { exchange: 'mx1.mandant.test', priority: 5 },
          ],
        },
        'listed.test': { mx: ['mx1.mandant.test', 'mx2.mandant.test'] },
      },
      hosts: { 'mx1.mandant.test': mx1, 'mx2.mandant.test': mx2 },
    });
    expect(await network.resolver.resolveMx('Mandant.Test.')).toEqual([
      { exchange: 'mx2.mandant.test', priority: 20 },
      { exchange: 'mx1.mandant.test', priority: 5 },
    ]);
    expect(await network.resolver.resolveMx('listed.test')).toEqual([
      { exchange: 'mx1.mandant.test', priority: 10 },
      { exchange: 'mx2.mandant.test', priority: 20 },
    ]);
    expect(await network.resolver.resolve4('mx1.mandant.test')).toEqual(['127.0.0.1']);
    await expect(network.resolver.resolve6('mx1.mandant.test')).rejects.toMatchObject({ code: 'ENODATA' });
    expect(await network.connect('mx2.mandant.test', 25)).toEqual({ host: '127.0.0.1', port: mx2.port });
    expect(network.calls.map((c) => `${c.method} ${c.name}`)).toEqual([
      'resolveMx mandant.test',
      'resolveMx listed.test',
      'resolve4 mx1.mandant.test',
      'resolve6 mx1.mandant.test',
      'connect mx2.mandant.test',
    ]);
  });

  it('answers TXT records as lists of character strings, and TXT failures with node:dns codes', async () => {
    network = createTestNetwork({
      domains: {
        '_mta-sts.mandant.test': { txt: ['v=STSv1; id=1', ['v=STSv1; ', 'id=2']] },
        'mandant.test': { mx: ['mx.mandant.test'] },
        'slow.test': 'timeout',
      },
    });
    const resolveTxt = network.resolver.resolveTxt!;
    expect(await resolveTxt('_MTA-STS.mandant.test.')).toEqual([['v=STSv1; id=1'], ['v=STSv1; ', 'id=2']]);
    await expect(resolveTxt('mandant.test')).rejects.toMatchObject({ code: 'ENODATA', syscall: 'queryTxt' });
    await expect(resolveTxt('_mta-sts.other.test')).rejects.toMatchObject({ code: 'ENOTFOUND' });
    await expect(resolveTxt('slow.test')).rejects.toMatchObject({ code: 'ETIMEOUT' });
    expect(network.calls.filter((c) => c.method === 'resolveTxt').map((c) => c.name)).toEqual([
      '_mta-sts.mandant.test',
      'mandant.test',
      '_mta-sts.other.test',
      'slow.test',
    ]);
  });

  it('answers null MX, NXDOMAIN, NODATA, timeouts and SERVFAIL with node:dns codes', async () => {
    network = createTestNetwork({
      domains: {
        'null.test': 'null-mx',
        'gone.test': 'nxdomain',
        'empty.test': 'nodata',
        'slow.test': 'timeout',
        'broken.test': 'servfail',
      },
    });
    const { resolver } = network;
    expect(await resolver.resolveMx('null.test')).toEqual([{ exchange: '', priority: 0 }]);
    await expect(resolver.resolveMx('gone.test')).rejects.toMatchObject({
      code: 'ENOTFOUND',
      hostname: 'gone.test',
    });
    await expect(resolver.resolveMx('empty.test')).rejects.toMatchObject({ code: 'ENODATA' });
    await expect(resolver.resolve4('empty.test')).rejects.toMatchObject({ code: 'ENODATA' });
    await expect(resolver.resolveMx('slow.test')).rejects.toMatchObject({ code: 'ETIMEOUT' });
    await expect(resolver.resolve4('slow.test')).rejects.toMatchObject({ code: 'ETIMEOUT' });
    await expect(resolver.resolveMx('broken.test')).rejects.toMatchObject({ code: 'ESERVFAIL' });
    await expect(resolver.resolveMx('unknown.test')).rejects.toMatchObject({ code: 'ENOTFOUND' });
    await expect(network.connect('unknown.test', 25)).rejects.toMatchObject({ code: 'ENOTFOUND' });
  });

  it('supports an A-record fallback (no MX) and a host that refuses connections', async () => {
    const bare = await startTestMx({ name: 'a-only.test' });
    network = createTestNetwork({
      domains: { 'refusing.test': { mx: ['mx.refusing.test'] } },
      hosts: { 'a-only.test': bare, 'mx.refusing.test': 'refused' },
    });
    await expect(network.resolver.resolveMx('a-only.test')).rejects.toMatchObject({ code: 'ENODATA' });
    expect(await network.resolver.resolve4('a-only.test')).toEqual(['127.0.0.1']);
    expect(await network.resolver.resolve4('mx.refusing.test')).toEqual(['127.0.0.1']);
    const target = single(await network.connect('mx.refusing.test', 25));
    const error = await new Promise<NodeJS.ErrnoException>((resolve) => {
      const socket = connect(target.port, target.host);
      socket.on('error', resolve);
      socket.on('connect', () => socket.destroy());
    });
    expect(error.code).toBe('ECONNREFUSED');
  });

  it('lets nodemailer with requireTLS deliver to a TLS-capable test MX, verified against the test CA', async () => {
    const mx = await startTestMx({ name: 'mx.mandant.test' });
    network = createTestNetwork({
      domains: { 'mandant.test': { mx: ['mx.mandant.test'] } },
      hosts: { 'mx.mandant.test': mx },
    });
    const [record] = await network.resolver.resolveMx('mandant.test');
    const target = single(await network.connect(record!.exchange, 25));
    const transporter = nodemailer.createTransport({
      host: target.host,
      port: target.port,
      name: 'kanzlei.test',
      requireTLS: true,
      tls: { ca: network.ca.cert, servername: record!.exchange, minVersion: 'TLSv1.2' },
    });
    const info = await transporter.sendMail({
      from: 'kanzlei@kanzlei.test',
      to: 'mandant@mandant.test',
      subject: 'Bescheid',
      text: 'Hallo',
    });
    expect(info.accepted).toEqual(['mandant@mandant.test']);
    expect(mx.messages[0]).toMatchObject({
      secure: true,
      protocol: 'TLSv1.3',
      servername: 'mx.mandant.test',
    });
    expect(mx.messages[0]?.data).toContain('Subject: Bescheid');
    expect(mx.receivedInPlaintext()).toEqual([]);
    expect(mx.commandsBeforeTls()).toEqual(['EHLO', 'STARTTLS']);
  });

  it('nodemailer with requireTLS stops at a 454 and sends nothing in plaintext', async () => {
    const mx = await startTestMx({ starttlsResponse: '454 4.7.0 TLS not available\r\n' });
    network = createTestNetwork({ hosts: { 'mx.test': mx } });
    const target = single(await network.connect('mx.test', 25));
    const transporter = nodemailer.createTransport({
      host: target.host,
      port: target.port,
      name: 'kanzlei.test',
      requireTLS: true,
      tls: { ca: network.ca.cert, servername: 'mx.test' },
    });
    await expect(
      transporter.sendMail({ from: 'a@kanzlei.test', to: 'b@mx.test', text: 'x' }),
    ).rejects.toMatchObject({
      code: 'ETLS',
      responseCode: 454,
    });
    expect(mx.receivedInPlaintext()).toEqual([]);
    expect(mx.messages).toEqual([]);
  });
});
