// The table itself; exported below as ERROR_CODES with its documentation.
const CODES = {
  EPOLICY: { category: 'config', transient: false, tls: false, summary: 'invalid policy or option' },
  EADDRESS: { category: 'input', transient: false, tls: false, summary: 'malformed address or domain' },
  EWHITELIST: { category: 'input', transient: false, tls: false, summary: 'invalid whitelist entry' },
  ESTORE: {
    category: 'store',
    transient: false,
    tls: false,
    summary: 'store unusable (whitelist or MTA-STS policy cache)',
  },
  EPOSTFIX: {
    category: 'input',
    transient: false,
    tls: false,
    summary: 'malformed Postfix input (queue listing, socketmap or policy request)',
  },
  EUNSUPPORTED: {
    category: 'config',
    transient: false,
    tls: false,
    summary: 'transport cannot be secured',
  },

  ETLSREQUIRED: {
    category: 'delivery',
    transient: false,
    tls: true,
    summary: 'no recipient delivered: TLS required but not achieved',
  },
  EDELIVERY: { category: 'delivery', transient: false, tls: false, summary: 'no recipient delivered' },

  // nodemailer's own codes (its `errors` table): a transporter wrapped by forceTls fails with them
  // where the original would have, so an app's existing branches keep matching.
  EAUTH: {
    category: 'nodemailer',
    transient: false,
    tls: false,
    summary: 'the relay refused the credentials',
  },
  EENVELOPE: {
    category: 'nodemailer',
    transient: false,
    tls: false,
    summary: 'the relay refused the sender or the recipients',
  },
  EMESSAGE: {
    category: 'nodemailer',
    transient: false,
    tls: false,
    summary: 'the relay refused the message',
  },
  ESOCKET: { category: 'nodemailer', transient: true, tls: false, summary: 'connection to the relay failed' },
  ECONNECTION: {
    category: 'nodemailer',
    transient: true,
    tls: false,
    summary: 'the relay closed the connection',
  },
  ETIMEDOUT: {
    category: 'nodemailer',
    transient: true,
    tls: false,
    summary: 'the relay did not answer in time',
  },
  EDNS: { category: 'nodemailer', transient: true, tls: false, summary: "the relay's name did not resolve" },

  ENOSTARTTLS: { category: 'recipient', transient: false, tls: true, summary: 'server offers no STARTTLS' },
  ESTARTTLSREFUSED: {
    category: 'recipient',
    transient: true,
    tls: true,
    summary: 'server refused STARTTLS',
  },
  EHANDSHAKE: { category: 'recipient', transient: true, tls: true, summary: 'TLS handshake failed' },
  ETLSVERSION: {
    category: 'recipient',
    transient: false,
    tls: true,
    summary: 'TLS version below the required minimum',
  },
  ECERTUNTRUSTED: {
    category: 'recipient',
    transient: false,
    tls: true,
    summary: 'certificate chain not trusted',
  },
  ECERTNAME: {
    category: 'recipient',
    transient: false,
    tls: true,
    summary: 'certificate does not match the host name',
  },
  ECERTEXPIRED: {
    category: 'recipient',
    transient: false,
    tls: true,
    summary: 'certificate expired or not yet valid',
  },
  EFINGERPRINT: {
    category: 'recipient',
    transient: false,
    tls: true,
    summary: 'certificate does not match the pinned fingerprint',
  },
  EREQUIRETLS: {
    category: 'recipient',
    transient: false,
    tls: true,
    summary: 'relay does not offer REQUIRETLS',
  },
  ENOTQUALIFIED: {
    category: 'recipient',
    transient: false,
    tls: true,
    summary: 'session not qualified: outside the BSI TR-02102-2 profile or server not authenticated',
  },
  ERECIPIENTTLS: {
    category: 'recipient',
    transient: true,
    tls: true,
    summary: "recipient's mail server failed the TLS check",
  },
  EDANEMISMATCH: {
    category: 'recipient',
    transient: true,
    tls: true,
    summary: 'certificate matches none of the TLSA records (DANE)',
  },
  EDANEREQUIRED: {
    category: 'recipient',
    transient: true,
    tls: true,
    summary: 'DANE required, but no usable DNSSEC-validated TLSA record',
  },
  EDNSSEC: {
    category: 'recipient',
    transient: true,
    tls: false,
    summary: 'DNSSEC lookup failed or bogus',
  },
  // RFC 8461 §5: "MTAs SHOULD treat such failures as transient errors", and §5.1 forbids a
  // permanent failure before the TXT id was re-checked; so transient by default.
  EMTASTS: {
    category: 'recipient',
    transient: true,
    tls: true,
    summary: "refused by the recipient's MTA-STS policy (MX not allowed, or certificate or TLS invalid)",
  },
  ECONNECT: { category: 'recipient', transient: true, tls: false, summary: 'connection failed' },
  ETIMEOUT: { category: 'recipient', transient: true, tls: false, summary: 'timed out' },
  ENOMX: { category: 'recipient', transient: false, tls: false, summary: 'domain has no mail server' },
  ENULLMX: {
    category: 'recipient',
    transient: false,
    tls: false,
    summary: 'domain accepts no mail (null MX)',
  },
  EPROTOCOL: {
    category: 'recipient',
    transient: true,
    tls: false,
    summary: 'unexpected or malformed server reply',
  },
  EREJECTED: {
    category: 'recipient',
    transient: false,
    tls: false,
    summary: 'server rejected the recipient or message',
  },
} as const satisfies Record<string, ErrorCodeInfo>;

