import { describe, expect, it } from 'vitest';
import { caList, ehloName, isEhloName, portNumber, positiveInteger } from '../../src/internal/options.js';
import { createPolicy } from '../../src/policy/index.js';
import { resolveProbeOptions } from '../../src/probe/options.js';
import { createProber } from '../../src/probe/prober.js';
import { createDirectTransport, createRelayTransport } from '../../src/transport/index.js';

const policy = createPolicy({});
const VALID = ['mail.kanzlei.test', 'MX-1.Kanzlei.DE', '[192.0.2.1]', '[IPv6:2001:db8::1]', '[ipv6:::1]'];
const INVALID = [
  '192.0.2.1',
  '10.0.0.10',
  'localhost',
  'mail.kanzlei.de.',
  '-mail.kanzlei.de',
  'mail_1.kanzlei.de',
  '[999.0.2.1]',
  '[2001:db8::1]',
  '[IPv6:192.0.2.1x]',
  '',
  42,
];

describe('shared option checks', () => {
  it.each(VALID)('accepts %s as an EHLO name (FQDN or address literal, RFC 5321 §4.1.4)', (name) => {
    expect(isEhloName(name)).toBe(true);
    expect(ehloName('name', name)).toBe(name);
  });

  it.each(INVALID)('refuses %s as an EHLO name in the transports and the probe alike', (name) => {
    expect(isEhloName(name)).toBe(false);
    const epolicy = (path: string) => expect.objectContaining({ code: 'EPOLICY', path });
    expect(() => createDirectTransport({ policy, name: name as string })).toThrow(epolicy('name'));
    expect(() =>
      createRelayTransport({
        policy,
        host: 'relay.test',
        name: name as string,
        recipientProtection: 'requiretls',
      }),
    ).toThrow(epolicy('name'));
    expect(() => resolveProbeOptions({ ehloName: name as string })).toThrow(epolicy('ehloName'));
  });

  it('checks integers, ports and CA lists the same way everywhere, naming the option', () => {
    expect(positiveInteger('n', undefined, 7)).toBe(7);
    expect(() => positiveInteger('n', 1.5, 7)).toThrow(
      expect.objectContaining({ code: 'EPOLICY', path: 'n' }),
    );
    expect(() => portNumber('port', 65536, 25)).toThrow(/Invalid option port/);
    expect(() => resolveProbeOptions({ port: 0 })).toThrow(/Invalid probe option port/);
    expect(() => createProber({ maxConnections: 0 })).toThrow(/Invalid prober option maxConnections/);
    expect(caList(undefined)).toBeUndefined();
    expect(() => caList(['not a certificate'])).toThrow(expect.objectContaining({ path: 'ca[0]' }));
    expect(() => resolveProbeOptions({ ca: 'not a certificate' })).toThrow(
      expect.objectContaining({ code: 'EPOLICY', path: 'ca[0]' }),
    );
  });
});
