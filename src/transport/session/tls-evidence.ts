import { checkServerIdentity, type PeerCertificate, type TLSSocket } from 'node:tls';
import { ERROR_CODES, type RecipientCode } from '../../errors/codes.js';
import { certificateCode } from '../../internal/tls-errors.js';
import { type TlsFacts, type TlsRequirement, tlsShortfall } from '../../policy/requirement.js';
import { type Refusal, refusal } from '../refusal.js';
import type { AchievedTls } from '../types.js';
import { proveSession, type SessionProof } from './session-authentication.js';

/** What a session must prove about its TLS before MAIL FROM: the policy's requirement, plus the relay's opt-in. */
export interface SessionRequirement extends TlsRequirement {
  /** Relay mode with an explicit opt-in: an unverified relay certificate is accepted. */
  readonly allowUnverified?: boolean;
}

/**
 * Node's own name check (never a caller-supplied one), run again on every session: `undefined` when the
 * certificate names `name`, else Node's error code (`ERR_TLS_CERT_ALTNAME_INVALID`).
 */
function nameMismatch(name: string, cert: PeerCertificate | undefined): string | undefined {
  if (cert === undefined || Object.keys(cert).length === 0) return 'ERR_TLS_CERT_ALTNAME_INVALID';
  const error = checkServerIdentity(name, cert) as (Error & { code?: string }) | undefined;
  return error === undefined ? undefined : (error.code ?? 'ERR_TLS_CERT_ALTNAME_INVALID');
}

/**
 * Reads the achieved TLS from a connected socket; `undefined` when the socket is not TLS.
 * `certificateVerified` means the chain was trusted (Node's `authorized`) AND Node's own
 * `checkServerIdentity` found `servername` (default: `host`) in the certificate. The tier and the
 * authentication come from `proof` (what the recipient publishes, judged by `proveSession`); without
 * one the session is judged on its own TLS facts.
 */
export function readEvidence(
  socket: unknown,
  host: string,
  servername?: string,
  proof?: SessionProof,
): AchievedTls | undefined {
  const tls = socket as Partial<TLSSocket> | null | undefined;
  if (!tls || typeof tls.getProtocol !== 'function' || tls.encrypted !== true) return undefined;
  const { assessment, daneEvidence, mtaStsEvidence } =
    proof ?? proveSession(tls as TLSSocket, servername ?? host, [], undefined, new Date());
  const protocol = tls.getProtocol() ?? 'unknown';
  const cipher = tls.getCipher?.()?.name ?? 'unknown';
  const cert = tls.getPeerCertificate?.(false);
  const mismatch = tls.authorized === true ? nameMismatch(servername ?? host, cert) : undefined;
  const nodeError = tls.authorizationError == null ? undefined : String(tls.authorizationError);
  const authorizationError = mismatch ?? nodeError;
  const pick = (value: unknown): string | undefined =>
    Array.isArray(value) ? String(value[0]) : typeof value === 'string' ? value : undefined;
  return {
    protocol,
    cipher,
    certificateVerified: tls.authorized === true && mismatch === undefined,
    ...(authorizationError === undefined ? {} : { authorizationError }),
    ...(cert?.subject?.CN === undefined ? {} : { subject: pick(cert.subject.CN) ?? '' }),
    ...(cert?.issuer?.CN === undefined ? {} : { issuer: pick(cert.issuer.CN) ?? '' }),
    ...(cert?.valid_to ? { validTo: isoOrRaw(cert.valid_to) } : {}),
    ...(cert?.fingerprint256 ? { fingerprint256: cert.fingerprint256 } : {}),
    mx: host,
    tier: assessment.tier,
    authentication: assessment.authentication,
    proven: assessment.proven,
    tierReasons: assessment.reasons,
    ...(daneEvidence === undefined ? {} : { dane: daneEvidence }),
    ...(mtaStsEvidence === undefined ? {} : { mtaSts: mtaStsEvidence }),
  };
}

/** A TLS requirement the session did not meet: the policy's judgement named as a refusal code. */
export interface EvidenceShortfall {
  readonly code: RecipientCode;
  readonly reason: string;
}

/**
 * Judges achieved TLS against a requirement with the policy's one judgement (`tlsShortfall`) and
 * names the refusal. `undefined` means it holds. Run after the post-TLS EHLO and before MAIL FROM or
 * AUTH, so nothing of the message is sent over a session that fails it.
 */
export function checkEvidence(
  evidence: AchievedTls | undefined,
  requirement: SessionRequirement,
  starttlsAdvertised = false,
): EvidenceShortfall | undefined {
  const facts: TlsFacts = {
    protocol: evidence?.protocol,
    certificateVerified: evidence?.certificateVerified === true || requirement.allowUnverified === true,
    fingerprint256: evidence?.fingerprint256,
    tier: evidence?.tier,
    proven: evidence?.proven,
  };
  const shortfall = tlsShortfall(facts, requirement);
  return nameShortfall(shortfall, evidence, requirement, starttlsAdvertised);
}

