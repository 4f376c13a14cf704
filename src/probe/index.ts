/**
 * The TLS check of a domain's mail servers: `probeDomain`, the cached `createProber` and
 * `checkDomainLevel`.
 *
 * @module forced-tls/probe
 */
export type { DomainLevelCheck, LevelFailure } from './check-level.js';
export { checkDomainLevel } from './check-level.js';
export type { ProbeOptions, ProbeTimeouts } from './options.js';
export { probeDomain } from './probe-domain.js';
export type { Prober, ProberOptions } from './prober.js';
export { createProber } from './prober.js';
export { ENCRYPTED_STATUSES, satisfiedLevels } from './summarize.js';
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
