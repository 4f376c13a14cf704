import nodemailer, { type Transporter } from 'nodemailer';
import { afterEach, describe, expect, expectTypeOf, it } from 'vitest';
import { type ForcedTlsError, isForcedTlsError, type NodemailerCode } from '../../src/errors/index.js';
import { createPolicy } from '../../src/policy/index.js';
import { defaultTestCa } from '../../src/testing/index.js';
import { forceTls, type NodemailerCompatibleError } from '../../src/transport/index.js';
import {
  type ContractRelay,
  type ContractRelayBehaviour,
  RELAY_NAME,
  startContractRelay,
  startSilentServer,
} from '../support/contract-relay.js';
import { freePort } from '../support/system-servers.js';

// The same failing scenarios through a plain nodemailer transporter and through forceTls of that
// very transporter, against the same loopback servers: the wrapped one must fail with nodemailer's
// own code and fields, and carry the forced-tls report besides.

const policy = createPolicy({ outbound: { default: 'encrypt' } });
const RECIPIENTS = ['a@mandant.test', 'b@mandant.test'];
const message = { from: 'kanzlei@kanzlei.test', to: RECIPIENTS, subject: 'Unterlagen', text: 'Vertraulich.' };
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

/** The app's transporter (STARTTLS when offered, AUTH) and forceTls of it. */
function pair(port: number, extra: Record<string, unknown> = {}) {
  const existing: Transporter = nodemailer.createTransport({
    host: '127.0.0.1',
    port,
    auth: { user: 'kanzlei', pass: 'geheim' },
    tls: { ca: defaultTestCa().cert, servername: RELAY_NAME },
    ...extra,
  });
  const wrapped = forceTls(existing, { policy, recipientProtection: 'trust-relay' });
  cleanups.push(
    () => wrapped.close(),
    () => existing.close(),
  );
  return { existing, wrapped };
}

async function relay(behaviour: ContractRelayBehaviour): Promise<ContractRelay> {
  const server = await startContractRelay(behaviour);
  cleanups.push(() => server.close());
  return server;
}

async function failure(promise: Promise<unknown>): Promise<NodemailerCompatibleError> {
  try {
    await promise;
  } catch (error) {
    return error as NodemailerCompatibleError;
  }
  throw new Error('expected a rejection');
}

type Fields = Record<string, unknown>;

/** nodemailer's fields of a per-recipient error. */
function entry(e: Fields): Fields {
  const { code, recipient, response, responseCode, command } = e;
  return { code, recipient, response, responseCode, command };
}

/** nodemailer's fields of an error; `permanent` and `timeoutType` only where this nodemailer sets them. */
function fields(error: unknown, plain: unknown = error): Fields {
  const e = error as Fields;
  const like = plain as Fields;
  const { code, response, responseCode, command, rejected } = e;
  const rejectedErrors = (e['rejectedErrors'] as Fields[] | undefined)?.map(entry);
  const optional = Object.fromEntries(
    (['permanent', 'timeoutType'] as const).filter((k) => like[k] !== undefined).map((k) => [k, e[k]]),
  );
  return { code, response, responseCode, command, rejected, rejectedErrors, ...optional };
}

/** The wrapped error also carries the forced-tls report: one RecipientFailure per recipient. */
function expectReport(error: ForcedTlsError, code: string): void {
  expect(isForcedTlsError(error)).toBe(true);
  expect(error.recipients.map((r) => [r.recipient, r.code])).toEqual(RECIPIENTS.map((r) => [r, code]));
  const report = (error as NodemailerCompatibleError).report;
  expect(report?.recipients.map((r) => r.state)).toEqual(['rejected', 'rejected']);
}

