import { ForcedTlsError } from '../errors/index.js';
import { isArray, readShape } from '../internal/index.js';
import {
  type EnforcedRequirement,
  enforcedRequirement,
  type RequirementInput,
  TLS_LEVELS,
  TLS_VERSIONS,
  type TlsLevel,
} from '../policy/index.js';
import { mtaStsSecurePolicy } from './mta-sts-reply.js';
import type { ParsedPostfixVersion } from './postfix-version.js';
import type { PublishedFacts } from './published-types.js';
import { type PostfixTlsPolicy, tlsPolicyForRequirement } from './tls-policy-reply.js';

/** Which source a TLS policy answer enforces: the local decision, the MTA-STS policy or DANE. */
export type PublishedBasis = 'local' | 'mta-sts' | 'dane';

/** The answer for a domain key with what the recipient publishes: a Postfix policy, or `TEMP`. */
export type PublishedTlsAnswer =
  | {
      /** A policy to write with `formatTlsPolicy`. */
      readonly kind: 'policy';
      /** The Postfix policy: level and attributes. */
      readonly policy: PostfixTlsPolicy;
      /** What the transports would enforce for the same decision and publications. */
      readonly requirement: EnforcedRequirement;
      /** Which source the policy enforces. */
      readonly basis: PublishedBasis;
    }
  | {
      /** Nothing can be decided now: answer `TEMP` (Postfix defers). */
      readonly kind: 'temp';
      /** `EDNSSEC` (a bogus or failed DNSSEC lookup), `EMTASTS` (no usable MX pattern), or the MTA-STS resolver's code (`ESTORE`). */
      readonly code: string;
      /** Why, one line in English (for the log, not for Postfix). */
      readonly reason: string;
    };

const OPPORTUNISTIC: ReadonlySet<TlsLevel> = new Set(['may', 'dane']);
const SUBJECT = { subject: 'argument', optional: false } as const;
const DANE_STATES = ['off', 'failed', 'dane_required', 'partial', 'tls_required', 'no_dane'] as const;

// Bad arguments are EPOLICY naming the field, never a TypeError further down.
function checkArguments(decision: unknown, facts: unknown, version: unknown, now: unknown): void {
  readShape(
    decision,
    { level: TLS_LEVELS, minVersion: TLS_VERSIONS, fingerprints: 'array' },
    {
      ...SUBJECT,
      path: 'decision',
    },
  );
  const f = readShape(facts, { mtaSts: 'object', dane: 'object' }, { ...SUBJECT, path: 'facts' });
  const m = readShape(
    f.mtaSts,
    { status: ['off', 'resolved', 'failed'] },
    { ...SUBJECT, path: 'facts.mtaSts' },
  );
  const d = readShape(f.dane, { status: DANE_STATES }, { ...SUBJECT, path: 'facts.dane' });
  for (const [path, status] of [
    ['facts.mtaSts.status', m.status],
    ['facts.dane.status', d.status],
  ] as const) {
    if (status === undefined)
      throw new ForcedTlsError('EPOLICY', `Invalid argument ${path}: missing`, { path });
  }
  readShape(version, { major: 'number', minor: 'number' }, { ...SUBJECT, path: 'version' });
  readShape({ now }, { now: 'date' }, { ...SUBJECT, path: 'now' });
  const fingerprints = (decision as RequirementInput).fingerprints;
  if (!isArray(fingerprints) || fingerprints.some((fp) => typeof fp !== 'string')) {
    throw new ForcedTlsError('EPOLICY', 'Invalid argument decision.fingerprints: must be strings', {
      path: 'decision.fingerprints',
    });
  }
}

function pinned(requirement: EnforcedRequirement): boolean {
  const { level, fingerprints } = requirement;
  return (level === 'fingerprint' || level === 'qualified') && fingerprints.length > 0;
}

function dane(requirement: EnforcedRequirement, level: 'dane' | 'dane-only'): PostfixTlsPolicy {
  // `qualified` without pins already is `dane-only ciphers=high` (tlsPolicyForRequirement).
  const as = requirement.level === 'qualified' ? 'qualified' : level;
  return tlsPolicyForRequirement({ level: as, minVersion: requirement.minVersion, fingerprints: [] });
}

