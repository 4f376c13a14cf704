import { describe, expect, it } from 'vitest';
import { checkExitCode, judgeDomain, levelsMet } from '../../src/cli/check-verdict.js';
import type { TlsLevel } from '../../src/policy/index.js';
import type { HostDane, HostProbe, ProbeResult, ProbeStatus } from '../../src/probe/index.js';
import { satisfiedLevels } from '../../src/probe/index.js';

const TLS: ReadonlySet<ProbeStatus> = new Set([
  'starttls_ok',
  'cert_invalid',
  'cert_expired',
  'cert_name_mismatch',
]);

function host(status: ProbeStatus, i: number, extra: Partial<HostProbe> = {}): HostProbe {
  return {
    host: `mx${i}.kanzlei.test`,
    priority: 10 * i,
    status,
    phase: 'done',
    reachable: status !== 'unreachable' && status !== 'timeout',
    ...(TLS.has(status) ? { protocol: 'TLSv1.3', cipher: 'TLS_AES_256_GCM_SHA384' } : {}),
    durationMs: 1,
    ...extra,
  };
}

function result(...hosts: (ProbeStatus | HostProbe)[]): ProbeResult {
  const list = hosts.map((h, i) => (typeof h === 'string' ? host(h, i + 1) : h));
  return {
    domain: 'kanzlei.test',
    checkedAt: '2027-01-01T00:00:00.000Z',
    resolution: 'mx',
    hosts: list,
    satisfies: satisfiedLevels(list),
    fingerprints: [],
  };
}

const verdict = async (r: ProbeResult, level: TlsLevel, pins: string[] = []) =>
  (await judgeDomain(r, level, pins)).verdict;

const QUALIFIED = {
  tier: { tier: 'qualified', authentication: 'mta-sts', proven: ['mta-sts', 'pkix'], reasons: [] },
} as const;

// What the DNSSEC resolver found for a host DANE defers: a bogus answer, or a lookup that failed.
const deferred = (tlsa: 'bogus' | 'failed'): HostDane => ({
  status: 'deferred',
  reason: 'tlsa_failed',
  dnssec: { mx: 'secure', address: 'secure', tlsa },
  tlsa: [],
  verdict: { ok: false, code: 'EDNSSEC', transient: true, tlsRpt: 'dnssec-invalid', message: 'TLSA lookup' },
  message: 'TLSA lookup',
});
const refusedBy = (code: 'EDNSSEC' | 'EMTASTS') => ({
  by: code === 'EDNSSEC' ? ('dane' as const) : ('mta-sts' as const),
  code,
  transient: true,
  tlsRpt: 'x',
  message: code,
});

describe('check verdicts', () => {
  it.each<[ProbeStatus[], TlsLevel, string]>([
    [['starttls_ok', 'starttls_ok'], 'verify', 'ok'],
    [['cert_invalid', 'cert_expired'], 'encrypt', 'ok'],
    [['cert_invalid'], 'verify', 'fail'],
    // The TLS host meets encrypt; the only failing one could not be reached: no finding.
    [['cert_name_mismatch', 'unreachable'], 'encrypt', 'unknown'],
    // At verify the certificate is a finding, whatever the other host does.
    [['cert_name_mismatch', 'timeout'], 'verify', 'fail'],
    [['starttls_missing', 'timeout'], 'encrypt', 'fail'],
    [['timeout', 'unreachable'], 'verify', 'unknown'],
    // may: plaintext allowed; a host without a tier is never qualified (fail closed).
    [['starttls_missing'], 'may', 'ok'],
    [['starttls_ok'], 'qualified', 'fail'],
    // dane without usable TLSA records is opportunistic, as Postfix's level.
    [['starttls_missing'], 'dane', 'ok'],
  ])('hosts %j at %s → %s', async (statuses, level, expected) => {
    expect(await verdict(result(...statuses), level)).toBe(expected);
  });

  it('is unknown for DNS failures and fails a domain without hosts, at every level', async () => {
    expect(await verdict({ ...result(), resolution: 'dns_error' }, 'encrypt')).toBe('unknown');
    expect(await verdict({ ...result(), resolution: 'null_mx' }, 'encrypt')).toBe('fail');
    expect(await verdict({ ...result(), resolution: 'null_mx' }, 'may')).toBe('fail');
    expect(checkExitCode(['ok', 'unknown', 'fail'])).toBe(2);
    expect(checkExitCode(['ok', 'unknown'])).toBe(3);
    expect(checkExitCode(['ok'])).toBe(0);
  });

  it('qualified from the tier; a pinned certificate authenticates at fingerprint', async () => {
    const r = result(host('starttls_ok', 1, QUALIFIED));
    expect(await verdict(r, 'qualified')).toBe('ok');
    const fp = (byte: string) => Array(32).fill(byte).join(':');
    const certificate = { fingerprint256: fp('AB') } as NonNullable<HostProbe['certificate']>;
    const pinned = result(host('cert_invalid', 1, { certificate }));
    expect(await verdict(pinned, 'fingerprint', [fp('AB')])).toBe('ok');
    expect(await verdict(pinned, 'fingerprint', [fp('EF')])).toBe('fail');
    const judged = await judgeDomain(result('starttls_ok'), 'qualified');
    expect(judged).toMatchObject({
      code: 'ENOTQUALIFIED',
      reason: 'not_qualified',
      failing: ['mx1.kanzlei.test'],
    });
    expect(await levelsMet(result('starttls_ok'))).toEqual(['encrypt', 'verify']);
  });

  it('a host the recipient refuses fails the domain; a DNSSEC lookup that got no answer is no finding', async () => {
    const listedNot = host('starttls_ok', 2, { refused: refusedBy('EMTASTS') });
    const judged = await judgeDomain(result('starttls_ok', listedNot), 'encrypt');
    expect(judged).toMatchObject({ verdict: 'fail', code: 'EMTASTS', failing: ['mx2.kanzlei.test'] });
    const failed = host('starttls_ok', 1, { dane: deferred('failed'), refused: refusedBy('EDNSSEC') });
    expect(await verdict(result(failed), 'encrypt')).toBe('unknown');
    const bogus = host('starttls_ok', 1, { dane: deferred('bogus'), refused: refusedBy('EDNSSEC') });
    expect(await verdict(result(bogus), 'encrypt')).toBe('fail');
  });

  it('dane-only names the missing TLSA (EDANEREQUIRED), not MTA-STS', async () => {
    const judged = await judgeDomain(result('starttls_ok'), 'dane-only');
    expect(judged.hosts[0]).toMatchObject({
      ok: false,
      code: 'EDANEREQUIRED',
      reason: 'dane_required',
      detail: 'mx1.kanzlei.test: no usable DNSSEC-validated TLSA record: DANE not checked',
    });
  });
});
