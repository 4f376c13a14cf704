import type { Transporter } from 'nodemailer';
import { createPolicy } from '../../src/policy/index.js';
import { startTestMx, type TestMx, type TestNetwork } from '../../src/testing/index.js';
import {
  createDirectTransport,
  type DeliveryAttempt,
  type DirectTransportOptions,
  type ForcedTlsSentMessageInfo,
} from '../../src/transport/index.js';
import { FAST, FROM, transporterOf } from './transport-harness.js';

/** A test MX named `name` (closed with the network it joins). */
export function mx(name: string, options: Parameters<typeof startTestMx>[0] = {}): Promise<TestMx> {
  return startTestMx({ name, ...options });
}

/** Direct transports over test networks started by one test file; call `cleanup` after each test. */
export interface DirectFixtures {
  readonly cleanup: (() => Promise<void>)[];
  runCleanup(): Promise<void>;
  /** A direct transporter on `network` (encrypt by default), recording attempts into `attempts`. */
  direct(
    network: TestNetwork,
    policy?: ReturnType<typeof createPolicy>,
    attempts?: DeliveryAttempt[],
    extra?: Partial<DirectTransportOptions>,
  ): {
    transporter: Transporter<ForcedTlsSentMessageInfo>;
    send(to: string[]): Promise<ForcedTlsSentMessageInfo>;
  };
}

/** Fixtures for one direct-mode test file. */
export function directFixtures(): DirectFixtures {
  const cleanup: (() => Promise<void>)[] = [];
  return {
    cleanup,
    runCleanup: async () => {
      for (const fn of cleanup.splice(0)) await fn();
    },
    direct(
      network: TestNetwork,
      policy = createPolicy({ outbound: { default: 'encrypt' } }),
      attempts?: DeliveryAttempt[],
      extra: Partial<DirectTransportOptions> = {},
    ) {
      const transporter = transporterOf(
        createDirectTransport({
          policy,
          name: 'client.kanzlei.test',
          resolver: network.resolver,
          connect: network.connect,
          ca: network.ca.cert,
          timeouts: FAST,
          ...(attempts ? { onAttempt: (a: DeliveryAttempt) => attempts.push(a) } : {}),
          ...extra,
        }),
      );
      cleanup.push(async () => {
        transporter.close();
        await network.close();
      });
      const send = (to: string[]) =>
        transporter.sendMail({ from: FROM, to, subject: 'Mandat', text: 'Vertraulich.' });
      return { transporter, send };
    },
  };
}
