import type { Transporter } from 'nodemailer';
import { createPolicy } from '../../src/policy/index.js';
import { defaultTestCa, startTestMx, type TestMx, type TestMxOptions } from '../../src/testing/index.js';
import {
  createRelayTransport,
  type ForcedTlsSentMessageInfo,
  type RelayTransportOptions,
} from '../../src/transport/index.js';
import { FAST, FROM, transporterOf } from './transport-harness.js';

/** The relay tests' policy: TLS required by default, `offen.test` at `may`. */
export const relayPolicy = createPolicy({
  outbound: { default: 'encrypt', rules: [{ match: 'offen.test', level: 'may' }] },
});

/** Test relays and transporters started by one test file; call `cleanup` after each test. */
export interface RelayFixtures {
  readonly servers: TestMx[];
  readonly closers: (() => void)[];
  cleanup(): Promise<void>;
  /** A test MX posing as `relay.kanzlei.test` and a relay-mode transporter to it (STARTTLS, AUTH). */
  relay(
    server: TestMxOptions,
    options?: Partial<RelayTransportOptions>,
  ): Promise<{
    mx: TestMx;
    transporter: Transporter<ForcedTlsSentMessageInfo>;
    send(to?: string[]): Promise<ForcedTlsSentMessageInfo>;
  }>;
}

/** Fixtures for one relay test file. */
export function relayFixtures(): RelayFixtures {
  const servers: TestMx[] = [];
  const closers: (() => void)[] = [];
  const policy = relayPolicy;
  return {
    servers,
    closers,
    cleanup: async () => {
      for (const close of closers.splice(0)) close();
      await Promise.all(servers.splice(0).map((s) => s.close()));
    },
    async relay(server: TestMxOptions, options: Partial<RelayTransportOptions> = {}) {
      const mx = await startTestMx({ name: 'relay.kanzlei.test', authBeforeTls: true, ...server });
      servers.push(mx);
      const transporter = transporterOf(
        createRelayTransport({
          policy,
          host: 'relay.kanzlei.test',
          port: 587,
          connect: () => ({ host: mx.host, port: mx.port }),
          auth: { user: 'kanzlei', pass: 'geheim' },
          tls: { ca: defaultTestCa().cert },
          recipientProtection: 'trust-relay',
          timeouts: FAST,
          ...options,
        }),
      );
      closers.push(() => transporter.close());
      const send = (to: string[] = ['client@mandant.test']) =>
        transporter.sendMail({ from: FROM, to, subject: 'Mandat', text: 'Vertraulich.' });
      return { mx, transporter, send };
    },
  };
}
