import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isForcedTlsError } from '../../src/errors/forced-tls-error.js';
import { loadPolicyFile } from '../../src/policy-file/load-policy-file.js';

describe('loadPolicyFile', () => {
  it('reads a policy file and names its lines in explain()', async () => {
    const policy = await loadPolicyFile(
      fileURLToPath(new URL('../../examples/policy.json', import.meta.url)),
    );
    expect(policy.outbound('schaden@kfz.versicherung.example').explain()).toMatch(
      /by rule \*\.versicherung\.example \(line \d+ of policy\.json, "framework contract/,
    );
  });

  it('turns a missing file into EPOLICY naming the path', async () => {
    const error = await loadPolicyFile('/nonexistent/forced-tls/policy.json').catch((e: unknown) => e);
    expect(isForcedTlsError(error) && error.code).toBe('EPOLICY');
    expect((error as Error).message).toContain('/nonexistent/forced-tls/policy.json');
  });
});