const SCENARIOS: { label: string; behaviour: ContractRelayBehaviour; code: string; recipientCode: string }[] =
  [
    {
      label: 'authentication refused (535)',
      behaviour: { authCode: 535 },
      code: 'EAUTH',
      recipientCode: 'EREJECTED',
    },
    {
      label: 'every recipient refused at RCPT (550)',
      behaviour: { rcpt: () => ({ code: 550, text: 'No such user' }) },
      code: 'EENVELOPE',
      recipientCode: 'EREJECTED',
    },
    {
      label: 'every recipient refused at RCPT, one deferred (451) and one refused (550)',
      behaviour: {
        rcpt: (a) =>
          a.startsWith('a') ? { code: 451, text: 'Greylisted' } : { code: 550, text: 'No such user' },
      },
      code: 'EENVELOPE',
      recipientCode: 'EREJECTED',
    },
    {
      label: 'the sender refused at MAIL FROM (550)',
      behaviour: { mailCode: 550 },
      code: 'EENVELOPE',
      recipientCode: 'EREJECTED',
    },
    {
      label: 'the message refused after DATA (554)',
      behaviour: { dataCode: 554 },
      code: 'EMESSAGE',
      recipientCode: 'EREJECTED',
    },
  ];

describe('forceTls keeps nodemailer’s error contract: plain and wrapped against the same relay', () => {
  it.each(SCENARIOS)(
    '$label: the same $code and fields as nodemailer',
    async ({ behaviour, code, recipientCode }) => {
      const server = await relay(behaviour);
      const { existing, wrapped } = pair(server.port);
      const plain = await failure(existing.sendMail(message));
      const before = server.seen.length;
      const secured = await failure(wrapped.sendMail(message));
      expect(plain.code).toBe(code);
      expect(fields(secured, plain)).toEqual(fields(plain));
      expectReport(secured, recipientCode);
      // The wrapped transporter said everything it said after TLS.
      expect(server.seen.slice(before).length).toBeGreaterThan(0);
      expect(server.seen.slice(before).every((c) => c.secure)).toBe(true);
    },
  );

  it('a pooled transporter: the same EAUTH; the error logs as JSON with nodemailer’s fields and the failures', async () => {
    const server = await relay({ authCode: 535 });
    const { existing, wrapped } = pair(server.port, { pool: true });
    const plain = await failure(existing.sendMail(message));
    const secured = await failure(wrapped.sendMail(message));
    expect(plain.code).toBe('EAUTH');
    expect(fields(secured, plain)).toEqual(fields(plain));
    const json = JSON.parse(JSON.stringify(secured));
    expect(json).toMatchObject({
      name: 'ForcedTlsError',
      code: 'EAUTH',
      responseCode: 535,
      command: 'AUTH PLAIN',
    });
    expect(json.recipients).toHaveLength(2);
  });

  it('connection refused: the same ESOCKET (CONN) from sendMail and verify', async () => {
    const port = await freePort();
    const { existing, wrapped } = pair(port);
    const plain = await failure(existing.sendMail(message));
    const secured = await failure(wrapped.sendMail(message));
    expect(plain.code).toBe('ESOCKET');
    expect(fields(secured, plain)).toEqual(fields(plain));
    expectReport(secured, 'ECONNECT');
    const plainVerify = await failure(existing.verify());
    const securedVerify = await failure(wrapped.verify());
    expect(fields(securedVerify, plainVerify)).toEqual(fields(plainVerify));
    expect(isForcedTlsError(securedVerify)).toBe(true);
  });

  it('no greeting: the same ETIMEDOUT (CONN) within the original greetingTimeout, from sendMail and verify', async () => {
    const silent = await startSilentServer();
    cleanups.push(() => silent.close());
    const { existing, wrapped } = pair(silent.port, { greetingTimeout: 300 });
    const plain = await failure(existing.sendMail(message));
    const started = Date.now();
    const secured = await failure(wrapped.sendMail(message));
    expect(Date.now() - started).toBeLessThan(2000);
    expect(plain.code).toBe('ETIMEDOUT');
    expect(fields(secured, plain)).toEqual(fields(plain));
    expectReport(secured, 'ETIMEOUT');
    const plainVerify = await failure(existing.verify());
    const securedVerify = await failure(wrapped.verify());
    expect(fields(securedVerify, plainVerify)).toEqual(fields(plainVerify));
  });

  it('forceTls timeouts win over the original’s: greeting 300 ms although the original waits 30 s', async () => {
    const silent = await startSilentServer();
    cleanups.push(() => silent.close());
    const existing = nodemailer.createTransport({
      host: '127.0.0.1',
      port: silent.port,
      greetingTimeout: 30_000,
    });
    const wrapped = forceTls(existing, {
      policy,
      recipientProtection: 'trust-relay',
      timeouts: { greeting: 300 },
    });
    cleanups.push(() => wrapped.close());
    const started = Date.now();
    const error = await failure(wrapped.sendMail(message));
    expect(Date.now() - started).toBeLessThan(2000);
    expect(error).toMatchObject({ code: 'ETIMEDOUT', command: 'CONN' });
  });

  it('verify(): refused credentials are the same EAUTH, 535, AUTH PLAIN; a good relay verifies on both', async () => {
    const refusing = await relay({ authCode: 535 });
    const bad = pair(refusing.port);
    const plain = await failure(bad.existing.verify());
    const secured = await failure(bad.wrapped.verify());
    expect(plain).toMatchObject({ code: 'EAUTH', responseCode: 535 });
    expect(fields(secured, plain)).toEqual(fields(plain));
    expect(secured.recipients).toEqual([]);
    expect((secured.cause as ForcedTlsError).code).toBe('EREJECTED');
    const good = pair((await relay({})).port);
    await expect(good.existing.verify()).resolves.toBe(true);
    await expect(good.wrapped.verify()).resolves.toBe(true);
    // The callback form answers the same.
    const viaCallback = await new Promise<unknown>((resolve) =>
      bad.wrapped.verify((error) => resolve(error)),
    );
    expect(fields(viaCallback, plain)).toEqual(fields(plain));
  });

  it('partial delivery: the same accepted, rejected and rejectedErrors; the report on info.tls', async () => {
    const server = await relay({
      rcpt: (a) => (a.startsWith('a') ? { code: 550, text: 'No such user' } : undefined),
    });
    const { existing, wrapped } = pair(server.port);
    const plain = await existing.sendMail(message);
    const secured = await wrapped.sendMail(message);
    const nodemailerFields = (info: Fields) => ({
      accepted: info['accepted'],
      rejected: info['rejected'],
      rejectedErrors: (info['rejectedErrors'] as Fields[]).map(entry),
      envelope: info['envelope'],
    });
    expect(nodemailerFields(secured as unknown as Fields)).toEqual(nodemailerFields(plain));
    expect(plain.rejectedErrors?.[0]?.code).toBe('EENVELOPE');
    expect(secured.rejectedErrors[0]?.recipients[0]).toMatchObject({ code: 'EREJECTED', responseCode: 550 });
    expect(secured.tls.recipients.map((r) => [r.state, r.tls?.protocol !== undefined])).toEqual([
      ['rejected', false],
      ['delivered', true],
    ]);
  });

  it('only a TLS refusal is new: a relay without STARTTLS gets mail from the plain one, ETLSREQUIRED from the wrapped one', async () => {
    const server = await relay({ noStarttls: true });
    const { existing, wrapped } = pair(server.port);
    await expect(existing.sendMail(message)).resolves.toMatchObject({ accepted: RECIPIENTS });
    const before = server.seen.length;
    const secured = await failure(wrapped.sendMail(message));
    expect(secured.code).toBe('ETLSREQUIRED');
    expect(secured.recipients.map((r) => r.code)).toEqual(['ENOSTARTTLS', 'ENOSTARTTLS']);
    // Nothing of the wrapped transporter's AUTH, MAIL, RCPT or DATA reached the plaintext relay.
    expect(server.seen.slice(before)).toEqual([]);
    await expect(existing.verify()).resolves.toBe(true);
    const verified = await failure(wrapped.verify());
    expect(verified.code).toBe('ETLSREQUIRED');
    expect((verified.cause as ForcedTlsError).code).toBe('ENOSTARTTLS');
  });

  it('types nodemailer’s fields on a ForcedTlsError', () => {
    expectTypeOf<NodemailerCompatibleError>().toMatchTypeOf<ForcedTlsError>();
    expectTypeOf<NodemailerCompatibleError['responseCode']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<NodemailerCompatibleError['command']>().toEqualTypeOf<string | undefined>();
    expectTypeOf<NodemailerCompatibleError['rejected']>().toEqualTypeOf<string[] | undefined>();
    expectTypeOf<NodemailerCode>().toEqualTypeOf<
      'EAUTH' | 'EENVELOPE' | 'EMESSAGE' | 'ESOCKET' | 'ECONNECTION' | 'ETIMEDOUT' | 'EDNS'
    >();
  });
});
