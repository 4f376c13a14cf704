import type { HostProbe, ProbeStatus } from './types.js';

// No conversation got as far as STARTTLS or its answer: nothing is known about the host's TLS.
const NOT_REACHED: ReadonlySet<ProbeStatus> = new Set<ProbeStatus>([
  'unreachable',
  'timeout',
  'protocol_error',
]);

/**
 * True when the probe learned what TLS the host offers: a session, or a definite "no" (STARTTLS
 * missing or refused, a failed handshake, only old versions). Unreachable hosts, timeouts and refused
 * greetings prove nothing.
 */
export function wasReached(host: Pick<HostProbe, 'status'>): boolean {
  return !NOT_REACHED.has(host.status);
}
