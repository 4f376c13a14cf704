import type { ResolvedProbeOptions } from './options.js';
import { type HostConversation, probeHost } from './probe-host.js';
import { profileRefused } from './tls-offer.js';

/** A conversation, which offer its session came from, and the profile-only handshake's error. */
export interface OfferedConversation extends HostConversation {
  readonly handshake: 'profile' | 'default' | 'none';
  readonly profileError?: { readonly code: string; readonly message: string };
}

/**
 * Probes a host the way a sender meets it. With `bsiProfile` (the default) the handshake first
 * offers only the BSI TR-02102-2 profile, as a sender that applies the profile does (level
 * `qualified` needs it); when the server refuses that offer during negotiation, a second connection
 * offers Node's defaults, as the transports do at `encrypt` or `verify`, so a server outside the
 * profile is still seen with its TLS.
 */
export async function probeHostOffers(
  host: string,
  priority: number | undefined,
  options: ResolvedProbeOptions,
): Promise<OfferedConversation> {
  if (!options.bsiProfile) {
    const only = await probeHost(host, priority, options, 'default');
    return { ...only, handshake: only.session === undefined ? 'none' : 'default' };
  }
  const first = await probeHost(host, priority, options, 'profile');
  const refused = first.probe.status === 'handshake_failed' && profileRefused(first.probe.error?.code);
  if (!refused || first.probe.error === undefined) {
    return { ...first, handshake: first.session === undefined ? 'none' : 'profile' };
  }
  const second = await probeHost(host, priority, options, 'default');
  return {
    ...second,
    probe: { ...second.probe, durationMs: first.probe.durationMs + second.probe.durationMs },
    handshake: second.session === undefined ? 'none' : 'default',
    profileError: { code: first.probe.error.code, message: first.probe.error.message.trim() },
  };
}
