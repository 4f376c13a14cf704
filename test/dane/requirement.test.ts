import { X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  checkDaneSession,
  type DnssecLookup,
  type DnssecStatus,
  daneRequirement,
  type TlsaRecord,
  tlsaAssociationData,
  tlsaLookupNeeded,
} from '../../src/dane/index.js';
import { isForcedTlsError } from '../../src/errors/index.js';
import { createTestCa } from '../../src/testing/index.js';

const usable: TlsaRecord = { usage: 3, selector: 1, matchingType: 1, data: Buffer.alloc(32, 1) };
const pkixEe: TlsaRecord = { usage: 1, selector: 1, matchingType: 1, data: Buffer.alloc(32, 2) };
const badLength: TlsaRecord = { usage: 3, selector: 1, matchingType: 1, data: Buffer.alloc(20, 3) };

function lookup<T>(status: DnssecStatus, records: T[] = [], kind?: DnssecLookup<T>['kind']): DnssecLookup<T> {
  const k =
    kind ?? (status === 'bogus' || status === 'failed' ? 'error' : records.length > 0 ? 'records' : 'nodata');
  return { status, kind: k, records };
}

const mx = (status: DnssecStatus) => lookup(status, [{ exchange: 'mx.mandant.test', priority: 10 }]);
const addr = (status: DnssecStatus) => lookup(status, ['127.0.0.1']);
const tlsa = (status: DnssecStatus, records: TlsaRecord[] = [], kind?: DnssecLookup<TlsaRecord>['kind']) =>
  lookup(status, records, kind);

describe('RFC 7672 rules: from DNSSEC lookups to what the session must do', () => {
  it('secure MX and addresses + a usable TLSA record → DANE required (no PKIX, no plaintext fallback)', () => {
    const r = daneRequirement({
      mx: mx('secure'),
      addresses: [addr('secure')],
      tlsa: tlsa('secure', [usable, pkixEe]),
    });
    expect(r).toMatchObject({
      status: 'dane_required',
      reason: 'usable_tlsa',
      records: [usable],
      unusable: [pkixEe],
      dnssec: { mx: 'secure', address: 'secure', tlsa: 'secure' },
    });
    expect(r.code).toBeUndefined();
  });

  it('secure + only unusable records (PKIX usages, bad digest length) → TLS mandatory, unauthenticated', () => {
    const r = daneRequirement({
      mx: mx('secure'),
      addresses: [addr('secure')],
      tlsa: tlsa('secure', [pkixEe, badLength]),
    });
    expect(r).toMatchObject({
      status: 'tls_required',
      reason: 'unusable_tlsa',
      records: [],
      unusable: [pkixEe, badLength],
    });
  });

  it('authenticated denial of the TLSA name (secure NXDOMAIN or NODATA) → no DANE: MTA-STS or local policy', () => {
    for (const kind of ['nxdomain', 'nodata'] as const) {
      const r = daneRequirement({
        mx: mx('secure'),
        addresses: [addr('secure')],
        tlsa: tlsa('secure', [], kind),
      });
      expect(r).toMatchObject({ status: 'no_dane', reason: 'tlsa_denied', records: [] });
    }
  });

  it('an insecure MX RRset → TLSA not used (and not looked up)', () => {
    const lookups = { mx: mx('insecure'), addresses: [addr('secure')], tlsa: tlsa('secure', [usable]) };
    expect(tlsaLookupNeeded(lookups)).toBe(false);
    expect(daneRequirement(lookups)).toMatchObject({
      status: 'no_dane',
      reason: 'mx_insecure',
      dnssec: { mx: 'insecure' },
    });
  });

  it('an insecure address record (one of A/AAAA is enough) → TLSA not used (and not looked up)', () => {
    const lookups = { mx: mx('secure'), addresses: [addr('secure'), addr('insecure')] };
    expect(tlsaLookupNeeded(lookups)).toBe(false);
    expect(daneRequirement(lookups)).toMatchObject({ status: 'no_dane', reason: 'address_insecure' });
    expect(daneRequirement({ mx: mx('secure'), addresses: [] })).toMatchObject({
      reason: 'address_insecure',
    });
  });

  it('an insecure TLSA answer under secure MX and addresses → TLSA not used', () => {
    const r = daneRequirement({
      mx: mx('secure'),
      addresses: [addr('secure')],
      tlsa: tlsa('insecure', [usable]),
    });
    expect(r).toMatchObject({ status: 'no_dane', reason: 'tlsa_insecure' });
  });

  it.each(['bogus', 'failed'] as const)(
    'a %s MX lookup → defer the host (EDNSSEC, transient, TLS-RPT dnssec-invalid)',
    (status) => {
      const r = daneRequirement({ mx: lookup(status), addresses: [] });
      expect(r).toMatchObject({
        status: 'deferred',
        reason: 'mx_failed',
        code: 'EDNSSEC',
        transient: true,
        tlsRpt: 'dnssec-invalid',
      });
    },
  );

  it.each(['bogus', 'failed'] as const)(
    'a %s address lookup → defer the host, even next to a secure one',
    (status) => {
      const r = daneRequirement({ mx: mx('secure'), addresses: [addr('secure'), lookup(status)] });
      expect(r).toMatchObject({
        status: 'deferred',
        reason: 'address_failed',
        code: 'EDNSSEC',
        dnssec: { address: status },
      });
    },
  );

  it.each(['bogus', 'failed'] as const)('a %s TLSA lookup → defer the host, never "no TLSA"', (status) => {
    const r = daneRequirement({ mx: mx('secure'), addresses: [addr('secure')], tlsa: lookup(status) });
    expect(r).toMatchObject({
      status: 'deferred',
      reason: 'tlsa_failed',
      code: 'EDNSSEC',
      tlsRpt: 'dnssec-invalid',
    });
  });

  it('level dane-only: no usable TLSA → refused (EDANEREQUIRED, transient, TLS-RPT dane-required)', () => {
    const only = { level: 'dane-only' } as const;
    const cases = [
      { mx: mx('insecure'), addresses: [] },
      { mx: mx('secure'), addresses: [addr('insecure')] },
      { mx: mx('secure'), addresses: [addr('secure')], tlsa: tlsa('secure', [], 'nxdomain') },
      { mx: mx('secure'), addresses: [addr('secure')], tlsa: tlsa('secure', [pkixEe]) },
    ];
    for (const lookups of cases) {
      expect(daneRequirement(lookups, only)).toMatchObject({
        status: 'refused',
        code: 'EDANEREQUIRED',
        transient: true,
        tlsRpt: 'dane-required',
      });
    }
    const usableOnly = daneRequirement(
      { mx: mx('secure'), addresses: [addr('secure')], tlsa: tlsa('secure', [usable]) },
      only,
    );
    expect(usableOnly.status).toBe('dane_required');
  });

  it("insecureMx 'dane' and 'encrypt' (Postfix smtp_tls_dane_insecure_mx_policy) use secure TLSA behind an insecure MX", () => {
    const lookups = { mx: mx('insecure'), addresses: [addr('secure')], tlsa: tlsa('secure', [usable]) };
    expect(tlsaLookupNeeded(lookups, { insecureMx: 'dane' })).toBe(true);
    expect(daneRequirement(lookups, { insecureMx: 'dane' })).toMatchObject({ status: 'dane_required' });
    expect(daneRequirement(lookups, { insecureMx: 'encrypt' })).toMatchObject({
      status: 'tls_required',
      reason: 'mx_insecure',
    });
  });

  it('a needed TLSA lookup that was not given is a programming error (EPOLICY)', () => {
    try {
      daneRequirement({ mx: mx('secure'), addresses: [addr('secure')] });
      expect.unreachable();
    } catch (error) {
      expect(isForcedTlsError(error) && error.code).toBe('EPOLICY');
    }
  });
});

