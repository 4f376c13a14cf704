// Characters a terminal acts on instead of showing: C0 (ESC starts a control sequence, BEL rings,
// CR overwrites), DEL, C1 (U+009B is CSI on some terminals), the line and paragraph separators,
// and the bidirectional overrides and isolates that reorder what follows them.
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/gu;
const NAMED: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function escaped(char: string): string {
  return NAMED[char] ?? `\\u${(char.codePointAt(0) as number).toString(16).padStart(4, '0')}`;
}

/**
 * `text` safe to print on a terminal: every control character is shown as an escape (`\u001b`,
 * `\n`), so text from a whitelist file, a policy or a server can never move the cursor, recolor the
 * screen or hide what follows. Apply it to data, not to the CLI's own colors.
 *
 * @example
 * ```ts
 * printable('StB \u001b[31mMuster'); // 'StB \\u001b[31mMuster'
 * ```
 */
export function printable(text: string): string {
  return text.replace(UNSAFE, escaped);
}

/**
 * `JSON.stringify(value, null, 2)` with every character {@link printable} escapes written as a
 * `\uXXXX` escape too (JSON escapes C0 itself, not DEL, C1 or the bidi controls). Still valid JSON
 * that parses to the same value.
 *
 * @example
 * ```ts
 * printableJson({ reason: 'a\u202eb' }); // '{\n  "reason": "a\\u202eb"\n}'
 * ```
 */
export function printableJson(value: unknown): string {
  return JSON.stringify(value, null, 2).replace(
    /[\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/gu,
    (char) => `\\u${(char.codePointAt(0) as number).toString(16).padStart(4, '0')}`,
  );
}
