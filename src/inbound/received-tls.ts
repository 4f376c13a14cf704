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

// Characters of addresses and quoted text: a comment holding one is never evidence, whatever it says.
const ADDRESS_CHARS = /["<>@]/;
// `rdns [192.0.2.1]`, `unknown [IPv6:2001:db8::1]`.
const HOST_IP = /^\S{1,255}\s{1,10}\[[0-9A-Fa-f:.IPv]{2,50}\]/;
const IP_COMMENT = /\[(?:IPv6:)?[0-9A-Fa-f:.]{2,45}\]|^[0-9A-Fa-f:.]{2,45}$/;

// Postfix: the comment directly after the `from` clause's host/IP comment, before `by`, and no
// second host/IP comment after it (that would mean the first pair came from the client's HELO name).
function postfixPlace(comments: readonly ReceivedComment[], i: number): boolean {
  const c = comments[i];
  const host = comments[i - 1];
  if (c?.clause !== 'from' || c.ordinal !== 1 || host === undefined) return false;
  if (host.wordsBefore === 0 || !host.spaceBefore || !IP_COMMENT.test(host.text.trim())) return false;
  return !comments.slice(i + 1).some((later) => later.clause === 'from' && HOST_IP.test(later.text.trim()));
}

// Each format's comment has one documented place, the first comment of a clause of the with/id tail:
// `with Microsoft SMTP Server (version=…)`, Sendmail's `id X (version=…)`, Gmail's `for <a> (version=…)`
// (or `id X (version=…)` without `for`), Exim's `with esmtps (TLS1.3)`, `with esmtps (TLS1.2:…)`,
// T-Online's `with (TLSv1.3:…) esmtp`. Anywhere else it is text someone else could have written.
function tailPlace(c: ReceivedComment, clauses: readonly string[]): boolean {
  return c.ordinal === 0 && clauses.includes(c.clause);
}

// Evidence must be a top-level comment preceded by whitespace, in its format's documented place, and
// free of address characters. A HELO name cannot open a comment (Exim refuses spaces in it, Postfix
// replaces parentheses), and addresses (Exim's `envelope-from <…>`, `for <…>`) are read as opaque.
function fromComments(parsed: ParsedReceived): HopTls | null {
  const { comments, withWords } = parsed;
  for (const [i, c] of comments.entries()) {
    if (!c.spaceBefore || ADDRESS_CHARS.test(c.text)) continue;
    const text = c.text.trim();
    const postfix = POSTFIX.exec(text);
    if (postfix !== null && postfixPlace(comments, i))
      return found('postfix', postfix[1], postfix[2] ?? null);
    const versionCipher = VERSION_CIPHER.exec(text);
    if (versionCipher !== null && tailPlace(c, ['with', 'id', 'for'])) {
      return found('version_cipher', versionCipher[1], versionCipher[2] ?? null);
    }
    if (!tailPlace(c, ['with'])) continue;
    const colon = TLS_COLON.exec(text);
    if (colon !== null) return found('tls_colon', colon[1], colon[2] ?? null);
    const exim = EXIM_VERSION.exec(text);
    if (exim !== null && c.wordsBefore === 1 && withWords[1]?.toLowerCase() === 'tls') {
      return found('exim', exim[1], withWords[2] ?? null);
    }
  }
  return null;
}

// A plaintext keyword next to a TLS comment is a contradiction, except where the format itself pairs
// them: Postfix 2.x wrote `with ESMTP` after its `using` comment, T-Online writes
// `with (TLSv1.3:…) esmtp`.
function contradicts(tls: HopTls, keyword: string, parsed: ParsedReceived): boolean {
  if (!PLAIN_KEYWORDS.has(keyword)) return false;
  if (tls.evidence === 'postfix') return keyword !== 'ESMTP';
  if (tls.evidence === 'tls_colon') {
    return !parsed.comments.some((c) => c.clause === 'with' && c.ordinal === 0 && c.wordsBefore === 0);
  }
  return true;
}

const UNKNOWN: HopTls = { tls: 'unknown', tlsVersion: null, cipher: null, evidence: 'none' };

/**
 * Reads the TLS evidence of one parsed hop. Unknown formats, headers with a repeated clause and
 * contradicting evidence (a TLS comment with a plaintext keyword) give `unknown`, never `tls`.
 */
export function detectTls(parsed: ParsedReceived): HopTls {
  if (parsed.repeated) return UNKNOWN;
  const keyword = parsed.withWords[0]?.toUpperCase() ?? '';
  const explicit = fromComments(parsed);
  if (explicit !== null) return contradicts(explicit, keyword, parsed) ? UNKNOWN : explicit;
  if (TLS_KEYWORDS.has(keyword)) return { tls: 'tls', tlsVersion: null, cipher: null, evidence: 'rfc3848' };
  if (PLAIN_KEYWORDS.has(keyword))
    return { tls: 'plaintext', tlsVersion: null, cipher: null, evidence: 'rfc3848' };
  return UNKNOWN;
}
