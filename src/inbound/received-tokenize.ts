/** One lexical token of a Received header value (RFC 5322 §3.6.7 structure). */
export interface ReceivedToken {
  readonly kind: 'word' | 'comment' | 'semicolon';
  /** A word as written (quoted strings and `<…>` addresses kept whole), or a comment's inner text. */
  readonly text: string;
  /** Whether whitespace (or the start of the value) precedes the token. */
  readonly spaceBefore: boolean;
}

const SPACE = new Set([' ', '\t', '\r', '\n']);

// Returns the index just past the quoted string starting at `start` (a `"`), or the end of `value`.
function skipQuoted(value: string, start: number): number {
  let i = start + 1;
  while (i < value.length) {
    const c = value[i];
    if (c === '\\') i += 2;
    else if (c === '"') return i + 1;
    else i += 1;
  }
  return value.length;
}

// Returns the index just past the `<…>` address starting at `start`, or the end of `value`. Quoted
// local parts are skipped whole, so neither `>` nor `)` inside one ends anything.
function skipAngle(value: string, start: number): number {
  let i = start + 1;
  while (i < value.length) {
    const c = value[i];
    if (c === '>') return i + 1;
    i = c === '"' ? skipQuoted(value, i) : i + 1;
  }
  return value.length;
}

// Returns the index just past the comment starting at `start` (a `(`): nesting and `\` escapes per
// RFC 5322, and, beyond it, quoted strings and `<…>` addresses skipped whole. MTAs copy addresses
// into comments unescaped (Exim's `(envelope-from <"x) (y"@z>)`), so a `)` in an address never
// ends the comment. Anything unterminated runs to the end of the value.
function skipComment(value: string, start: number): number {
  let depth = 0;
  let i = start;
  while (i < value.length) {
    const c = value[i];
    if (c === '\\') i += 2;
    else if (c === '"') i = skipQuoted(value, i);
    else if (c === '<') i = skipAngle(value, i);
    else {
      if (c === '(') depth += 1;
      else if (c === ')') {
        depth -= 1;
        if (depth === 0) return i + 1;
      }
      i += 1;
    }
  }
  return value.length;
}

/**
 * Splits a Received header value into words, top-level comments and semicolons in one forward pass
 * (linear in the input: every helper only moves forward, no regular expressions). Quoted strings and
 * `<…>` addresses stay whole, inside a word or a comment, so text in an address never opens or
 * closes a comment.
 */
export function tokenizeReceived(value: string): ReceivedToken[] {
  const tokens: ReceivedToken[] = [];
  let i = 0;
  let spaceBefore = true;
  while (i < value.length) {
    const c = value[i] as string;
    if (SPACE.has(c)) {
      spaceBefore = true;
      i += 1;
      continue;
    }
    if (c === '(') {
      const end = skipComment(value, i);
      const close = value[end - 1] === ')' && end - 1 > i ? end - 1 : end;
      tokens.push({ kind: 'comment', text: value.slice(i + 1, close), spaceBefore });
      i = end;
    } else if (c === ';') {
      tokens.push({ kind: 'semicolon', text: ';', spaceBefore });
      i += 1;
    } else {
      const start = i;
      while (i < value.length) {
        const d = value[i] as string;
        if (SPACE.has(d) || d === '(' || d === ';') break;
        i = d === '"' ? skipQuoted(value, i) : d === '<' ? skipAngle(value, i) : i + 1;
      }
      tokens.push({ kind: 'word', text: value.slice(start, i), spaceBefore });
    }
    spaceBefore = false;
  }
  return tokens;
}