/**
 * The Postfix policy for a domain decision and what the recipient publishes: the stricter of the
 * two, as `enforcedRequirement` decides for the transports, in Postfix's words. Pure. In order:
 *
 * 1. a bogus or failed DNSSEC lookup → `TEMP` (`EDNSSEC`): never "no DANE", and never MTA-STS
 *    instead of a failing DANE; an MTA-STS resolver failure (`ESTORE`) → `TEMP`;
 * 2. a local pin (`fingerprint`, or `qualified` with fingerprints) → `fingerprint match=…`: the pin
 *    stays, whatever is published;
 * 3. usable TLSA records at every MX host → `dane-only` (DANE takes precedence over MTA-STS,
 *    RFC 8461 §2); at some hosts → `dane` where the local decision is opportunistic (`may`, `dane`)
 *    and no MTA-STS policy is enforced, else `dane-only` (Postfix's `dane` falls back to `may` at a
 *    host without TLSA records, which would be weaker than the local decision);
 * 4. local `dane-only` → `dane-only`;
 * 5. an MTA-STS `enforce` policy (fetched or cached) → `secure match=<patterns>` (see
 *    `mtaStsSecurePolicy`); `testing` and `none` change nothing (report only);
 * 6. otherwise the local decision, raised to `encrypt` when TLSA records exist but none is usable;
 *    local `dane` stays Postfix `dane` (Postfix does DANE itself where it finds TLSA records).
 *
 * A whitelist entry lowers only the local decision (to `may`); it never lowers a published requirement.
 * Bad arguments throw `EPOLICY` naming the field.
 *
 * @example
 * ```ts
 * publishedTlsPolicy(decision, { mtaSts: { status: 'resolved', resolution, rechecked: false }, dane: { status: 'off', hosts: [] } }, version, now);
 * // { kind: 'policy', basis: 'mta-sts', policy: { level: 'secure', … }, requirement: { level: 'verify', authentication: 'mta-sts', … } }
 * ```
 */
export function publishedTlsPolicy(
  decision: RequirementInput,
  facts: PublishedFacts,
  version: ParsedPostfixVersion,
  now: Date,
): PublishedTlsAnswer {
  checkArguments(decision, facts, version, now);
  const status = facts.dane.status;
  if (status === 'failed') {
    return { kind: 'temp', code: 'EDNSSEC', reason: facts.dane.message ?? 'a DNSSEC lookup failed' };
  }
  if (facts.mtaSts.status === 'failed') {
    return { kind: 'temp', code: facts.mtaSts.code, reason: facts.mtaSts.message };
  }
  const resolution = facts.mtaSts.status === 'resolved' ? facts.mtaSts.resolution : undefined;
  const enforce = resolution?.mode === 'enforce' && resolution.policy !== undefined ? resolution : undefined;
  const usable = status === 'dane_required' || status === 'partial';
  const published = usable ? 'dane' : enforce === undefined ? undefined : 'mta-sts';
  const requirement = enforcedRequirement(decision, {
    published,
    tlsaUnusable: status === 'tls_required',
  });
  const answer = (policy: PostfixTlsPolicy, basis: PublishedBasis, enforced = requirement) =>
    ({ kind: 'policy', policy, requirement: enforced, basis }) as const;

  if (pinned(requirement)) return answer(tlsPolicyForRequirement(requirement), 'local');
  if (requirement.authentication === 'dane') {
    const perHost = status === 'partial' && enforce === undefined && OPPORTUNISTIC.has(decision.level);
    return answer(dane(requirement, perHost ? 'dane' : 'dane-only'), 'dane');
  }
  if (requirement.level === 'dane-only') return answer(dane(requirement, 'dane-only'), 'local');
  if (requirement.authentication === 'mta-sts' && enforce !== undefined) {
    const secure = mtaStsSecurePolicy(requirement, enforce, version, now);
    if (secure === undefined) {
      return {
        kind: 'temp',
        code: 'EMTASTS',
        reason: 'the MTA-STS policy names no MX pattern Postfix can match',
      };
    }
    return answer(secure, 'mta-sts');
  }
  if (decision.level === 'dane' && requirement.level === 'may') {
    return answer(dane(requirement, 'dane'), 'local', { ...requirement, level: 'dane' });
  }
  return answer(tlsPolicyForRequirement(requirement), 'local');
}
