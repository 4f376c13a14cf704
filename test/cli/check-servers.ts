import { writeFile } from 'node:fs/promises';
import { startTestMx } from '../../src/testing/test-mx.js';
import type { TestMx } from '../../src/testing/test-mx-types.js';
import { tempDir } from './helpers.js';

/** Loopback MX servers for the `check` tests, with a DNS fixture and the CA written to files. */
export interface CheckServers {
  readonly good: TestMx;
  readonly plain: TestMx;
  readonly expired: TestMx;
  /** A certificate from the test CA for another name. */
  readonly wrongName: TestMx;
  /** Says nothing after the connection opens. */
  readonly silent: TestMx;
  /** Path of the DNS fixture. */
  readonly fixture: string;
  /** Path of the CA certificate (PEM). */
  readonly ca: string;
  readonly path: (name: string) => string;
  close(): Promise<void>;
}

export async function startCheckServers(): Promise<CheckServers> {
  const tmp = await tempDir();
  const [good, plain, expired, wrongName, silent] = await Promise.all([
    startTestMx({ name: 'mx.tls.test' }),
    startTestMx({ name: 'mx.plain.test', starttls: false }),
    startTestMx({ name: 'mx.expired.test', certificate: 'expired' }),
    startTestMx({ name: 'mx.wrongname.test', certificate: 'wrong-name' }),
    startTestMx({ name: 'mx.silent.test', stallAt: 'greeting' }),
  ]);
  const fixture = tmp.path('dns.json');
  const at = (mx: TestMx) => `${mx.host}:${mx.port}`;
  await writeFile(
    fixture,
    JSON.stringify({
      domains: {
        'tls.test': { mx: ['mx.tls.test'] },
        'plain.test': { mx: ['mx.plain.test'] },
        'expired.test': { mx: ['mx.expired.test'] },
        'wrongname.test': { mx: ['mx.wrongname.test'] },
        'silent.test': { mx: ['mx.silent.test'] },
        'mixed.test': {
          mx: [
            { exchange: 'mx.tls.test', priority: 10 },
            { exchange: 'mx.plain.test', priority: 20 },
          ],
        },
        'broken.test': 'servfail',
        'gone.test': 'nxdomain',
        'nomail.test': 'null-mx',
        'down.test': { mx: ['mx.down.test'] },
      },
      hosts: {
        'mx.tls.test': at(good),
        'mx.plain.test': at(plain),
        'mx.expired.test': at(expired),
        'mx.wrongname.test': at(wrongName),
        'mx.silent.test': at(silent),
        'mx.down.test': 'refused',
      },
    }),
  );
  const ca = tmp.path('ca.pem');
  await writeFile(ca, good.ca.cert);
  return {
    good,
    plain,
    expired,
    wrongName,
    silent,
    fixture,
    ca,
    path: tmp.path,
    async close() {
      await Promise.all([good, plain, expired, wrongName, silent].map((mx) => mx.close()));
      await tmp.cleanup();
    },
  };
}
