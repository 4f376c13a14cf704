import type { X509Certificate } from 'node:crypto';
import type { Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { peerCertificateChain } from '../dane/index.js';
import { readSessionFacts } from '../internal/session-facts.js';
import type { SessionFacts } from '../policy/index.js';
import { certificateStatus, evaluateCertificate } from './evaluate-certificate.js';
import type { ResolvedProbeOptions } from './options.js';
import { ProbeStop, toProbeStop } from './probe-stop.js';
import { ReplyReader, type SmtpReply } from './reply-reader.js';
import { openSocket, startTls, targetFor } from './sockets.js';
import type { TlsOffer } from './tls-offer.js';
import type { HostProbe, ProbePhase } from './types.js';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** What one SMTP conversation with a host showed: the probe fields, and the TLS session if there was one. */
export interface HostConversation {
  readonly probe: HostProbe;
  /** The session's TLS facts (`readSessionFacts`) and the presented chain, leaf first. */
  readonly session?: { readonly facts: SessionFacts; readonly chain: readonly X509Certificate[] };
}

const untrusted = (reply: SmtpReply) => ({ text: reply.raw, untrusted: true as const });

function ehloArgument(options: ResolvedProbeOptions, socket: Socket): string {
  if (options.ehloName !== undefined) return options.ehloName;
  const local = socket.localAddress ?? '127.0.0.1';
  return local.includes(':') ? `[IPv6:${local}]` : `[${local}]`;
}

/**
 * Probes one MX host: greeting → EHLO → STARTTLS → handshake (with `offer`) → EHLO → QUIT. Never
 * sends MAIL FROM. Always resolves; every expected failure becomes a status.
 */
export async function probeHost(
  host: string,
  priority: number | undefined,
  options: ResolvedProbeOptions,
  offer: TlsOffer = 'default',
): Promise<HostConversation> {
  const started = performance.now();
  let session: HostConversation['session'];
  const sockets: Socket[] = [];
  const track = (socket: Socket): void => void sockets.push(socket);
  const result: Mutable<Omit<HostProbe, 'durationMs'>> = {
    host,
    priority,
    status: 'protocol_error',
    phase: 'connect',
    reachable: false,
  };
  const reader = new ReplyReader();
  const { timeouts } = options;
  let plain: Socket | undefined;
  const command = async (line: string, phase: ProbePhase, timeout = timeouts.reply): Promise<SmtpReply> => {
    result.phase = phase;
    sockets.at(-1)?.write(`${line}\r\n`);
    return reader.read(timeout, phase);
  };
  const quit = async (): Promise<void> => {
    await command('QUIT', 'quit').catch(() => undefined);
  };
  try {
    const target = await targetFor(host, options);
    plain = await openSocket(target, timeouts.connect, track);
    result.reachable = true;
    reader.attach(plain);
    result.phase = 'greeting';
    const greeting = await reader.read(timeouts.greeting, 'greeting');
    result.banner = untrusted(greeting);
    if (greeting.code !== 220) {
      await quit();
      throw new ProbeStop('protocol_error', 'EPROTOCOL', `greeting ${greeting.code}`, 'greeting');
    }
    const ehlo = await command(`EHLO ${ehloArgument(options, plain)}`, 'ehlo');
    if (ehlo.code !== 250) {
      await quit();
      throw new ProbeStop('protocol_error', 'EPROTOCOL', `EHLO answered ${ehlo.code}`, 'ehlo');
    }
    result.starttlsOffered = ehlo.lines.slice(1).some((l) => /^STARTTLS\b/i.test(l));
    // Sent even when not advertised, as a TLS-enforcing sender does: a stripped EHLO must not decide.
    const reply = await command('STARTTLS', 'starttls');
    result.starttlsReply = untrusted(reply);
    if (reply.code !== 220) {
      await quit();
      const status = result.starttlsOffered ? 'starttls_refused' : 'starttls_missing';
      throw new ProbeStop(status, 'ESTARTTLS', `STARTTLS answered ${reply.code}`, 'starttls');
    }
    // RFC 3207 §6: nothing received before the handshake may be used after it.
    result.discardedBytes = reader.detach();
    result.phase = 'handshake';
    const secure = await startTls(plain, host, options, track, offer).catch((error: unknown) => {
      throw toProbeStop(error, 'handshake');
    });
    const protocol = secure.getProtocol();
    const cipher = secure.getCipher()?.name;
    if (protocol) result.protocol = protocol;
    if (cipher) result.cipher = cipher;
    const certificate = evaluateCertificate(secure, host, options.clock());
    if (certificate !== undefined) result.certificate = certificate;
    result.status = certificateStatus(certificate);
    // Both read getPeerCertificate() only (see readSessionFacts on Node 20).
    session = { facts: readSessionFacts(secure, { name: host }), chain: peerCertificateChain(secure) };
    reader.attach(secure);
    const ehloTls = await command(`EHLO ${ehloArgument(options, plain)}`, 'ehlo-tls');
    if (ehloTls.code === 250) result.extensionsTls = ehloTls.lines.slice(1);
    await quit();
    result.phase = 'done';
  } catch (error) {
    const stop = toProbeStop(error, result.phase);
    if (stop.phase !== undefined) result.phase = stop.phase;
    // After a successful handshake the TLS verdict stands; later trouble is only recorded.
    if (result.protocol === undefined) result.status = stop.status;
    result.error = { code: stop.code, message: stop.message };
  } finally {
    for (const socket of sockets) socket.destroy();
  }
  const probe = { ...result, durationMs: Math.round(performance.now() - started) };
  return session === undefined ? { probe } : { probe, session };
}
