import libmime from 'libmime';

/** A header map: `{ received: ['…', '…'] }` or a `Map` of the same, names in any case, topmost first. */
export type HeaderMap = ReadonlyMap<string, unknown> | Readonly<Record<string, unknown>>;

/** The parts of a `mailparser` `ParsedMail` the analysis reads. */
export interface ParsedMailLike {
  /** Every header line, topmost first. */
  readonly headerLines: readonly {
    /** The header name (any case; mailparser gives it lowercase). */
    readonly key: string;
    /** The whole header line as received (name, colon and folded value). */
    readonly line: string;
  }[];
}

/** What {@link analyzeReceived} accepts: raw header text (or a whole message), a `mailparser` result, or a header map. */
export type ReceivedInput = string | Uint8Array | ParsedMailLike | HeaderMap;

/** Size limits for untrusted header input. */
export interface HeaderLimits {
  readonly maxHeaderBytes: number;
  readonly maxHops: number;
}

/** The Received values, topmost first, unfolded. */
export interface ReceivedValues {
  readonly values: readonly string[];
  readonly truncated: boolean;
}

// Cuts `text` to `max` characters at the start of a header line, so no header is read half.
function capText(text: string, max: number): { text: string; truncated: boolean } {
  if (text.length <= max) return { text, truncated: false };
  const cut = text.slice(0, max);
  let end = cut.lastIndexOf('\n');
  while (end > 0 && (cut[end + 1] === ' ' || cut[end + 1] === '\t')) end = cut.lastIndexOf('\n', end - 1);
  return { text: end > 0 ? cut.slice(0, end) : '', truncated: true };
}

function fromText(raw: string, limits: HeaderLimits): ReceivedValues {
  const { text, truncated } = capText(raw, limits.maxHeaderBytes);
  const headers = libmime.decodeHeaders(text, { skipPrototypeKeys: true });
  return { values: headers['received'] ?? [], truncated };
}

function valuesOf(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return [];
}

function isParsedMail(input: object): input is ParsedMailLike {
  return Array.isArray((input as { headerLines?: unknown }).headerLines);
}

/** Extracts the Received header values from any supported input, within the size limits. */
export function receivedValues(input: ReceivedInput, limits: HeaderLimits): ReceivedValues {
  let result: ReceivedValues;
  if (typeof input === 'string') result = fromText(input, limits);
  else if (input instanceof Uint8Array) {
    const head = input.subarray(0, limits.maxHeaderBytes + 1);
    result = fromText(Buffer.from(head).toString('utf8'), limits);
  } else if (isParsedMail(input)) {
    // Raw folded lines in message order; unfold each with libmime.
    const lines = input.headerLines
      .filter(
        (h) => typeof h?.key === 'string' && typeof h.line === 'string' && h.key.toLowerCase() === 'received',
      )
      .map((h) => h.line);
    result = fromText(lines.join('\r\n'), limits);
  } else if (input instanceof Map) {
    const key = [...input.keys()].find((k) => typeof k === 'string' && k.toLowerCase() === 'received');
    result = { values: valuesOf(key === undefined ? undefined : input.get(key)), truncated: false };
  } else if (typeof input === 'object' && input !== null) {
    const record = input as Readonly<Record<string, unknown>>;
    const key = Object.keys(record).find((k) => k.toLowerCase() === 'received');
    result = { values: valuesOf(key === undefined ? undefined : record[key]), truncated: false };
  } else {
    result = { values: [], truncated: false };
  }
  if (result.values.length <= limits.maxHops) return result;
  return { values: result.values.slice(0, limits.maxHops), truncated: true };
}
