import { beforeAll, describe, expect, it } from 'vitest';
import { createFixtureNetwork } from '../../src/cli/dns-fixture.js';

describe('--dns-fixture format', () => {
  let network: Awaited<ReturnType<typeof createFixtureNetwork>>;
  beforeAll(async () => {
    network = await createFixtureNetwork({
      domains: {
        'Mandant.test': { mx: ['mx2.mandant.test', { exchange: 'mx1.mandant.test', priority: 5 }] },
        'gone.test': 'nxdomain',
        'nomail.test': 'null-mx',
        '_mta-sts.mandant.test': { txt: ['v=STSv1; id=1', ['v=STSv1; ', 'id=2']] },
        'slow.test': 'no-answer',
      },
      hosts: {
        'mx1.mandant.test': '127.0.0.1:2525',
        'mx2.mandant.test': '[::1]:2526',
        'down.test': 'refused',
        'mta-sts.mandant.test': '127.0.0.1:8443',
      },
    });
  });

  it('answers TXT lookups (one string or the strings of one record) and routes mta-sts.<domain>', async () => {
    await expect(network.resolver.resolveTxt?.('_mta-sts.Mandant.test')).resolves.toEqual([
      ['v=STSv1; id=1'],
      ['v=STSv1; ', 'id=2'],
    ]);
    await expect(network.resolver.resolveTxt?.('mandant.test')).rejects.toMatchObject({ code: 'ENODATA' });
    await expect(network.connect('mta-sts.mandant.test', 443)).resolves.toEqual({
      host: '127.0.0.1',
      port: 8443,
    });
  });

  it('"no-answer": every lookup of the name stays unanswered (a deadline must end it)', async () => {
    const settled = (p: Promise<unknown>) =>
      Promise.race([
        p.then(
          () => 'settled',
          () => 'settled',
        ),
        new Promise((r) => setTimeout(() => r('waiting'), 50)),
      ]);
    expect(await settled(network.resolver.resolveMx('slow.test'))).toBe('waiting');
    expect(await settled(network.resolver.resolveTxt!('SLOW.test.'))).toBe('waiting');
    expect(await settled(network.resolver.resolve4('slow.test'))).toBe('waiting');
    expect(await settled(network.resolver.resolveMx('nomail.test'))).toBe('settled');
  });

  it('answers MX lookups from the file, case-insensitively', async () => {
    await expect(network.resolver.resolveMx('mandant.TEST.')).resolves.toEqual([
      { exchange: 'mx2.mandant.test', priority: 10 },
      { exchange: 'mx1.mandant.test', priority: 5 },
    ]);
    await expect(network.resolver.resolveMx('nomail.test')).resolves.toEqual([{ exchange: '', priority: 0 }]);
    await expect(network.resolver.resolveMx('gone.test')).rejects.toMatchObject({ code: 'ENOTFOUND' });
  });

  it('fails for names not in the file instead of asking the real DNS', async () => {
    await expect(network.resolver.resolveMx('example.com')).rejects.toMatchObject({ code: 'ENOTFOUND' });
    await expect(
      Promise.resolve().then(() => network.connect('mx.elsewhere.test', 25)),
    ).rejects.toMatchObject({
      code: 'ENOTFOUND',
    });
  });

  it('maps host names to address:port', async () => {
    await expect(network.connect('mx1.mandant.test', 25)).resolves.toEqual({ host: '127.0.0.1', port: 2525 });
    await expect(network.connect('mx2.mandant.test', 25)).resolves.toEqual({ host: '::1', port: 2526 });
  });

  it.each([
    [[], 'must be a JSON object'],
    [{ domain: {} }, 'unknown field "domain"'],
    [{ domains: { 'a.test': 'bogus' } }, 'domains["a.test"] must be'],
    [{ domains: { 'a.test': { mx: [{ exchange: 'x' }] } } }, 'domains["a.test"] must be'],
    [{ hosts: { 'mx.a.test': 'mx.b.test:25' } }, 'hosts["mx.a.test"] must be "address:port"'],
    [{ domains: { 'a.test': { txt: 'v=STSv1; id=1' } } }, 'domains["a.test"] must be'],
    [{ domains: { 'a.test': { txt: [1] } } }, 'domains["a.test"] must be'],
    [{ domains: { 'a.test': { txt: [['a', 2]] } } }, 'domains["a.test"] must be'],
    [
      { domains: { 'a.test': { mx: [], spf: [] } } },
      'domains["a.test"] must be { "mx": [...], "txt": [...] }',
    ],
  ])('refuses %j with EINPUT', async (json, message) => {
    await expect(createFixtureNetwork(json, 'f.json')).rejects.toMatchObject({
      code: 'EINPUT',
      message: expect.stringContaining(message),
    });
  });
});
