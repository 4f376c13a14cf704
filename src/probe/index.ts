/**
 * The TLS check of a domain's mail servers: `probeDomain`, the cached `createProber` and
 * `checkDomainLevel`.
 *
 * @module forced-tls/probe
 */
export type { ConnectHook, ConnectTarget, MxRecord, Resolver } from '../dns/index.js';
export type { HostBsi } from './bsi-types.js';
export type { DomainLevelCheck, LevelFailure } from './check-level.js';
export { checkDomainLevel } from './check-level.js';
export type { HostDane, HostDaneMatch, ProbeDane, ProbeTlsa } from './dane-types.js';
export type { MtaStsOff } from './mta-sts-option.js';
export type { HostMtaSts, HostMtaStsVerdict, ProbeMtaSts } from './mta-sts-types.js';
export type { ProbeOptions, ProbeTimeouts } from './options.js';
export { probeDomain } from './probe-domain.js';
export type { Prober, ProberOptions } from './prober.js';
export { createProber } from './prober.js';
export { ENCRYPTED_STATUSES, satisfiedLevels } from './summarize.js';
export type {
  DomainTier,
  HostRefusal,
  HostTier,
  ProbeReason,
  ProbeReasonCode,
  ProbeTier,
} from './tier-types.js';
export type {
  HostProbe,
  ProbeCertificate,
  ProbeLevels,
  ProbePhase,
  ProbeResolution,
  ProbeResult,
  ProbeStatus,
  UntrustedText,
} from './types.js';
