import nodemailer from 'nodemailer';
import { describe, expect, it } from 'vitest';
import { analyzeReceived, checkServerOptions, createInboundGuard } from '../../src/inbound/index.js';
import { createPolicy, evaluateInbound } from '../../src/index.js';
import { createDirectTransport, createRelayTransport, forceTls } from '../../src/transport/index.js';
import { typedError } from './expect-typed.js';

const policy = createPolicy({ inbound: { rules: [{ match: 'bank.example.test', level: 'encrypt' }] } });
const NAME = 'mail.kanzlei.example.test';

describe('null and wrong-typed arguments give typed errors (issue 9, point 8)', () => {
  it.each([null, undefined, 5, 1n])('analyzeReceived(%s, options): EPOLICY naming headers', async (v) => {
    await typedError(() => analyzeReceived(v as never, { trustedHosts: ['mx.kanzlei.test'] }), {
      code: 'EPOLICY',
      path: 'headers',
    });
  });

  it.each([null, 5, 'x'])("analyzeReceived('x', %s): EPOLICY naming options", async (v) => {
    await typedError(() => analyzeReceived('x', v as never), { code: 'EPOLICY', path: 'options' });
  });

  it.each([null, 5, 'x', []])('createDirectTransport(%j): EPOLICY naming options', async (v) => {
    await typedError(() => createDirectTransport(v as never), { code: 'EPOLICY', path: 'options' });
  });

  it.each([null, 5, 'x', []])('createRelayTransport(%j): EPOLICY naming options', async (v) => {
    await typedError(() => createRelayTransport(v as never), { code: 'EPOLICY', path: 'options' });
  });

  it.each([5, {}, true])('createDirectTransport({ …, ca: %j }): EPOLICY naming ca', async (ca) => {
    await typedError(() => createDirectTransport({ policy, name: NAME, ca: ca as never }), {
      code: 'EPOLICY',
      path: 'ca',
    });
  });

  it('checkServerOptions(null): EPOLICY naming options', async () => {
    await typedError(() => checkServerOptions(null as never), { code: 'EPOLICY', path: 'options' });
  });

  it.each([
    ['a null-prototype object', Object.create(null)],
    ['a Symbol', Symbol('v')],
    ['a number', 1.2],
  ])('checkServerOptions({ minVersion: %s }): EPOLICY naming minVersion', async (_n, minVersion) => {
    await typedError(() => checkServerOptions({ minVersion } as never), {
      code: 'EPOLICY',
      path: 'minVersion',
    });
  });

  it('checkServerOptions with disabledCommands that are not strings: EPOLICY', async () => {
    await typedError(() => checkServerOptions({ disabledCommands: [1n] } as never), {
      code: 'EPOLICY',
      path: 'disabledCommands[0]',
    });
  });

  it.each([
    ['a null-prototype object', Object.create(null)],
    ['an object', {}],
    ['a non-numeric string', 'smtp'],
  ])('forceTls on a transporter with port %s: EPOLICY naming port', async (_n, port) => {
    const existing = nodemailer.createTransport({ host: 'relay.kanzlei.test', port } as never);
    try {
      await typedError(() => forceTls(existing, { policy, recipientProtection: 'trust-relay' }), {
        code: 'EPOLICY',
        path: 'port',
      });
    } finally {
      existing.close();
    }
  });

  it.each([null, 5])('forceTls(transporter, %s): EPOLICY naming options', async (v) => {
    const existing = nodemailer.createTransport({ host: 'relay.kanzlei.test', port: 587 });
    try {
      await typedError(() => forceTls(existing, v as never), { code: 'EPOLICY', path: 'options' });
    } finally {
      existing.close();
    }
  });

  it('evaluateInbound(decision) without its second argument: EPOLICY naming tls', async () => {
    const decision = policy.inbound('a@bank.example.test');
    await typedError(() => (evaluateInbound as (d: unknown) => unknown)(decision), {
      code: 'EPOLICY',
      path: 'tls',
    });
    await typedError(() => evaluateInbound(decision, { protocol: 5 } as never), {
      code: 'EPOLICY',
      path: 'tls.protocol',
    });
  });

  it.each([null, undefined, 5, {}])('evaluateInbound(%j, tls): EPOLICY naming decision', async (v) => {
    await typedError(() => evaluateInbound(v as never, { protocol: null }), {
      code: 'EPOLICY',
      path: 'decision',
    });
  });

  it('createInboundGuard(null) gives EPOLICY, as before', async () => {
    await typedError(() => createInboundGuard(null as never), { code: 'EPOLICY', path: 'policy' });
  });

  it('the guard wrap(null) gives EPOLICY naming options', async () => {
    const guard = createInboundGuard({ policy });
    await typedError(() => guard.wrap(null as never), { code: 'EPOLICY', path: 'options' });
    expect(Object.keys(guard.wrap({}))).toEqual(['onSecure', 'onMailFrom', 'onClose']);
  });
});
