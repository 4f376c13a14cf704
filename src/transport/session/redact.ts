import type SMTPConnection from 'nodemailer/lib/smtp-connection';

const REDACTED = '[redacted]';
// An `AUTH <mechanism> <argument>` a server echoes back: the argument is the client's credential.
const ECHOED_AUTH = /\b(AUTH\s+[A-Z0-9_-]+\s+)(\S+)/gi;

/**
 * What this session's client sends as credentials, in every form it goes on the wire: the password,
 * the `AUTH PLAIN` token, the base64 password of `AUTH LOGIN`, an OAuth2 access token. Short values
 * (under four characters) are left alone: they would match ordinary text.
 */
export function credentialTokens(auth: SMTPConnection.AuthenticationType | undefined): string[] {
  if (auth === undefined) return [];
  const a = auth as { user?: unknown; pass?: unknown; accessToken?: unknown };
  const user = typeof a.user === 'string' ? a.user : '';
  const secrets = [a.pass, a.accessToken].filter((v): v is string => typeof v === 'string' && v.length > 0);
  const b64 = (text: string) => Buffer.from(text, 'utf-8').toString('base64');
  const tokens = secrets.flatMap((secret) => [
    secret,
    b64(secret),
    b64(`\u0000${user}\u0000${secret}`),
    b64(`user=${user}\u0001auth=Bearer ${secret}\u0001\u0001`),
  ]);
  return [...new Set(tokens)].filter((t) => t.length >= 4).sort((x, y) => y.length - x.length);
}

/**
 * Removes credentials from a server's reply before it is surfaced anywhere (a refusal, a report, an
 * error message): the argument of an echoed `AUTH` line, and every occurrence of a token the client
 * sent (`credentialTokens`). A relay that copies the `AUTH PLAIN` line into its 535 reply would
 * otherwise put the base64 credentials into logs and user interfaces.
 *
 * @example
 * ```ts
 * redactReply('535 5.7.8 bad: AUTH PLAIN AGthbnpsZWkAZ2VoZWlt', []); // '535 5.7.8 bad: AUTH PLAIN [redacted]'
 * ```
 */
export function redactReply(text: string, tokens: readonly string[]): string {
  let result = text.replace(ECHOED_AUTH, `$1${REDACTED}`);
  for (const token of tokens) result = result.split(token).join(REDACTED);
  return result;
}
