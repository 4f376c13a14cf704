import { errorCode, errorMessage } from '../internal/error-code.js';
import { PROTOCOL_VERSION_CODES } from '../internal/tls-errors.js';
import type { ProbePhase, ProbeStatus } from './types.js';

/** Ends a host probe early with a status: an expected outcome, turned into data by `probeHost`. */
export class ProbeStop extends Error {
  constructor(
    readonly status: ProbeStatus,
    readonly code: string,
    message: string,
    readonly phase?: ProbePhase,
  ) {
    super(message);
    this.name = 'ProbeStop';
  }
}

/** Turns any error thrown during a phase into a {@link ProbeStop}. */
export function toProbeStop(error: unknown, phase: ProbePhase): ProbeStop {
  if (error instanceof ProbeStop) return error;
  const code = errorCode(error) ?? 'EUNKNOWN';
  const message = errorMessage(error);
  if (code === 'ETIMEOUT' || code === 'ETIMEDOUT') return new ProbeStop('timeout', code, message, phase);
  // Refused, no address, no route: whatever stops the TCP connection makes the host unreachable.
  if (phase === 'connect') return new ProbeStop('unreachable', code, message, phase);
  if (phase === 'handshake') {
    const status = PROTOCOL_VERSION_CODES.has(code) ? 'tls_version_too_old' : 'handshake_failed';
    return new ProbeStop(status, code, message, phase);
  }
  return new ProbeStop('protocol_error', code, message, phase);
}
