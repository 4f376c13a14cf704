import { describe, expect, expectTypeOf, it } from 'vitest';
import { ERROR_CODES, isTlsRefusalCode, userMessage } from '../../src/errors/index.js';
import type {
  MtaStsCacheEntry,
  MtaStsCacheStore,
  MtaStsFailure,
  MtaStsRecheck,
  MtaStsResolution,
  MtaStsResultType,
  MtaStsSource,
} from '../../src/mta-sts/index.js';
import * as api from '../../src/mta-sts/index.js';

describe('forced-tls/mta-sts public surface', () => {
  it('exports the resolver, the lookups, the parsers, the matcher and the stores', () => {
    expect(Object.keys(api).sort()).toEqual([
      'FileMtaStsCacheStore',
      'MAX_MTA_STS_MAX_AGE',
      'MAX_MTA_STS_POLICY_BYTES',
      'MTA_STS_CACHE_FILE_FORMAT',
      'MTA_STS_CACHE_FILE_VERSION',
      'MTA_STS_MODES',
      'MTA_STS_POLICY_PATH',
      'MTA_STS_RESULT_TYPES',
      'MTA_STS_TXT_PREFIX',
      'MemoryMtaStsCacheStore',
      'checkPolicyHostIdentity',
      'createMtaStsResolver',
      'describeCacheEntryProblem',
      'discoverMtaSts',
      'fetchMtaStsPolicy',
      'findCacheEntryProblem',
      'isMxPattern',
      'lookupMtaSts',
      'matchingMxPattern',
      'mtaStsFailure',
      'mxMatches',
      'parseMtaStsPolicy',
      'parseMtaStsTxt',
    ]);
    expect(api.MAX_MTA_STS_POLICY_BYTES).toBe(65_536);
    expect(api.MAX_MTA_STS_MAX_AGE).toBe(31_557_600);
    expect(api.MTA_STS_RESULT_TYPES).toEqual([
      'sts-policy-fetch-error',
      'sts-policy-invalid',
      'sts-webpki-invalid',
    ]);
  });

  it('types the provenance, the failure data and the store interface', () => {
    expectTypeOf<MtaStsSource>().toEqualTypeOf<'fetched' | 'renewed' | 'cached' | 'none'>();
    expectTypeOf<MtaStsResolution['mode']>().toEqualTypeOf<'enforce' | 'testing' | 'none'>();
    expectTypeOf<MtaStsRecheck>().toMatchTypeOf<MtaStsResolution & { changed: boolean }>();
    expectTypeOf<MtaStsFailure['resultType']>().toEqualTypeOf<MtaStsResultType>();
    expectTypeOf<MtaStsCacheStore['list']>().toEqualTypeOf<
      (() => Promise<readonly MtaStsCacheEntry[]>) | undefined
    >();
  });

  it('EMTASTS: a transient TLS refusal code with German and English texts', () => {
    expect(ERROR_CODES.EMTASTS).toMatchObject({ category: 'recipient', transient: true, tls: true });
    expect(isTlsRefusalCode('EMTASTS')).toBe(true);
    expect(userMessage('EMTASTS', 'de', 'mandant.de')).toContain('MTA-STS-Richtlinie');
    expect(userMessage('EMTASTS', 'en', 'mandant.de')).toContain('MTA-STS policy');
  });

  it('findCacheEntryProblem names the field at fault, also for an entry that cannot be read; describeCacheEntryProblem words it', () => {
    const entry = {
      domain: 'mandant.test',
      id: 'abc123',
      policy: { version: 'STSv1', mode: 'enforce', maxAge: 60, mx: ['mx.mandant.test'], lines: [] },
      fetchedAt: '2026-01-15T09:30:00.000Z',
      checkedAt: '2026-01-15T09:30:00.000Z',
      expiresAt: '2026-01-15T09:31:00.000Z',
    };
    expect(api.findCacheEntryProblem(entry)).toBeUndefined();
    const bad = api.findCacheEntryProblem({
      ...entry,
      policy: { ...entry.policy, mx: ['mx.mandant.test', 'MX'] },
    });
    expect(bad).toEqual({ path: 'policy.mx[1]', why: 'must be a lowercase mx pattern' });
    expect(api.describeCacheEntryProblem(bad!)).toBe(
      'entry field policy.mx[1] must be a lowercase mx pattern',
    );
    const revoked = Proxy.revocable({}, {});
    revoked.revoke();
    const throwing = Object.defineProperty({ ...entry }, 'id', {
      enumerable: true,
      get: () => {
        throw new Error('boom');
      },
    });
    for (const unreadable of [revoked.proxy, throwing, { ...entry, policy: revoked.proxy }]) {
      expect(api.findCacheEntryProblem(unreadable)).toEqual({
        path: '',
        why: 'cannot be read (reading it threw)',
      });
    }
    expect(api.describeCacheEntryProblem({ path: '', why: 'must be an object' })).toBe(
      'entry must be an object',
    );
  });

  it('mtaStsFailure maps each reason to its TLS-RPT result type', () => {
    const at = new Date('2026-01-15T09:30:00.000Z');
    expect(api.mtaStsFailure('certificate_invalid', 'x', at).resultType).toBe('sts-webpki-invalid');
    expect(api.mtaStsFailure('policy_invalid', 'x', at).resultType).toBe('sts-policy-invalid');
    expect(api.mtaStsFailure('timeout', 'x', at)).toEqual({
      reason: 'timeout',
      resultType: 'sts-policy-fetch-error',
      message: 'x',
      at: '2026-01-15T09:30:00.000Z',
    });
  });
});
