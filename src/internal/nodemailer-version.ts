import SMTPConnection from 'nodemailer/lib/smtp-connection';
import { ForcedTlsError } from '../errors/index.js';

/** A version as `[major, minor, patch]`. */
export type Version = readonly [number, number, number];

/** nodemailer 7.0.12 added REQUIRETLS (RFC 8689, `requireTLSExtensionEnabled`); older ones ignore it. */
export const REQUIRETLS_SINCE: Version = [7, 0, 12];

/** nodemailer 9.0.3 began discarding plaintext buffered behind the `220` reply to STARTTLS. */
export const STARTTLS_DISCARD_SINCE: Version = [9, 0, 3];

let installed: string | undefined;

/** Parses `x.y.z` (anything after the patch number is ignored); an unreadable version is 0.0.0. */
export function parseVersion(text: string | undefined): Version {
  const match = /^(\d+)\.(\d+)\.(\d+)/.exec(text ?? '');
  return match ? [Number(match[1]), Number(match[2]), Number(match[3])] : [0, 0, 0];
}

/** True when `version` is `since` or newer. */
export function atLeast(version: string | undefined, since: Version): boolean {
  const v = parseVersion(version);
  for (let i = 0; i < 3; i++) {
    if (v[i]! !== since[i]!) return v[i]! > since[i]!;
  }
  return true;
}

/** The version of the nodemailer this library loaded (its `SMTPConnection` carries it). */
export function nodemailerVersion(): string {
  installed ??= String(new SMTPConnection({ logger: false }).version ?? '0.0.0');
  return installed;
}

/**
 * Throws `EUNSUPPORTED` naming the nodemailer version needed when the loaded nodemailer is older
 * than `since`: a feature it lacks is refused, never silently dropped.
 */
export function requireNodemailer(feature: string, since: Version, path?: string): void {
  const version = nodemailerVersion();
  if (atLeast(version, since)) return;
  throw new ForcedTlsError(
    'EUNSUPPORTED',
    `${feature} needs nodemailer ${since.join('.')} or newer; this is nodemailer ${version}`,
    { ...(path === undefined ? {} : { path }), value: version },
  );
}
