/** The error {@link withDeadline} rejects with: `code` `ETIMEOUT`, as `node:dns` names a timeout. */
export class DeadlineError extends Error {
  readonly code = 'ETIMEOUT';
}

/**
 * `work`, or a {@link DeadlineError} once `ms` milliseconds have passed since the call, whichever
 * comes first. The timer never keeps the process alive; `work` itself is not cancelled (a DNS query
 * runs out on its own), its late result is ignored.
 *
 * @example
 * ```ts
 * const records = await withDeadline(resolver.resolveTxt(name), 10_000, `TXT lookup of ${name}`);
 * ```
 */
export function withDeadline<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DeadlineError(`${what} timed out after ${ms} ms`)), ms);
    timer.unref();
  });
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}
