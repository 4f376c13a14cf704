import type { MailMessage } from 'nodemailer/lib/mailer';
import type SMTPConnection from 'nodemailer/lib/smtp-connection';
import { REQUIRETLS_SINCE, requireNodemailer } from '../internal/nodemailer-version.js';

/** A message ready for delivery: the envelope and the raw bytes, read once. */
export interface PreparedMessage {
  readonly from: string;
  /** Envelope recipients (To, Cc, Bcc, or the explicit envelope), de-duplicated by nodemailer. */
  readonly to: readonly string[];
  readonly messageId: string;
  /** The raw message, built and read on first use and kept for further deliveries. */
  body(): Promise<Buffer>;
  readonly dsn?: SMTPConnection.DSNOptions;
  readonly use8BitMime?: boolean;
  /** The sender asked for REQUIRETLS on this message (`requireTLSExtensionEnabled`). */
  readonly requireTls: boolean;
}

function address(value: unknown): string {
  if (typeof value === 'string') return value.trim();
  if (value && typeof value === 'object' && 'address' in value) return String(value.address ?? '').trim();
  return '';
}

function read(mail: MailMessage): Promise<Buffer> {
  // Plain stream events: an async iterator costs a promise per chunk on the hot path.
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const stream = mail.message.createReadStream();
    stream.on('data', (chunk: Buffer | string) =>
      chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk),
    );
    stream.once('error', reject);
    stream.once('end', () => resolve(Buffer.concat(chunks)));
  });
}

/**
 * Reads what a transport needs from nodemailer's mail object. The body is built only when the first
 * session is ready (so connecting overlaps with building), then buffered: one message may go out in
 * several transactions (split by domain or level) and to a second MX after the first failed, and a
 * stream could be read only once.
 */
export function prepareMessage(mail: MailMessage): PreparedMessage {
  const envelope = mail.message.getEnvelope() as { from?: unknown; to?: unknown; use8BitMime?: boolean };
  const to = ([] as unknown[])
    .concat(envelope.to ?? [])
    .map(address)
    .filter((a) => a.length > 0);
  const requireTls = mail.data.requireTLSExtensionEnabled === true;
  if (requireTls) requireNodemailer('REQUIRETLS (requireTLSExtensionEnabled)', REQUIRETLS_SINCE);
  let body: Promise<Buffer> | undefined;
  return {
    from: address(envelope.from),
    to: [...new Set(to)],
    messageId: mail.message.messageId(),
    body: () => {
      body ??= read(mail);
      return body;
    },
    ...(mail.data.dsn ? { dsn: mail.data.dsn } : {}),
    ...(envelope.use8BitMime ? { use8BitMime: true } : {}),
    requireTls,
  };
}

/** The error that kept the message body from being built, if it failed (building it if needed). */
export function bodyFailure(message: PreparedMessage): Promise<{ readonly error: unknown } | undefined> {
  return message.body().then(
    () => undefined,
    (error: unknown) => ({ error }),
  );
}
