import addressparser from 'nodemailer/lib/addressparser';
import type { MailMessage } from 'nodemailer/lib/mailer';
import { ForcedTlsError } from '../errors/forced-tls-error.js';

const FIELDS = ['to', 'cc', 'bcc'] as const;

function isAddress(value: string): boolean {
  const at = value.lastIndexOf('@');
  return at > 0 && at < value.length - 1 && !/\s/.test(value.slice(at));
}

function refuse(path: string, entry: string): never {
  throw new ForcedTlsError(
    'EADDRESS',
    `Recipient "${entry}" in ${path} is not an e-mail address; nothing was sent`,
    { path, value: entry },
  );
}

/** Every mailbox in one field value (string, `{ name, address }` or a list of them); groups are opened. */
function checkField(path: string, value: unknown): void {
  for (const item of ([] as unknown[]).concat(value ?? [])) {
    if (item === undefined || item === null || item === '') continue;
    if (typeof item === 'object' && 'address' in item) {
      const address = String((item as { address?: unknown }).address ?? '').trim();
      if (!isAddress(address)) refuse(path, address || String((item as { name?: unknown }).name ?? ''));
      continue;
    }
    if (typeof item !== 'string') refuse(path, String(item));
    const stack = addressparser(item);
    while (stack.length > 0) {
      const entry = stack.shift()!;
      // A group ("Undisclosed recipients:;") may be empty; its members are checked like any mailbox.
      if (entry.group !== undefined) stack.push(...entry.group);
      else if (!isAddress(entry.address)) refuse(path, entry.address || entry.name || item);
    }
  }
}

/**
 * Refuses a message whose To, Cc, Bcc or explicit envelope (`to`, `cc`, `bcc`) holds an entry that is not an e-mail
 * address, naming it. nodemailer's envelope silently drops such entries (`to: ['foo', 'b@x.test']` would
 * deliver to b only and say nothing about foo), so they are checked on the caller's data, before
 * anything is sent.
 */
export function checkRecipientInput(data: MailMessage['data']): void {
  const fields = data as Readonly<Record<string, unknown>>;
  for (const field of FIELDS) checkField(field, fields[field]);
  const envelope = fields['envelope'] as Readonly<Record<string, unknown>> | undefined;
  if (envelope) for (const field of FIELDS) checkField(`envelope.${field}`, envelope[field]);
}