function nameShortfall(
  shortfall: ReturnType<typeof tlsShortfall>,
  evidence: AchievedTls | undefined,
  requirement: SessionRequirement,
  starttlsAdvertised: boolean,
): EvidenceShortfall | undefined {
  switch (shortfall) {
    case undefined:
      return undefined;
    case 'tls_missing':
      return starttlsAdvertised
        ? { code: 'ESTARTTLSREFUSED', reason: 'the session did not reach TLS' }
        : { code: 'ENOSTARTTLS', reason: 'the session is not encrypted' };
    case 'tls_version_too_old':
      return { code: 'ETLSVERSION', reason: `${evidence?.protocol} is below ${requirement.minVersion}` };
    case 'certificate_unverified': {
      const code = certificateCode(evidence?.authorizationError) ?? 'ECERTUNTRUSTED';
      return {
        code,
        reason: `certificate not verified: ${evidence?.authorizationError ?? 'unknown reason'}`,
      };
    }
    case 'fingerprint_not_pinned': {
      const fp = evidence?.fingerprint256?.toUpperCase();
      return { code: 'EFINGERPRINT', reason: `certificate fingerprint ${fp ?? 'missing'} is not pinned` };
    }
    case 'not_qualified':
      return {
        code: 'ENOTQUALIFIED',
        reason: `the session is ${evidence?.tier ?? 'not'} qualified: ${reasonsOf(evidence)}`,
      };
    case 'authentication_missing':
      return authenticationMissing(evidence, requirement);
    default: {
      // A shortfall without a refusal here would deliver: every new one must be named above.
      const unnamed: never = shortfall;
      return { code: 'EPROTOCOL', reason: `unhandled TLS shortfall ${String(unnamed)}` };
    }
  }
}

function reasonsOf(evidence: AchievedTls | undefined): string {
  return evidence?.tierReasons.map((r) => r.text).join('; ') || 'no TLS';
}

// What the recipient published and the session did not prove: DANE (its TLSA records did not match)
// or MTA-STS (an `enforce` policy: the certificate or the MX name failed); `dane-only` without DANE.
function authenticationMissing(
  evidence: AchievedTls | undefined,
  requirement: SessionRequirement,
): EvidenceShortfall {
  if (requirement.authentication === 'dane') {
    const why =
      evidence?.dane?.status === 'dane_required' ? 'none of the TLSA records matched' : 'DANE did not apply';
    return { code: 'EDANEMISMATCH', reason: `DANE: ${why} (${reasonsOf(evidence)})` };
  }
  if (requirement.authentication === 'mta-sts') {
    return {
      code: 'EMTASTS',
      reason: `MTA-STS enforce: the session did not authenticate the MX (${reasonsOf(evidence)})`,
    };
  }
  return { code: 'EDANEREQUIRED', reason: 'level dane-only: no usable DNSSEC-validated TLSA record' };
}

/**
 * A certificate or TLS version failure where the recipient's MTA-STS `enforce` policy applies is the
 * policy's refusal (`EMTASTS`, at the same phase): RFC 8461 §5 has such failures "treated as
 * transient", since a fixed certificate or a new policy may deliver on a retry. The message keeps
 * the underlying code. Anything else is returned unchanged.
 */
export function underPublishedPolicy(why: Refusal, requirement: SessionRequirement): Refusal {
  const policyFailure = why.code.startsWith('ECERT') || why.code === 'ETLSVERSION';
  if (requirement.authentication !== 'mta-sts' || !policyFailure) return why;
  return refusal('EMTASTS', why.phase, `MTA-STS enforce: ${why.code} ${why.message}`, {
    command: why.command,
    response: why.response,
    responseCode: why.responseCode,
    untrusted: why.untrusted,
  });
}

/** The refusal of a session whose TLS fell short: at `certificate` for certificate, pin and authentication failures, else `handshake`. */
export function evidenceRefusal(shortfall: EvidenceShortfall): Refusal {
  const certificate =
    shortfall.code.startsWith('ECERT') ||
    ['EFINGERPRINT', 'EDANEMISMATCH', 'EMTASTS', 'ENOTQUALIFIED'].includes(shortfall.code);
  const message = `${ERROR_CODES[shortfall.code].summary}: ${shortfall.reason}`;
  return refusal(shortfall.code, certificate ? 'certificate' : 'handshake', message);
}

// Node prints `valid_to` as `Dec 27 14:21:35 2026 GMT`; reports use ISO 8601, as the probe does.
function isoOrRaw(printed: string): string {
  const time = Date.parse(printed);
  return Number.isNaN(time) ? printed : new Date(time).toISOString();
}
