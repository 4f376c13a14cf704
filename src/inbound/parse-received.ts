import { isIP } from 'node:net';
import { type ReceivedToken, tokenizeReceived } from './received-tokenize.js';

/** The clause a token belongs to (`head` before the first keyword, `other` after a repeated one). */
export type ReceivedClause = 'head' | 'from' | 'by' | 'via' | 'with' | 'id' | 'for' | 'other';

/** A top-level comment with the clause it appeared in and its place in that clause. */
export interface ReceivedComment {
  readonly text: string;
  readonly clause: ReceivedClause;
  readonly spaceBefore: boolean;
  /** 0 for the clause's first comment, 1 for the second… */
  readonly ordinal: number;
  /** How many words of the clause (its value included) precede the comment. */
  readonly wordsBefore: number;
}

/** The clauses of one Received header value. */
export interface ParsedReceived {
  readonly from: string | null;
  readonly fromIp: string | null;
  readonly by: string | null;
  /** Words of the `with` clause (`['esmtps', 'tls', 'TLS_AES_256_GCM_SHA384']` for Exim). */
  readonly withWords: readonly string[];
  readonly comments: readonly ReceivedComment[];
  readonly date: string | null;
  /**
   * A clause keyword appeared twice outside comments (`from x by a with ESMTPS by b …`): text the
   * client chose (a HELO name with spaces) may have been taken for clauses, so `fromIp` is null and
   * the TLS answer is `unknown`.
   */
  readonly repeated: boolean;
}

const KEYWORDS = new Set<ReceivedClause>(['from', 'by', 'via', 'with', 'id', 'for']);
// Tokens inside the from-clause comment that carry client-supplied text, never the recorded address.
const CLIENT_SUPPLIED = /^(?:helo|ehlo|ident|port)=/i;

/** `[192.0.2.1]`, `[192.0.2.1]:25`, `[IPv6:2001:db8::1]`, or a bare address (Exchange). */
export function ipFromLiteral(token: string): string | null {
  let text = token;
  if (text.startsWith('[')) {
    const close = text.indexOf(']');
    if (close < 0) return null;
    text = text.slice(1, close);
    if (/^ipv6:/i.test(text)) text = text.slice(5);
  }
  return isIP(text) === 0 ? null : text.toLowerCase();
}

// The address the receiving host recorded: the first address in the first spaced comment after the
// `from` name (Postfix `(rdns [ip])`, Gmail `(rdns. [ip])`, Exim `([ip]:port helo=…)`, Exchange
// `(ip)`), else the `from` value itself when it is an address literal (Exim `from [ip] (helo=…)`).
// A comment glued to the name (`from x(10.0.0.1)`) is part of a HELO argument and is skipped.
function recordedIp(fromValue: string | null, comments: readonly ReceivedComment[]): string | null {
  const first = comments.find((c) => c.clause === 'from' && c.spaceBefore);
  if (first !== undefined) {
    for (const part of first.text.split(/[\s()]+/)) {
      if (part === '' || CLIENT_SUPPLIED.test(part)) continue;
      const at = part.lastIndexOf('@');
      const ip = ipFromLiteral(at >= 0 ? part.slice(at + 1) : part);
      if (ip !== null) return ip;
    }
  }
  if (fromValue?.startsWith('[')) return ipFromLiteral(fromValue);
  return null;
}

function hostName(word: string): string {
  const name = word.toLowerCase();
  return name.endsWith('.') ? name.slice(0, -1) : name;
}

/** Splits one Received header value into its clauses. Linear in the input. */
export function parseReceived(value: string): ParsedReceived {
  const tokens: readonly ReceivedToken[] = tokenizeReceived(value);
  let lastSemicolon = -1;
  tokens.forEach((t, i) => {
    if (t.kind === 'semicolon') lastSemicolon = i;
  });
  let clause: ReceivedClause = 'head';
  let expectValue = false;
  const seen = new Set<ReceivedClause>();
  const values = new Map<ReceivedClause, string>();
  const withWords: string[] = [];
  const comments: ReceivedComment[] = [];
  const dateWords: string[] = [];
  let repeated = false;
  let ordinal = 0;
  let wordsBefore = 0;
  tokens.forEach((token, i) => {
    if (lastSemicolon >= 0 && i > lastSemicolon) {
      if (token.kind === 'word') dateWords.push(token.text);
      return;
    }
    if (token.kind === 'comment') {
      comments.push({ text: token.text, clause, spaceBefore: token.spaceBefore, ordinal, wordsBefore });
      ordinal += 1;
      return;
    }
    if (token.kind !== 'word') return;
    const lower = token.text.toLowerCase() as ReceivedClause;
    if (!expectValue && KEYWORDS.has(lower)) {
      // A repeated clause keyword ends clause tracking: the value would be ambiguous.
      repeated ||= seen.has(lower);
      clause = seen.has(lower) ? 'other' : lower;
      seen.add(lower);
      expectValue = clause !== 'other';
      [ordinal, wordsBefore] = [0, 0];
      return;
    }
    wordsBefore += 1;
    if (expectValue && !values.has(clause)) values.set(clause, token.text);
    if (clause === 'with') withWords.push(token.text);
    expectValue = false;
  });
  const from = values.get('from') ?? null;
  const by = values.get('by');
  return {
    from,
    fromIp: repeated ? null : recordedIp(from, comments),
    by: by === undefined ? null : hostName(by),
    withWords,
    comments,
    date: dateWords.length > 0 ? dateWords.join(' ') : null,
    repeated,
  };
}
