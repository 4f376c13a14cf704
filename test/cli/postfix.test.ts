import { writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, tempDir } from './helpers.js';

const QUEUE = [
  '{"queue_name": "deferred", "queue_id": "5B1C0A1F2D", "arrival_time": 1796182200, "message_size": 512, "forced_expire": false, "sender": "kanzlei@sender.test", "recipients": [{"address": "a@plain.test", "delay_reason": "TLS is required, but was not offered by host mx.plain.test[192.0.2.1]"}, {"address": "b@fine.test", "delay_reason": "connect to fine.test[192.0.2.2]:25: Connection refused"}]}',
  '',
].join('\n');

describe('forced-tls postfix', () => {
  let temp: Awaited<ReturnType<typeof tempDir>>;
  beforeAll(async () => {
    temp = await tempDir();
    await writeFile(
      temp.path('policy.json'),
      JSON.stringify({
        outbound: {
          default: 'encrypt',
          rules: [{ match: 'vorstand@bank.de', level: 'verify', minVersion: 'TLSv1.3' }],
        },
      }),
    );
    await writeFile(temp.path('queue.jsonl'), QUEUE);
    await writeFile(temp.path('broken.jsonl'), '{"queue_name":\n');
  });
  afterAll(() => temp.cleanup());

  it('queue: one JSON line per recipient waiting for TLS, a summary on stderr, exit 2', async () => {
    const result = await cli([
      'postfix',
      'queue',
      '--policy',
      temp.path('policy.json'),
      '--input',
      temp.path('queue.jsonl'),
    ]);
    expect(result.code).toBe(2);
    const lines = result.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      queueId: '5B1C0A1F2D',
      recipient: 'a@plain.test',
      code: 'ENOSTARTTLS',
      mx: 'mx.plain.test',
      mayWhitelist: true,
      text: { en: expect.stringMatching(/^Not delivered: the mail server of plain\.test does not support/) },
    });
    expect(result.stderr).toBe(
      '1 recipient(s) waiting for TLS, 0 deferred by a local TLS configuration problem (is the policy service running?), 1 waiting for other reasons\n',
    );
  });

  it('queue: a malformed listing fails with EPOSTFIX naming the line, an unreadable one with EINPUT', async () => {
    const broken = await cli([
      'postfix',
      'queue',
      '--policy',
      temp.path('policy.json'),
      '--input',
      temp.path('broken.jsonl'),
    ]);
    expect(broken.code).toBe(1);
    expect(broken.stderr).toMatch(/^error EPOSTFIX: postqueue -j output, line 1: not JSON/);
    const missing = await cli([
      'postfix',
      'queue',
      '--policy',
      temp.path('policy.json'),
      '--input',
      temp.path('none'),
    ]);
    expect(missing.stderr).toMatch(/^error EINPUT: cannot read/);
    const noPostqueue = await cli([
      'postfix',
      'queue',
      '--policy',
      temp.path('policy.json'),
      '--postqueue',
      temp.path('none'),
    ]);
    expect(noPostqueue.stderr).toMatch(/^error EINPUT: .* -j failed/);
  });

  it('master-cf: the transports of the policy', async () => {
    const result = await cli(['postfix', 'master-cf', '--policy', temp.path('policy.json'), '--chroot', 'y']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('ftls-may unix - - y - - smtp\n');
    expect(result.stdout).toContain(
      'ftls-verify-tls13 unix - - y - - smtp\n  -o syslog_name=postfix/ftls-verify-tls13\n',
    );
  });

  it.each([
    [['postfix'], /missing subcommand: use serve, queue or master-cf/],
    [['postfix', 'nope'], /unknown subcommand "nope"/],
    [['postfix', 'serve', '--policy', 'p.json'], /give --socketmap, --policy-service or both/],
    [['postfix', 'serve', '--policy', 'p.json', '--socketmap', '8461'], /--socketmap must be HOST:PORT/],
    [
      ['postfix', 'serve', '--policy', 'p.json', '--socketmap', '127.0.0.1:1', '--next-hop', 'x'],
      /--next-hop must be NEXTHOP=DOMAIN/,
    ],
    [['postfix', 'serve', '--socketmap', '127.0.0.1:1'], /missing --policy/],
    [['postfix', 'master-cf', '--policy', 'p.json', '--chroot', 'maybe'], /--chroot must be one of y, n, -/],
  ])('usage errors: %j', async (args, message) => {
    const result = await cli(args);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^error EUSAGE: /);
    expect(result.stderr).toMatch(message);
  });

  it('serve refuses a non-loopback address before listening', async () => {
    const result = await cli([
      'postfix',
      'serve',
      '--policy',
      temp.path('policy.json'),
      '--socketmap',
      '0.0.0.0:8461',
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^error EPOLICY: listen\.host must be a loopback address/);
  });

  it('is listed in the overview and has its own help', async () => {
    expect((await cli(['--help'])).stdout).toMatch(/postfix +serve the policy to Postfix/);
    expect((await cli(['postfix', '--help'])).stdout).toMatch(
      /^Usage: forced-tls postfix <serve\|queue\|master-cf>/,
    );
  });
});
