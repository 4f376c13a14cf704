import nodemailer, { type Transporter } from 'nodemailer';
import type SMTPConnection from 'nodemailer/lib/smtp-connection';
import { ForcedTlsError } from '../../errors/forced-tls-error.js';
import { isEhloName } from '../../internal/options.js';
import type { ForcedTlsSentMessageInfo } from '../outcome.js';
import type { Timeouts } from '../types.js';
import { refuseBypassOptions } from './bypass-options.js';
import { keepNodemailerContract } from './compatible-transport.js';
import { carryMailOptions } from './mail-options.js';
import type { NodemailerCompatibleError } from './nodemailer-contract.js';
import { forceTlsOptions, transporterInner, transporterPort } from './relay-option-shapes.js';
import type { ForceTlsOptions, RelayTransportOptions } from './relay-options.js';
import { createRelayTransport } from './relay-transport.js';

const SMTP_NAMES = new Set(['SMTP', 'SMTP (pool)']);

// nodemailer's time limits of the original, where it set them; `options.timeouts` wins per key.
const TIMEOUT_OPTIONS = {
  connectionTimeout: 'connect',
  greetingTimeout: 'greeting',
  socketTimeout: 'reply',
} as const;

function carriedTimeouts(
  source: Readonly<Record<string, unknown>>,
  own: Partial<Timeouts> | undefined,
): { timeouts?: Partial<Timeouts> } {
  const carried: Partial<Record<keyof Timeouts, number>> = {};
  for (const [option, key] of Object.entries(TIMEOUT_OPTIONS)) {
    const ms = source[option];
    if (typeof ms === 'number' && Number.isSafeInteger(ms) && ms > 0) carried[key] = ms;
  }
  if (Object.keys(carried).length === 0) return own === undefined ? {} : { timeouts: own };
  return { timeouts: { ...carried, ...(own ?? {}) } };
}

/**
 * Turns a nodemailer SMTP transporter the app already has into a relay-mode one with the same host,
 * port, auth, `servername`, `authMethod`, pool settings and time limits (`connectionTimeout`,
 * `greetingTimeout`, `socketTimeout` as `timeouts.connect`, `greeting`, `reply`) and TLS forced. It
 * fails where and how the original would have: a failure that is not about TLS rejects with
 * nodemailer's code and fields (`EAUTH` with `responseCode` 535, `EENVELOPE` with `rejected`, …) plus
 * the forced-tls report ({@link NodemailerCompatibleError}); only a TLS refusal is new (`ETLSREQUIRED`). The original's mail-level
 * options (`disableFileAccess`, `disableUrlAccess`, `maxRecipients`, `normalizeHeaderKey`, `dkim`)
 * carry over to the new transporter; plugins added with `use()` do not (add them again). Non-SMTP transports (sendmail, stream, JSON, SES) are
 * refused with `EUNSUPPORTED`; options that bypass TLS (`ignoreTLS`, `getSocket`, …) with `EPOLICY`.
 * The original transporter is left untouched; close it yourself if you no longer need it.
 *
 * @example
 * ```ts
 * const secured = forceTls(transporter, { policy, recipientProtection: 'requiretls' });
 * await secured.sendMail(message);
 * ```
 */
export function forceTls(
  transporter: Transporter<unknown>,
  input: ForceTlsOptions,
): Transporter<ForcedTlsSentMessageInfo> {
  const options = forceTlsOptions(input);
  const inner = transporterInner(transporter);
  if (!inner || typeof inner.name !== 'string' || !SMTP_NAMES.has(inner.name)) {
    throw new ForcedTlsError(
      'EUNSUPPORTED',
      `Only SMTP transporters can be secured, not ${String(inner?.name)}`,
      {
        path: 'transporter',
        value: inner?.name,
      },
    );
  }
  const source = inner.options;
  refuseBypassOptions(source);
  if (typeof source['host'] !== 'string') {
    throw new ForcedTlsError('EUNSUPPORTED', 'The transporter has no SMTP host to secure', { path: 'host' });
  }
  const tls = { ...((source['tls'] ?? {}) as object), ...(options.tls ?? {}) };
  const number = (key: string) => (typeof source[key] === 'number' ? { [key]: source[key] as number } : {});
  const text = (key: string) => (typeof source[key] === 'string' ? { [key]: source[key] as string } : {});
  const relay: RelayTransportOptions = {
    ...options,
    host: source['host'],
    ...(source['port'] === undefined ? {} : { port: transporterPort(source['port']) }),
    ...(typeof source['secure'] === 'boolean' ? { secure: source['secure'] } : {}),
    ...(source['auth'] ? { auth: source['auth'] as SMTPConnection.AuthenticationType } : {}),
    ...(source['pool'] === true ? { pool: true } : {}),
    ...number('maxConnections'),
    ...number('maxMessages'),
    ...(options.servername === undefined ? text('servername') : {}),
    ...(options.authMethod === undefined ? text('authMethod') : {}),
    ...(options.name === undefined && typeof source['name'] === 'string' && isEhloName(source['name'])
      ? { name: source['name'] }
      : {}),
    tls,
    ...carriedTimeouts(source, options.timeouts),
  };
  const defaults = (transporter as { _defaults?: object })._defaults;
  const transport = keepNodemailerContract(createRelayTransport(relay));
  const secured = nodemailer.createTransport<ForcedTlsSentMessageInfo>(transport, defaults);
  carryMailOptions(transporter, secured);
  return secured;
}
