import { describe, expect, it } from 'vitest';
import { cli } from './helpers.js';

describe('forced-tls explain', () => {
  it('prints level, source and the explain() text per address', async () => {
    const r = await cli([
      'explain',
      '--policy',
      'examples/policy.json',
      'mandant@gmx.example',
      'schaden@kfz.versicherung.example',
    ]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('mandant@gmx.example  encrypt  TLS required  (default)');
    expect(r.stdout).toContain('by the outbound default; whitelistable');
    expect(r.stdout).toContain('schaden@kfz.versicherung.example  verify  TLS required  (rule)');
    expect(r.stdout).toMatch(
      /rule \*\.versicherung\.example \(line \d+ of policy\.json, "framework contract/,
    );
    expect(r.stdout).toContain('not whitelistable');
  });

  it('decides for senders with --inbound', async () => {
    const r = await cli(['explain', '--policy', 'examples/policy.json', '--inbound', 'auszug@bank.example']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('auszug@bank.example  encrypt  TLS required  (rule)');
  });

  it('prints JSON with the decision data and the explanation', async () => {
    const r = await cli(['explain', '--policy', 'examples/policy.json', '--json', 'info@newsletter.example']);
    expect(r.code).toBe(0);
    const [decision] = JSON.parse(r.stdout) as Record<string, unknown>[];
    expect(decision).toMatchObject({
      address: 'info@newsletter.example',
      direction: 'outbound',
      level: 'may',
      tlsRequired: false,
      source: 'rule',
      rule: { pattern: 'newsletter.example' },
    });
    expect(decision?.['explain']).toContain('TLS optional');
  });

  it('reports a malformed address as one error line, explains the others, exits 1', async () => {
    const r = await cli(['explain', '--policy', 'examples/policy.json', 'kein-at-zeichen', 'a@gmx.example']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error EADDRESS: Invalid address "kein-at-zeichen"[^\n]*\n$/);
    expect(r.stdout).toContain('a@gmx.example  encrypt');
  });

  it('fails with one EPOLICY line naming the file and the field for an invalid policy file', async () => {
    const r = await cli(['explain', '--policy', 'test/fixtures/cli/broken-policy.json', 'a@b.example']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(
      /^error EPOLICY: test\/fixtures\/cli\/broken-policy\.json: .*outbound\.rules\[0\]\.level/,
    );
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('names the line of a JSON syntax error in the policy file', async () => {
    const r = await cli(['explain', '--policy', 'test/fixtures/cli/broken-json-policy.json', 'a@b.example']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error EPOLICY: broken-json-policy\.json: invalid JSON at line 4, column \d+/);
  });

  it('fails with EUSAGE without --policy or without addresses', async () => {
    const a = await cli(['explain', 'a@b.example']);
    expect(a.code).toBe(1);
    expect(a.stderr).toBe('error EUSAGE: missing --policy (see: forced-tls explain --help)\n');
    const b = await cli(['explain', '--policy', 'examples/policy.json']);
    expect(b.code).toBe(1);
    expect(b.stderr).toContain('error EUSAGE: name at least one address');
  });
});