/**
 * The one table of error codes. Every {@link ForcedTlsError} and every per-recipient refusal carries
 * a code from here; branch on `code`, never on the message text.
 *
 * `category` groups the codes: `config` and `input` are programming or configuration errors that fail
 * at construction or on the call, `store` concerns the whitelist store or the MTA-STS policy cache, `delivery` are aggregate
 * outcomes of one `sendMail`, `recipient` codes describe why one recipient was not delivered, and
 * `nodemailer` codes are nodemailer's own, which a transporter wrapped by `forceTls` keeps for failures
 * that are not about TLS (`EAUTH`, `EENVELOPE`, `EMESSAGE`, `ESOCKET`, `ECONNECTION`, `ETIMEDOUT`, `EDNS`).
 * `transient` is the default for the code; a refusal may override it from the server's reply
 * (a 4xx STARTTLS reply is transient, a 5xx permanent). `tls` marks refusals caused by missing or
 * inadequate TLS: only those may be lifted by a whitelist entry.
 *
 * @example
 * ```ts
 * ERROR_CODES.ENOSTARTTLS; // { category: 'recipient', transient: false, tls: true, summary: 'server offers no STARTTLS' }
 * ```
 */
export const ERROR_CODES: { readonly [K in keyof typeof CODES]: (typeof CODES)[K] } = CODES;

/** Shape of one row of {@link ERROR_CODES}. */
export interface ErrorCodeInfo {
  /** `config`/`input`: wrong configuration or call; `store`: whitelist store or MTA-STS cache; `delivery`: one `sendMail`; `recipient`: one recipient; `nodemailer`: nodemailer's code, kept by `forceTls`. */
  readonly category: 'config' | 'input' | 'store' | 'delivery' | 'recipient' | 'nodemailer';
  /** Whether retrying later may succeed, by default for this code. */
  readonly transient: boolean;
  /** Caused by missing or inadequate TLS (whitelistable). */
  readonly tls: boolean;
  /** A few words for logs. */
  readonly summary: string;
}

/** Every code a {@link ForcedTlsError} can carry. */
export type ErrorCode = keyof typeof ERROR_CODES;

/** Codes that describe why one recipient was not delivered. */
export type RecipientCode = {
  [K in ErrorCode]: (typeof ERROR_CODES)[K]['category'] extends 'recipient' ? K : never;
}[ErrorCode];

/** nodemailer's own codes, which a transporter wrapped by `forceTls` keeps for failures that are not about TLS. */
export type NodemailerCode = {
  [K in ErrorCode]: (typeof ERROR_CODES)[K]['category'] extends 'nodemailer' ? K : never;
}[ErrorCode];

/** Recipient codes caused by missing or inadequate TLS (the ones a whitelist entry can lift). */
export type TlsRefusalCode = {
  [K in RecipientCode]: (typeof ERROR_CODES)[K]['tls'] extends true ? K : never;
}[RecipientCode];

/** True when `value` is a code of {@link ERROR_CODES}. */
export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(ERROR_CODES, value);
}

/** True for recipient codes caused by missing or inadequate TLS: only these may be lifted by a whitelist entry. False for anything else, also for a value that is no code. */
export function isTlsRefusalCode(code: ErrorCode): code is TlsRefusalCode {
  return isErrorCode(code) && ERROR_CODES[code].category === 'recipient' && ERROR_CODES[code].tls;
}
