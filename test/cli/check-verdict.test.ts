import { describe, expect, it } from 'vitest';
import { checkExitCode, verdictOf } from '../../src/cli/check-verdict.js';
import type { HostProbe, ProbeResult, ProbeStatus } from '../../src/probe/index.js';
import { satisfiedLevels } from '../../src/probe/index.js';

const TLS: ReadonlySet<ProbeStatus> = new Set([
  'starttls_ok',
  'cert_invalid',
  'cert_expired',
  'cert_name_mismatch',
]);

function host(status: ProbeStatus, i: number): HostProbe {
  return {
    host: `mx${i}.kanzlei.test`,
    priority: 10 * i,
    status,
    phase: 'done',
    reachable: status !== 'unreachable' && status !== 'timeout',
    ...(TLS.has(status) ? { protocol: 'TLSv1.3', cipher: 'TLS_AES_256_GCM_SHA384' } : {}),
    durationMs: 1,
  };
}

function result(...statuses: ProbeStatus[]): ProbeResult {
  const hosts = statuses.map(host);
  return {
    domain: 'kanzlei.test',
    checkedAt: '2027-01-01T00:00:00.000Z',
    resolution: 'mx',
    hosts,
    satisfies: satisfiedLevels(hosts),
    fingerprints: [],
  };
}

describe('check verdicts', () => {
  it.each<[ProbeStatus[], 'encrypt' | 'verify', string]>([
    [['starttls_ok', 'starttls_ok'], 'verify', 'ok'],
    [['cert_invalid', 'cert_expired'], 'encrypt', 'ok'],
    [['cert_invalid'], 'verify', 'fail'],
    // The TLS host meets encrypt; the only failing one could not be reached: no finding.
    [['cert_name_mismatch', 'unreachable'], 'encrypt', 'unknown'],
    // At verify the certificate is a finding, whatever the other host does.
    [['cert_name_mismatch', 'timeout'], 'verify', 'fail'],
    [['starttls_missing', 'timeout'], 'encrypt', 'fail'],
    [['timeout', 'unreachable'], 'verify', 'unknown'],
  ])('hosts %j at %s → %s', (statuses, level, verdict) => {
    expect(verdictOf(result(...statuses), level)).toBe(verdict);
  });

  it('is unknown for DNS failures and fails a domain without hosts', () => {
    expect(verdictOf({ ...result(), resolution: 'dns_error' }, 'encrypt')).toBe('unknown');
    expect(verdictOf({ ...result(), resolution: 'null_mx' }, 'encrypt')).toBe('fail');
    expect(checkExitCode(['ok', 'unknown', 'fail'])).toBe(2);
    expect(checkExitCode(['ok', 'unknown'])).toBe(3);
    expect(checkExitCode(['ok'])).toBe(0);
  });
});
