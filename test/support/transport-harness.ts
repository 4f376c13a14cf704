import nodemailer, { type Transporter } from 'nodemailer';
import { afterEach } from 'vitest';
import { type ForcedTlsError, isForcedTlsError } from '../../src/errors/index.js';
import { createPolicy, type PolicyConfig } from '../../src/policy/index.js';
import {
  createTestNetwork,
  SENSITIVE_COMMANDS,
  startTestMx,
  type TestMx,
  type TestMxOptions,
  type TestNetwork,
} from '../../src/testing/index.js';
import {
  createDirectTransport,
  type DirectTransportOptions,
  type ForcedTlsSentMessageInfo,
  type ForcedTlsTransport,
} from '../../src/transport/index.js';

/** Limits for tests whose server answers: short, with room for a slow TLS handshake on a busy machine. */
export const FAST = { connect: 3000, greeting: 3000, tls: 3000, reply: 3000 } as const;

/**
 * Limits for tests whose server stalls on purpose, so they end in well under a second. The handshake
 * keeps room (a real one must complete before a stall after TLS); the handshake-stall test lowers it.
 */
export const STALL = { connect: 3000, greeting: 400, tls: 3000, reply: 400 } as const;

export const FROM = 'kanzlei@sender.test';

/** A running direct-mode setup: one domain `mandant.test` whose MX is one test server. */
export interface DirectHarness {
  readonly mx: TestMx;
  readonly network: TestNetwork;
  readonly transport: ForcedTlsTransport;
  readonly transporter: Transporter<ForcedTlsSentMessageInfo>;
  send(to?: readonly string[]): Promise<ForcedTlsSentMessageInfo>;
  close(): Promise<void>;
}

/** Starts a test MX for `mandant.test` with `mxOptions` and a direct transport with `policy`. */
export async function directHarness(
  mxOptions: TestMxOptions,
  policy: PolicyConfig = { outbound: { default: 'encrypt' } },
  extra: Partial<DirectTransportOptions> = {},
): Promise<DirectHarness> {
  const mx = await startTestMx({ name: 'mx.mandant.test', ...mxOptions });
  const network = createTestNetwork({
    domains: { 'mandant.test': { mx: ['mx.mandant.test'] } },
    hosts: { 'mx.mandant.test': mx },
  });
  const transport = createDirectTransport({
    policy: createPolicy(policy),
    name: 'client.kanzlei.test',
    resolver: network.resolver,
    connect: network.connect,
    ca: network.ca.cert,
    timeouts: FAST,
    ...extra,
  });
  const transporter = transporterOf(transport);
  return {
    mx,
    network,
    transport,
    transporter,
    send: (to = ['client@mandant.test']) =>
      transporter.sendMail({ from: FROM, to: [...to], subject: 'Mandat', text: 'Vertraulich.' }),
    close: async () => {
      transporter.close();
      await network.close();
    },
  };
}

/** Wraps any transport object in a typed nodemailer transporter. */
export function transporterOf(transport: ForcedTlsTransport): Transporter<ForcedTlsSentMessageInfo> {
  return nodemailer.createTransport<ForcedTlsSentMessageInfo>(transport);
}

/**
 * A {@link directHarness} factory whose harnesses are all closed after each test. Call it once at the
 * top of a test file (it registers the `afterEach`).
 */
export function directHarnesses(): typeof directHarness {
  const open: DirectHarness[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((h) => h.close()));
  });
  return async (...args) => {
    const h = await directHarness(...args);
    open.push(h);
    return h;
  };
}

/** Awaits a promise that must reject with a ForcedTlsError, and returns the error. */
export async function refusal(promise: Promise<unknown>): Promise<ForcedTlsError> {
  try {
    await promise;
  } catch (error) {
    if (isForcedTlsError(error)) return error as ForcedTlsError;
    throw error;
  }
  throw new Error('expected a ForcedTlsError, but the promise resolved');
}

/** Lines of MAIL, RCPT, DATA, AUTH or BDAT the server received before TLS (must be empty under TLS-required). */
export function sensitiveInPlaintext(mx: TestMx): string[] {
  return mx.receivedInPlaintext(SENSITIVE_COMMANDS).map((entry) => entry.line);
}
