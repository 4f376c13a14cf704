import type { Transporter } from 'nodemailer';
import type Mail from 'nodemailer/lib/mailer';

/**
 * Mail-level options nodemailer's `Mail` reads from its own `options` for every message (mail-message.js
 * forces them over the message data). A transporter built around a custom transport starts with none,
 * so without this step a wrapped transporter would, for example, read a local file the original refused.
 */
const MAIL_KEYS = ['disableFileAccess', 'disableUrlAccess', 'maxRecipients', 'normalizeHeaderKey'] as const;

/**
 * Copies the original transporter's mail-level options (`disableFileAccess`, `disableUrlAccess`,
 * `maxRecipients`, `normalizeHeaderKey`) and its DKIM signer onto the new transporter.
 */
export function carryMailOptions(original: Transporter<unknown>, secured: Transporter<unknown>): void {
  const from = original as unknown as Partial<Pick<Mail, 'options' | 'dkim'>>;
  const to = secured as unknown as Mail;
  const options = (from.options ?? {}) as Readonly<Record<string, unknown>>;
  const carried: Record<string, unknown> = {};
  for (const key of MAIL_KEYS) if (key in options) carried[key] = options[key];
  to.options = { ...to.options, ...carried };
  if (from.dkim) to.dkim = from.dkim;
}
