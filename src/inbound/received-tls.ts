import type { ParsedReceived, ReceivedComment } from './parse-received.js';
import type { ReceivedTls, ReceivedTlsEvidence } from './received-types.js';

/** The TLS answer for one hop. */
export interface HopTls {
  readonly tls: ReceivedTls;
  readonly tlsVersion: string | null;
  readonly cipher: string | null;
  readonly evidence: ReceivedTlsEvidence;
}

// RFC 3848 and RFC 6531 `with` keywords. Anything else (`Microsoft SMTP Server`, `HTTP`, `mapi`)
// is not evidence either way.
const TLS_KEYWORDS = new Set([
  'ESMTPS',
  'ESMTPSA',
  'LMTPS',
  'LMTPSA',
  'UTF8SMTPS',
  'UTF8SMTPSA',
  'UTF8LMTPS',
  'UTF8LMTPSA',
]);
const PLAIN_KEYWORDS = new Set([
  'SMTP',
  'ESMTP',
  'ESMTPA',
  'LMTP',
  'LMTPA',
  'UTF8SMTP',
  'UTF8SMTPA',
  'UTF8LMTP',
  'UTF8LMTPA',
]);

// All patterns are anchored, bounded and free of nested quantifiers: linear on any input.
const VERSION = '(SSLv3|TLS ?v?1(?:[._][0-3])?)';
const CIPHER = '([A-Za-z0-9_-]{1,100})';
const POSTFIX = new RegExp(`^using\\s{1,10}${VERSION}\\s{1,10}with\\s{1,10}cipher\\s{1,10}${CIPHER}`);
const VERSION_CIPHER = new RegExp(`^version=${VERSION},?\\s{1,10}cipher=${CIPHER}`);
const TLS_COLON = new RegExp(`^${VERSION}:${CIPHER}`);
const EXIM_VERSION = new RegExp(`^${VERSION}$`);

/** `TLS1_2`, `TLSv1.2`, `TLS1.2`, `TLS 1.2` → `TLSv1.2`; `TLSv1`, `TLS1_0` → `TLSv1`. */
export function normalizeTlsVersion(text: string): string {
  if (text === 'SSLv3') return text;
  const minor = /[._]([0-3])$/.exec(text)?.[1];
  return minor === undefined || minor === '0' ? 'TLSv1' : `TLSv1.${minor}`;
}

function found(evidence: ReceivedTlsEvidence, version: string | undefined, cipher: string | null): HopTls {
  return {
    tls: 'tls',
    tlsVersion: version === undefined ? null : normalizeTlsVersion(version),
    cipher,
    evidence,
  };
}

// Evidence must be a top-level comment preceded by whitespace: a HELO argument cannot contain
// spaces, so a client cannot smuggle one in through its HELO name.
function fromComments(comments: readonly ReceivedComment[], withWords: readonly string[]): HopTls | null {
  for (const c of comments) {
    if (!c.spaceBefore) continue;
    const text = c.text.trim();
    const postfix = POSTFIX.exec(text);
    if (postfix !== null) return found('postfix', postfix[1], postfix[2] ?? null);
    const versionCipher = VERSION_CIPHER.exec(text);
    if (versionCipher !== null) return found('version_cipher', versionCipher[1], versionCipher[2] ?? null);
    if (c.clause !== 'with') continue;
    const colon = TLS_COLON.exec(text);
    if (colon !== null) return found('tls_colon', colon[1], colon[2] ?? null);
    const exim = EXIM_VERSION.exec(text);
    if (exim !== null) {
      const at = withWords.findIndex((w) => w.toLowerCase() === 'tls');
      return found('exim', exim[1], at >= 0 ? (withWords[at + 1] ?? null) : null);
    }
  }
  return null;
}

/** Reads the TLS evidence of one parsed hop. Unknown formats give `unknown`, never `tls`. */
export function detectTls(parsed: ParsedReceived): HopTls {
  const explicit = fromComments(parsed.comments, parsed.withWords);
  if (explicit !== null) return explicit;
  const keyword = parsed.withWords[0]?.toUpperCase();
  if (keyword !== undefined && TLS_KEYWORDS.has(keyword)) {
    return { tls: 'tls', tlsVersion: null, cipher: null, evidence: 'rfc3848' };
  }
  if (keyword !== undefined && PLAIN_KEYWORDS.has(keyword)) {
    return { tls: 'plaintext', tlsVersion: null, cipher: null, evidence: 'rfc3848' };
  }
  return { tls: 'unknown', tlsVersion: null, cipher: null, evidence: 'none' };
}
