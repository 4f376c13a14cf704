/** Longest accepted `reason`, in characters. */
export const MAX_REASON_LENGTH = 1000;
/** Longest accepted `approvedBy`, `consentRef` and actor, in characters. */
export const MAX_NAME_LENGTH = 200;

/**
 * The form of an entry id: 1–128 letters, digits, `.`, `_`, `:` or `-`, starting with a letter or
 * digit. `Whitelist.add` assigns UUIDs; hosts that bring their own ids (a database key) fit too.
 */
export const ENTRY_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

// Control characters: C0, DEL and C1. A reason may span lines (tab and line feed allowed); names
// and references are one line. CR is refused everywhere: a line break is one LF.
const CONTROL_MULTILINE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/u;
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/u;

/**
 * Why a text field breaks the rules `Whitelist.add` applies (after trimming) and a store file must
 * meet as written: empty, longer than `max`, or with a control character. `undefined` when it is fine.
 *
 * @example
 * ```ts
 * textProblem('StB\u001bMuster', MAX_NAME_LENGTH, false); // 'must not contain control characters'
 * ```
 */
export function textProblem(text: string, max: number, multiline: boolean): string | undefined {
  if (text.trim() === '') return 'must not be empty';
  if (text.length > max) return `must be at most ${max} characters`;
  if ((multiline ? CONTROL_MULTILINE : CONTROL).test(text)) return 'must not contain control characters';
  return undefined;
}
