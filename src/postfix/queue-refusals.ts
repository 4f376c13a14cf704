import {
  argumentError,
  dateArgument,
  isArray,
  isForcedTlsError,
  type MessageLanguage,
  type RecipientFailure,
  readArgument,
  userMessage,
  whitelistHint,
} from '../errors/index.js';
import { isWhitelistIndex, type Policy, type WhitelistIndex } from '../policy/index.js';
import { policyArgument } from './check-arguments.js';
import { readDelayReason } from './delay-reason.js';
import type { QueuedMessage } from './postqueue.js';

/**
 * One recipient Postfix keeps in its queue because its server did not give the TLS the policy
 * requires: the same fields as a transport's `RecipientFailure`, plus where the message waits.
 * Postfix retries it until `maximal_queue_lifetime` (5 days by default) and tells the sender only
 * then; this is what a provider tells the sender within minutes.
 */
export type QueuedTlsRefusal = RecipientFailure & QueuedAt;

/** Where and why a refused recipient waits in Postfix's queue. */
export interface QueuedAt {
  /** Postfix's queue id of the message. */
  readonly queueId: string;
  /** The queue it is in (`deferred`, `active`, …). */
  readonly queueName: string;
  /** Envelope sender of the message (`''` for the null sender): the person to tell. */
  readonly sender: string;
  /** When the message arrived (as `postqueue -j` gives it). */
  readonly arrivalTime: string;
  /** Postfix's delay reason, verbatim. Server text in it arrived before TLS (`untrusted`). */
  readonly delayReason: string;
  /**
   * A whitelist entry applies to this recipient now: once Postfix's smtp processes have the new
   * answer (`postfix reload`), `postqueue -i <queueId>` delivers it, in plaintext.
   */
  readonly whitelisted: boolean;
  /** For the sender, in German and English (`userMessage`), with the whitelist hint when `mayWhitelist`. */
  readonly text: Readonly<Record<MessageLanguage, string>>;
}

/** What {@link queuedTlsRefusals} found besides the refusals. */
export interface QueueScan {
  /** One entry per queued recipient whose delay reason is a TLS refusal, in queue order. */
  readonly refusals: QueuedTlsRefusal[];
  /** Recipients deferred because the local side could not apply the policy (policy service down). */
  readonly localProblems: number;
  /** Recipients waiting for other reasons, not yet tried, or with an address the policy cannot decide. */
  readonly other: number;
}

const MESSAGE_FIELDS = {
  queueName: 'string',
  queueId: 'string',
  arrivalTime: 'string',
  messageSize: 'number',
  sender: 'string',
  recipients: 'array',
} as const;

// One message as parsePostqueueJson gives it, read once into a plain copy.
function messageArgument(path: string, value: unknown): QueuedMessage {
  const m = readArgument(path, value, MESSAGE_FIELDS);
  for (const field of ['queueName', 'queueId', 'arrivalTime', 'sender'] as const) {
    if (m[field] === undefined) throw argumentError(`${path}.${field}`, undefined, 'a string');
  }
  if (!isArray(m.recipients)) throw argumentError(`${path}.recipients`, m.recipients, 'an array');
  const recipients = Array.from(m.recipients as unknown[], (r, i) => {
    const at = `${path}.recipients[${i}]`;
    const { address, delayReason } = readArgument(at, r, { address: 'string', delayReason: 'string' });
    if (address === undefined) throw argumentError(`${at}.address`, undefined, 'a string');
    return delayReason === undefined ? { address } : { address, delayReason };
  });
  return { ...m, recipients } as unknown as QueuedMessage;
}

function checkArguments(messages: unknown, policy: unknown, whitelist: unknown, now: unknown) {
  if (!isArray(messages)) throw argumentError('messages', messages, 'an array of queued messages');
  if (whitelist !== undefined && !isWhitelistIndex(whitelist)) {
    throw argumentError('whitelist', whitelist, 'a WhitelistIndex (from createWhitelistIndex or snapshot())');
  }
  return {
    list: Array.from(messages as unknown[], (m, i) => messageArgument(`messages[${i}]`, m)),
    rules: policyArgument('policy', policy),
    at: dateArgument('now', now),
  };
}

function serverHost(server: string | undefined): string | undefined {
  if (server === undefined) return undefined;
  const bracket = server.indexOf('[');
  return bracket > 0 ? server.slice(0, bracket) : server;
}

/**
 * Turns `postqueue -j` messages into one structured refusal per recipient that waits for TLS,
 * judged with the current policy and whitelist (`level`, `mayWhitelist`, `whitelisted`).
 *
 * @example
 * ```ts
 * const { refusals } = queuedTlsRefusals(parsePostqueueJson(text), policy, await whitelist.snapshot());
 * for (const r of refusals) notify(r.sender, r.text.de);
 * ```
 */
export function queuedTlsRefusals(
  messages: readonly QueuedMessage[],
  policy: Policy,
  whitelist?: WhitelistIndex,
  time: Date = new Date(),
): QueueScan {
  const { list, rules, at: now } = checkArguments(messages, policy, whitelist, time);
  const refusals: QueuedTlsRefusal[] = [];
  let localProblems = 0;
  let other = 0;
  for (const message of list) {
    for (const recipient of message.recipients) {
      let decision: ReturnType<Policy['outbound']>;
      try {
        decision = rules.outbound(recipient.address, {
          now,
          ...(whitelist === undefined ? {} : { whitelist }),
        });
      } catch (error) {
        if (!isForcedTlsError(error)) throw error;
        other++;
        continue;
      }
      const meaning = readDelayReason(recipient.delayReason ?? '', decision.requiredLevel);
      if (meaning.kind !== 'tls_refusal') {
        if (meaning.kind === 'local_tls_problem') localProblems++;
        else other++;
        continue;
      }
      const mayWhitelist =
        decision.whitelistable && decision.requiredLevel !== 'may' && decision.source !== 'whitelist';
      const mx = serverHost(meaning.server);
      const text = (language: MessageLanguage) => {
        const base = userMessage(meaning.code, language, decision.domain);
        return mayWhitelist ? `${base} ${whitelistHint(language, decision.domain)}` : base;
      };
      refusals.push({
        queueId: message.queueId,
        queueName: message.queueName,
        sender: message.sender,
        arrivalTime: message.arrivalTime,
        recipient: decision.recipient,
        domain: decision.domain,
        code: meaning.code,
        phase: meaning.phase,
        level: decision.requiredLevel,
        ...(mx === undefined ? {} : { mx }),
        mxTried: meaning.server === undefined ? [] : [meaning.server],
        ...(meaning.response === undefined ? {} : { response: meaning.response }),
        untrusted: meaning.response !== undefined,
        transient: true,
        ...(mayWhitelist
          ? {
              mayWhitelist: true,
              whitelistRequest: { direction: 'outbound', scope: 'domain', value: decision.domain } as const,
            }
          : { mayWhitelist: false }),
        message: `Postfix defers: ${recipient.delayReason ?? ''}`,
        delayReason: recipient.delayReason ?? '',
        whitelisted: decision.source === 'whitelist',
        text: { de: text('de'), en: text('en') },
      });
    }
  }
  return { refusals, localProblems, other };
}
