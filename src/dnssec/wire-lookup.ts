import { exchange } from './exchange.js';
import { failedAnswer, interpretReply } from './interpret.js';
import type { ResolvedDnssecOptions } from './options.js';
import { createQuery } from './query.js';
import type { DnssecAnswer, DnssecRecordType } from './types.js';

/** The question of one lookup: a normalized name and a type. */
export type Question = { readonly name: string; readonly type: DnssecRecordType };
/** The counters behind `stats()`. */
export type Counters = { lookups: number; cacheHits: number; udpQueries: number; tcpQueries: number };

// The next server for this try: round robin, skipping servers that answered with an error rcode.
function nextServer(attempt: number, count: number, answered: ReadonlySet<number>): number | undefined {
  for (let step = 0; step < count; step++) {
    const index = (attempt + step) % count;
    if (!answered.has(index)) return index;
  }
  return undefined;
}

/** Abort signals with timers that are all cleared when the lookup ends (no timer outlives it). */
function timers() {
  const pending: NodeJS.Timeout[] = [];
  return {
    after(ms: number, parent?: AbortSignal): AbortSignal {
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(), ms);
      timer.unref();
      pending.push(timer);
      return parent === undefined ? controller.signal : AbortSignal.any([controller.signal, parent]);
    },
    clear: () => {
      for (const timer of pending) clearTimeout(timer);
    },
  };
}

/**
 * One lookup on the wire: tries in turn until one reply is NOERROR/NXDOMAIN, the tries run out or the
 * deadline passes. Of the failures, one that carries a reply (an rcode) is reported over a timeout.
 */
export async function resolveOnWire(
  o: ResolvedDnssecOptions,
  question: Question,
  counters: Counters,
): Promise<DnssecAnswer<unknown>> {
  const clock = timers();
  try {
    const deadline = clock.after(o.deadlineMs);
    const trySignal = () => clock.after(o.timeoutMs, deadline);
    const count = (transport: 'udp' | 'tcp') => {
      if (transport === 'udp') counters.udpQueries++;
      else counters.tcpQueries++;
    };
    const answered = new Set<number>();
    let failure: DnssecAnswer<unknown> | undefined;
    for (let attempt = 0; attempt < o.tries && !deadline.aborted; attempt++) {
      const index = nextServer(attempt, o.servers.length, answered);
      if (index === undefined) break;
      const server = o.servers[index]!;
      const query = createQuery(question.name, question.type, o.udpPayloadSize);
      const result = await exchange(server, query, trySignal, count);
      let answer: DnssecAnswer<unknown>;
      if (result.ok) {
        answer = interpretReply(result.reply, {
          ...question,
          server: server.label,
          transport: result.transport,
        });
        if (answer.kind !== 'error') return answer;
        answered.add(index);
      } else {
        answer = failedAnswer(question, result.failure, result.message, { server: server.label });
      }
      if (failure === undefined || failure.rcode === undefined || answer.rcode !== undefined)
        failure = answer;
    }
    if (failure !== undefined && !(deadline.aborted && failure.failure === 'timeout')) return failure;
    return failedAnswer(
      question,
      'timeout',
      `no usable reply for ${question.name} ${question.type} within ${o.deadlineMs} ms`,
    );
  } finally {
    clock.clear();
  }
}
