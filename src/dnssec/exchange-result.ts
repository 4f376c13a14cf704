import type { DnsReply } from './query.js';

/** How one query to one server ended. */
export type ExchangeResult =
  | { readonly ok: true; readonly reply: DnsReply; readonly transport: 'udp' | 'tcp' }
  | { readonly ok: false; readonly failure: 'timeout' | 'malformed' | 'network'; readonly message: string };

/** Runs `start` once and settles with the first result it reports, or `timeout` when `signal` fires. */
export function settleOnce(
  signal: AbortSignal,
  start: (finish: (result: ExchangeResult) => void) => () => void,
  onTimeout: () => ExchangeResult,
): Promise<ExchangeResult> {
  return new Promise((resolve) => {
    let done = false;
    let cleanup = (): void => {};
    const finish = (result: ExchangeResult): void => {
      if (done) return;
      done = true;
      signal.removeEventListener('abort', abort);
      cleanup();
      resolve(result);
    };
    const abort = (): void => finish(onTimeout());
    if (signal.aborted) {
      abort();
      return;
    }
    signal.addEventListener('abort', abort, { once: true });
    cleanup = start(finish);
    if (done) cleanup();
  });
}
