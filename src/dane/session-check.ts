import type { X509Certificate } from 'node:crypto';
import { readArgument } from '../errors/index.js';
import { chainArgument, matchOptionsArgument, requirementArgument } from './check-arguments.js';
import { matchTlsa } from './match-tlsa.js';
import type { DaneMatched } from './match-types.js';
import type { DaneRequirement } from './requirement-types.js';
import type { DaneTlsRptResult, TlsaRecord } from './types.js';

/** What a session established, as {@link checkDaneSession} reads it. */
export interface DaneSessionFacts {
  /**
   * The chain the server presented after STARTTLS (leaf first, see `peerCertificateChain`), or
   * `undefined` when no TLS session was established (STARTTLS missing, refused or failed).
   */
  readonly chain: readonly X509Certificate[] | undefined;
  /** The reference identifiers for DANE-TA: the recipient domain and the MX host name. */
  readonly names: readonly string[];
  /** The time for DANE-TA validity checks. @default new Date() */
  readonly now?: Date;
}

/** A session that may carry the mail as far as DANE is concerned. */
export interface DaneSessionAllowed {
  /** Always true: the session may carry the mail. */
  readonly ok: true;
  /**
   * `dane`: a TLSA record authenticated the server (`match` says which); `none`: TLS without
   * authentication (`tls_required`), or DANE does not apply (`no_dane`: the local policy decides).
   */
  readonly authentication: 'dane' | 'none';
  /** True for `no_dane`: DANE said nothing, the rule's fallback (MTA-STS, local policy) applies. */
  readonly fallback: boolean;
  /** For `authentication` `dane`: the record that matched and where in the chain. */
  readonly match?: DaneMatched;
}

/** A session that must not carry the mail. */
export interface DaneSessionRefused {
  /** Always false: the session must not carry the mail. */
  readonly ok: false;
  /**
   * `EDNSSEC` (requirement `deferred`), `EDANEREQUIRED` (`refused`), `ENOSTARTTLS` (TLS mandatory,
   * no TLS session), `EDANEMISMATCH` (no usable TLSA record matched the chain).
   */
  readonly code: 'ENOSTARTTLS' | 'EDANEMISMATCH' | 'EDNSSEC' | 'EDANEREQUIRED';
  /** False only for `ENOSTARTTLS`; every other refusal is retried later. */
  readonly transient: boolean;
  /** The TLS-RPT result type (RFC 8460 §4.3.2) the refusal is reported as. */
  readonly tlsRpt: DaneTlsRptResult;
  /** For `EDANEMISMATCH` after DANE-TA: the record whose anchor matched. */
  readonly record?: TlsaRecord;
  /** A technical one-line description in English (the requirement's or the match's message). */
  readonly message: string;
}

/** The result of {@link checkDaneSession}. */
export type DaneSessionCheck = DaneSessionAllowed | DaneSessionRefused;

// The facts read once: `chain` undefined (no TLS) or a chain, and the DANE-TA names and time.
function sessionArgument(value: unknown): DaneSessionFacts {
  const { chain, ...match } = readArgument('facts', value, { chain: 'any', names: 'array', now: 'date' });
  const names = matchOptionsArgument('facts', match);
  return { ...names, chain: chain === undefined ? undefined : chainArgument('facts.chain', chain) };
}

/**
 * Whether a session to an MX host may carry mail under its {@link DaneRequirement}, after the
 * handshake (or after STARTTLS turned out to be missing): `deferred`/`refused` never may (the host
 * should not even be connected to); `dane_required` needs TLS and a chain that {@link matchTlsa}
 * authenticates; `tls_required` needs TLS, nothing more; `no_dane` leaves the decision to the
 * fallback. Pure: no I/O. Arguments of the wrong kind throw `EPOLICY` naming the field.
 *
 * @example
 * ```ts
 * const check = checkDaneSession(requirement, { chain: peerCertificateChain(socket), names: [domain, host] });
 * if (!check.ok) refuse(check.code, check.message); // never falls back to PKIX or plaintext
 * ```
 */
export function checkDaneSession(input: DaneRequirement, session: DaneSessionFacts): DaneSessionCheck {
  const requirement = requirementArgument(input);
  const facts = sessionArgument(session);
  const { status } = requirement;
  if (status === 'deferred' || status === 'refused') {
    return {
      ok: false,
      code: requirement.code ?? (status === 'deferred' ? 'EDNSSEC' : 'EDANEREQUIRED'),
      transient: true,
      tlsRpt: requirement.tlsRpt ?? (status === 'deferred' ? 'dnssec-invalid' : 'dane-required'),
      message: requirement.message,
    };
  }
  if (status === 'no_dane') return { ok: true, authentication: 'none', fallback: true };
  if (facts.chain === undefined) {
    return {
      ok: false,
      code: 'ENOSTARTTLS',
      transient: false,
      tlsRpt: 'starttls-not-supported',
      message: `DANE: TLS is mandatory for this host (${requirement.reason}), but no TLS session was established`,
    };
  }
  if (status === 'tls_required') return { ok: true, authentication: 'none', fallback: false };
  const match = matchTlsa(facts.chain, requirement.records, {
    names: facts.names,
    ...(facts.now === undefined ? {} : { now: facts.now }),
  });
  if (match.matched) return { ok: true, authentication: 'dane', fallback: false, match };
  return {
    ok: false,
    code: match.code,
    transient: true,
    tlsRpt: match.tlsRpt,
    ...(match.record === undefined ? {} : { record: match.record }),
    message: match.message,
  };
}
