/**
 * A host app's CI test of its mail policy, with node's own test runner (any runner works: the kit
 * asserts with node:assert). Run with `npx tsx examples/ci-policy-test.ts`; a failing row prints the
 * decision's explanation and the process exits non-zero.
 */
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { createWhitelistIndex } from 'forced-tls';
import { loadPolicyFile } from 'forced-tls/policy-file';
import { assertDecisions } from 'forced-tls/testing';

const policy = await loadPolicyFile(fileURLToPath(new URL('policy.json', import.meta.url)));

test('recipients of the practice get the TLS the chambers expect', () => {
  assertDecisions(policy, [
    { address: 'mandant@gmx.example', level: 'encrypt', source: 'default' },
    { address: 'schaden@kfz.versicherung.example', level: 'verify', whitelistable: false },
    { address: 'poststelle@finanzamt.example', level: 'verify', minVersion: 'TLSv1.3' },
    { address: 'auszug@bank.example', direction: 'inbound', level: 'encrypt' },
  ]);
});

test('a documented whitelist entry lowers the default, never the insurer contract', () => {
  const whitelist = createWhitelistIndex([
    {
      id: 'wl-1',
      direction: 'outbound',
      scope: 'subdomains',
      value: 'versicherung.example',
      reason: 'client consented in writing',
      approvedBy: 'Dr. Erika Berater',
      consentRef: 'EV-2026-17',
      createdAt: '2026-11-01T09:00:00.000Z',
    },
    {
      id: 'wl-2',
      direction: 'outbound',
      scope: 'domain',
      value: 'altmandant.example',
      reason: 'client consented in writing',
      approvedBy: 'Dr. Erika Berater',
      createdAt: '2026-11-01T09:00:00.000Z',
    },
  ]);
  assertDecisions(
    policy,
    [
      { address: 'info@altmandant.example', level: 'may', source: 'whitelist' },
      { address: 'schaden@kfz.versicherung.example', level: 'verify', source: 'rule' },
    ],
    { whitelist },
  );
});
