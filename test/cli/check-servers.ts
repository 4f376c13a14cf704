import { writeFile } from 'node:fs/promises';
import { startTestMx } from '../../src/testing/test-mx.js';
import type { TestMx } from '../../src/testing/test-mx-types.js';
import { tempDir } from './helpers.js';

/** Loopback MX servers for the `check` tests, with a DNS fixture and the CA written to files. */
export interface CheckServers {
  readonly good: TestMx;
  readonly plain: TestMx;
  readonly expired: TestMx;
  /** Path of the DNS fixture. */
  readonly fixture: string;
  /** Path of the CA certificate (PEM). */
  readonly ca: string;
  readonly path: (name: string) => string;
  close(): Promise<void>;
}

export async function startCheckServers(): Promise<CheckServers> {
  const tmp = await tempDir();
  const [good, plain, expired] = await Promise.all([
    startTestMx({ name: 'mx.tls.test' }),
    startTestMx({ name: 'mx.plain.test', starttls: false }),
    startTestMx({ name: 'mx.expired.test', certificate: 'expired' }),
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
    fixture,
    ca,
    path: tmp.path,
    async close() {
      await Promise.all([good.close(), plain.close(), expired.close()]);
      await tmp.cleanup();
    },
  };
}
