import { describe, expect, expectTypeOf, it } from 'vitest';
import type { MtaStsResolver } from '../../src/mta-sts/index.js';
import type { Authentication, Tier } from '../../src/policy/index.js';
import type {
  DomainTier,
  HostDane,
  HostMtaSts,
  HostProbe,
  HostRefusal,
  HostTier,
  ProbeOptions,
  ProbeResult,
  ProbeTier,
} from '../../src/probe/index.js';
import * as api from '../../src/probe/index.js';

describe('forced-tls/probe public surface', () => {
  it('exports the probe, the prober, the level check and the level summary', () => {
    expect(Object.keys(api).sort()).toEqual([
      'ENCRYPTED_STATUSES',
      'checkDomainLevel',
      'createProber',
      'probeDomain',
      'satisfiedLevels',
    ]);
  });

  it('types the tier, the MTA-STS and DANE parts and the refusal of a host', () => {
    expectTypeOf<ProbeTier>().toEqualTypeOf<Tier | 'unknown'>();
    expectTypeOf<DomainTier['authentication']>().toEqualTypeOf<Authentication>();
    expectTypeOf<HostMtaSts['mode']>().toEqualTypeOf<'enforce' | 'testing'>();
    expectTypeOf<HostDane['verdict']['ok']>().toEqualTypeOf<boolean>();
    expectTypeOf<HostRefusal['code']>().toEqualTypeOf<
      'EDNSSEC' | 'EDANEMISMATCH' | 'EDANEREQUIRED' | 'ENOSTARTTLS' | 'EMTASTS'
    >();
    expectTypeOf<HostProbe['tier']>().toEqualTypeOf<HostTier | undefined>();
    expectTypeOf<ProbeResult['tier']>().toEqualTypeOf<DomainTier | undefined>();
    expectTypeOf<ProbeOptions['mtaSts']>().toEqualTypeOf<MtaStsResolver | false | undefined>();
    expectTypeOf<ProbeOptions['bsiProfile']>().toEqualTypeOf<boolean | undefined>();
  });
});
