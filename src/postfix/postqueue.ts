import { ForcedTlsError, stringArgument } from '../errors/index.js';

/** One recipient of a queued message, as `postqueue -j` lists it. */
export interface QueuedRecipient {
  /** The recipient address, as `postqueue -j` gives it (`address`). */
  readonly address: string;
  /** Why the last delivery attempt failed; absent for a recipient not yet tried. */
  readonly delayReason?: string;
}

/** One queued message, as `postqueue -j` lists it (postqueue(1), Postfix 3.1 and later). */
export interface QueuedMessage {
  /** `incoming`, `active`, `deferred`, `hold` or `maildrop`. */
  readonly queueName: string;
  /** Postfix's queue id of the message (`queue_id`). */
  readonly queueId: string;
  /** Arrival time, ISO 8601. */
  readonly arrivalTime: string;
  /** Size of the message in bytes (`message_size`). */
  readonly messageSize: number;
  /** Envelope sender; `''` for the null sender. */
  readonly sender: string;
  /** The recipients `postqueue -j` lists for the message, in its order. */
  readonly recipients: readonly QueuedRecipient[];
}

function bad(line: number, why: string, value?: unknown): ForcedTlsError {
  return new ForcedTlsError('EPOSTFIX', `postqueue -j output, line ${line}: ${why}`, {
    path: `line ${line}`,
    ...(value === undefined ? {} : { value }),
  });
}

function field<T>(object: Record<string, unknown>, name: string, type: string, line: number): T {
  const value = object[name];
  if (typeof value !== type) throw bad(line, `${name} must be a ${type}`, value);
  return value as T;
}

function recipient(value: unknown, line: number): QueuedRecipient {
  if (typeof value !== 'object' || value === null) throw bad(line, 'a recipient must be an object', value);
  const r = value as Record<string, unknown>;
  const address = field<string>(r, 'address', 'string', line);
  if (r['delay_reason'] === undefined) return { address };
  return { address, delayReason: field<string>(r, 'delay_reason', 'string', line) };
}

/**
 * Parses the output of `postqueue -j`: one JSON object per line. Every line must be a queued
 * message with the documented fields; anything else throws `EPOSTFIX` naming the line, so a
 * truncated or foreign file never yields a silently shorter list.
 *
 * @example
 * ```ts
 * const messages = parsePostqueueJson(execFileSync('postqueue', ['-j'], { encoding: 'utf8' }));
 * ```
 */
export function parsePostqueueJson(text: string): QueuedMessage[] {
  const messages: QueuedMessage[] = [];
  const lines = stringArgument('text', text, 'EPOSTFIX').split('\n');
  for (const [i, raw] of lines.entries()) {
    const lineNo = i + 1;
    if (raw.trim() === '') continue;
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch (error) {
      throw bad(lineNo, `not JSON (${(error as Error).message})`);
    }
    if (typeof json !== 'object' || json === null || Array.isArray(json)) throw bad(lineNo, 'not an object');
    const m = json as Record<string, unknown>;
    const arrival = field<number>(m, 'arrival_time', 'number', lineNo);
    if (!Number.isInteger(arrival) || arrival < 0 || arrival > 8.64e12) {
      throw bad(lineNo, 'arrival_time must be seconds since 1970', arrival);
    }
    const recipients = m['recipients'];
    if (!Array.isArray(recipients)) throw bad(lineNo, 'recipients must be an array', recipients);
    messages.push({
      queueName: field<string>(m, 'queue_name', 'string', lineNo),
      queueId: field<string>(m, 'queue_id', 'string', lineNo),
      arrivalTime: new Date(arrival * 1000).toISOString(),
      messageSize: field<number>(m, 'message_size', 'number', lineNo),
      sender: field<string>(m, 'sender', 'string', lineNo),
      recipients: recipients.map((r) => recipient(r, lineNo)),
    });
  }
  return messages;
}
