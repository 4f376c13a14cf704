import { X509Certificate } from 'node:crypto';
import { createSelfSignedCertificate, createTestCa, type TestCa, type TestCertificate } from './test-ca.js';
import type { TestMxCertificatePreset, TestMxTlsOptions } from './test-mx-types.js';

const DAY = 24 * 60 * 60 * 1000;

let sharedCa: TestCa | undefined;
let foreignCa: TestCa | undefined;

/**
 * The test CA shared by every test server of this process that was not given its own `ca`.
 * Trust `defaultTestCa().cert` in a client to verify those servers.
 */
export function defaultTestCa(): TestCa {
  sharedCa ??= createTestCa({ commonName: 'forced-tls default test CA' });
  return sharedCa;
}

// A second CA nobody trusts, for the `unknown-ca` preset.
function untrustedCa(): TestCa {
  foreignCa ??= createTestCa({ commonName: 'forced-tls unknown test CA' });
  return foreignCa;
}

/** Issues the certificate a test server presents for `name` according to `preset`. */
export function presetCertificate(
  name: string,
  preset: TestMxCertificatePreset,
  ca: TestCa,
): TestCertificate {
  const now = Date.now();
  switch (preset) {
    case 'valid':
      return ca.issue({ names: [name] });
    case 'expired':
      return ca.issue({ names: [name], notBefore: new Date(now - 60 * DAY), notAfter: new Date(now - DAY) });
    case 'not-yet-valid':
      return ca.issue({ names: [name], notBefore: new Date(now + DAY), notAfter: new Date(now + 60 * DAY) });
    case 'wrong-name':
      return ca.issue({ names: [`other.${name}.invalid`] });
    case 'self-signed':
      return createSelfSignedCertificate({ names: [name] });
    case 'unknown-ca':
      return untrustedCa().issue({ names: [name] });
  }
}

/** The key and certificate a server uses: explicit `tls.key`/`tls.cert`, else the preset. */
export function serverCertificate(
  name: string,
  preset: TestMxCertificatePreset,
  ca: TestCa,
  tls: TestMxTlsOptions | undefined,
): TestCertificate {
  if (tls?.key !== undefined && tls.cert !== undefined) {
    return { key: tls.key, cert: tls.cert, fingerprint256: new X509Certificate(tls.cert).fingerprint256 };
  }
  return presetCertificate(name, preset, ca);
}
