import type { TLSSocket } from 'node:tls';
import {
  checkDaneSession,
  type DaneRequirement,
  type DaneSessionCheck,
  peerCertificateChain,
} from '../../dane/index.js';
import { readSessionFacts } from '../../internal/session-facts.js';
import type { MtaStsMode, MtaStsSource } from '../../mta-sts/index.js';
import { assessTier, type SessionFacts, type TierAssessment } from '../../policy/index.js';
import type { AchievedTls, DaneEvidence, MtaStsEvidence } from '../types.js';

/** What the recipient publishes about one MX host, for a session to it to prove. */
export interface SessionAuthentication {
  /** The host's DANE requirement from DNSSEC (a DNSSEC resolver is configured). */
  readonly dane?: DaneRequirement;
  /** The names a DANE-TA certificate may carry: the recipient domain and the MX host (Postfix's "nexthop, hostname"). */
  readonly names?: readonly string[];
  /** The recipient domain's MTA-STS policy and whether this host matched one of its patterns. */
  readonly mtaSts?: {
    readonly mode: MtaStsMode;
    readonly source: MtaStsSource;
    readonly id?: string | undefined;
    readonly pattern?: string | undefined;
  };
}

/** What a TLS session proved about the server, beyond the certificate check of its level. */
export interface SessionProof {
  readonly assessment: TierAssessment;
  /** The DANE verdict, when the host has a DANE requirement. */
  readonly dane?: DaneSessionCheck;
  readonly daneEvidence?: DaneEvidence;
  readonly mtaStsEvidence?: MtaStsEvidence;
}

/**
 * Judges a connected TLS socket for the tier model: its TLS facts (`readSessionFacts`: protocol,
 * suite, group, key; chain, name, DNS SAN, pin), the DANE match against the host's TLSA records
 * (`checkDaneSession`, with the chain the server presented) and the MTA-STS facts. DANE decides a host
 * that has usable TLSA records: MTA-STS is then not consulted (RFC 8461 §2). Pure apart from reading
 * the socket.
 */
export function proveSession(
  socket: TLSSocket,
  host: string,
  fingerprints: readonly string[],
  authentication: SessionAuthentication | undefined,
  now: Date,
): SessionProof {
  const facts = readSessionFacts(socket, { name: host, fingerprints });
  const dane = authentication?.dane;
  const check =
    dane === undefined
      ? undefined
      : checkDaneSession(dane, {
          chain: peerCertificateChain(socket),
          names: authentication?.names ?? [host],
          now,
        });
  const daneDecides = dane?.status === 'dane_required';
  const sts = authentication?.mtaSts;
  const all: SessionFacts = {
    ...facts,
    ...(check === undefined ? {} : { daneAuthenticated: check.ok && check.authentication === 'dane' }),
    ...(sts === undefined || daneDecides
      ? {}
      : { mtaStsMode: sts.mode, mtaStsMxMatched: sts.pattern !== undefined }),
  };
  return {
    assessment: assessTier(all),
    ...(check === undefined ? {} : { dane: check }),
    ...(dane === undefined ? {} : { daneEvidence: daneEvidence(dane, check) }),
    ...(sts === undefined ? {} : { mtaStsEvidence: mtaStsEvidence(sts, daneDecides) }),
  };
}

/**
 * What a pooled session must share with a new delivery for its proof to hold: the DANE requirement
 * (status and records) and the MTA-STS mode and matched pattern. Where the policy came from and its
 * id do not change what the session proved; {@link withCurrentPolicy} reports them per message.
 */
export function proofKey(authentication: SessionAuthentication | undefined): string {
  const dane = authentication?.dane;
  const records = (dane?.records ?? [])
    .map((r) => `${r.usage} ${r.selector} ${r.matchingType} ${Buffer.from(r.data).toString('hex')}`)
    .join(',');
  const sts = authentication?.mtaSts;
  return [
    dane?.status ?? '',
    records,
    (authentication?.names ?? []).join(','),
    sts?.mode ?? '',
    sts?.pattern ?? '',
  ].join('/');
}

/**
 * The evidence of a (possibly reused) session with this message's MTA-STS facts: the policy's
 * source and id as they were looked up for this message, so a cached policy says it was cached.
 */
export function withCurrentPolicy(
  evidence: AchievedTls | undefined,
  authentication: SessionAuthentication | undefined,
): AchievedTls | undefined {
  const sts = authentication?.mtaSts;
  if (evidence?.mtaSts === undefined || sts === undefined) return evidence;
  const { id: _previous, ...rest } = evidence.mtaSts;
  const mtaSts = { ...rest, source: sts.source, ...(sts.id === undefined ? {} : { id: sts.id }) };
  return { ...evidence, mtaSts };
}

function daneEvidence(dane: DaneRequirement, check: DaneSessionCheck | undefined): DaneEvidence {
  const match = check?.ok === true ? check.match : undefined;
  return {
    status: dane.status,
    dnssec: dane.dnssec,
    ...(match === undefined
      ? {}
      : {
          record: {
            usage: match.record.usage,
            selector: match.record.selector,
            matchingType: match.record.matchingType,
          },
        }),
  };
}

function mtaStsEvidence(
  sts: NonNullable<SessionAuthentication['mtaSts']>,
  daneDecides: boolean,
): MtaStsEvidence {
  return {
    mode: sts.mode,
    source: sts.source,
    ...(sts.id === undefined ? {} : { id: sts.id }),
    mxMatched: sts.pattern !== undefined,
    ...(sts.pattern === undefined ? {} : { pattern: sts.pattern }),
    // DANE decides a host with usable TLSA records (RFC 8461 §2): the policy then authenticates nothing.
    applied: !daneDecides && sts.mode === 'enforce',
  };
}