describe('checkDaneSession: the verdict after the handshake', () => {
  const leaf = new X509Certificate(createTestCa().issue({ names: ['mx.mandant.test'] }).cert);
  const matching: TlsaRecord = {
    usage: 3,
    selector: 1,
    matchingType: 1,
    data: tlsaAssociationData(leaf, 1, 1),
  };
  const names = ['mandant.test', 'mx.mandant.test'];
  const required = daneRequirement({
    mx: mx('secure'),
    addresses: [addr('secure')],
    tlsa: tlsa('secure', [matching]),
  });
  const unusable = daneRequirement({
    mx: mx('secure'),
    addresses: [addr('secure')],
    tlsa: tlsa('secure', [pkixEe]),
  });

  it('dane_required + matching chain → allowed, authentication dane', () => {
    expect(checkDaneSession(required, { chain: [leaf], names })).toMatchObject({
      ok: true,
      authentication: 'dane',
      fallback: false,
      match: { usage: 'dane-ee', record: matching },
    });
  });

  it('dane_required + other chain → refused EDANEMISMATCH (transient), never PKIX instead', () => {
    const other = daneRequirement({
      mx: mx('secure'),
      addresses: [addr('secure')],
      tlsa: tlsa('secure', [usable]),
    });
    expect(checkDaneSession(other, { chain: [leaf], names })).toMatchObject({
      ok: false,
      code: 'EDANEMISMATCH',
      transient: true,
      tlsRpt: 'tlsa-invalid',
    });
  });

  it('dane_required or tls_required without a TLS session → refused ENOSTARTTLS', () => {
    for (const requirement of [required, unusable]) {
      expect(checkDaneSession(requirement, { chain: undefined, names })).toMatchObject({
        ok: false,
        code: 'ENOSTARTTLS',
        tlsRpt: 'starttls-not-supported',
      });
    }
  });

  it('tls_required + any TLS session → allowed, unauthenticated', () => {
    expect(checkDaneSession(unusable, { chain: [leaf], names })).toEqual({
      ok: true,
      authentication: 'none',
      fallback: false,
    });
  });

  it('deferred and refused requirements never allow a session', () => {
    const deferred = daneRequirement({ mx: lookup('bogus'), addresses: [] });
    const refused = daneRequirement({ mx: mx('insecure'), addresses: [] }, { level: 'dane-only' });
    expect(checkDaneSession(deferred, { chain: [leaf], names })).toMatchObject({
      ok: false,
      code: 'EDNSSEC',
    });
    expect(checkDaneSession(refused, { chain: [leaf], names })).toMatchObject({
      ok: false,
      code: 'EDANEREQUIRED',
    });
  });

  it('no_dane → allowed as fallback: the local policy decides', () => {
    const none = daneRequirement({ mx: mx('insecure'), addresses: [] });
    expect(checkDaneSession(none, { chain: undefined, names })).toEqual({
      ok: true,
      authentication: 'none',
      fallback: true,
    });
  });
});
