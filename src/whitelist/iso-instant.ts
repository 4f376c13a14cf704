// ISO 8601 with a date, optionally a time, and then a zone: a time without a zone would be read in
// the machine's local time zone, which is how an entry silently expires hours early or late.
// A date alone means midnight UTC (what `Date.parse` does for date-only forms).
const ISO_INSTANT =
  /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(?:Z|[+-](\d{2}):(\d{2})))?$/;

/** The forms {@link parseIsoInstant} accepts, for error messages. */
export const ISO_INSTANT_FORMS =
  'an ISO 8601 time with a zone (2027-01-31T10:00Z, 2027-01-31T10:00+01:00) or a date (2027-01-31, midnight UTC)';

// Date.parse rolls 31 February over into March; a typo must not silently move an instant.
function isRealInstant(match: RegExpExecArray): boolean {
  const [year, month, day, hour = 0, minute = 0, second = 0, offsetH = 0, offsetM = 0] = match
    .slice(1)
    .map((part) => (part === undefined ? undefined : Number(part)));
  const date = new Date(Date.UTC(year ?? 0, (month ?? 0) - 1, day ?? 0));
  return (
    date.getUTCMonth() === (month ?? 0) - 1 &&
    date.getUTCDate() === day &&
    hour < 24 &&
    minute < 60 &&
    second < 60 &&
    offsetH < 24 &&
    offsetM < 60
  );
}

/**
 * Parses an instant the way whitelist expiries (and the CLI's `--now`) are written: a date, or a
 * date and time **with** a zone. Surrounding whitespace is ignored.
 *
 * @returns the time in milliseconds; `undefined` when the text is not of an accepted form (a time
 * without a zone included); `NaN` when it is, but names no real time (`2027-02-31`, `24:00`).
 * @example
 * ```ts
 * parseIsoInstant('2027-01-31T10:00+01:00'); // 1801386000000
 * parseIsoInstant('2027-01-31T10:00');       // undefined: no zone
 * ```
 */
export function parseIsoInstant(text: string): number | undefined {
  const match = ISO_INSTANT.exec(text.trim());
  if (match === null) return undefined;
  return isRealInstant(match) ? Date.parse(match[0]) : Number.NaN;
}
