/**
 * At most one run of an operation per key at a time: callers arriving while it runs share its
 * promise. {@link SingleFlight.runFresh} is for callers that need a run *starting after* their call
 * (a re-check must see DNS as it is now, not as a lookup started earlier saw it): they share the
 * next run, which starts when the current one has ended.
 */
export class SingleFlight<T> {
  readonly #current = new Map<string, Promise<T>>();
  readonly #next = new Map<string, Promise<T>>();

  /** Whether a run for `key` is in progress. */
  has(key: string): boolean {
    return this.#current.has(key);
  }

  /** Joins the run in progress for `key`, or starts `work`. */
  run(key: string, work: () => Promise<T>): Promise<T> {
    const running = this.#current.get(key);
    if (running !== undefined) return running;
    const started = Promise.resolve()
      .then(work)
      .finally(() => {
        if (this.#current.get(key) === started) this.#current.delete(key);
      });
    this.#current.set(key, started);
    return started;
  }

  /** Joins a run that starts no earlier than this call: the current one if none is running, else the next. */
  runFresh(key: string, work: () => Promise<T>): Promise<T> {
    const running = this.#current.get(key);
    if (running === undefined) return this.run(key, work);
    const queued = this.#next.get(key);
    if (queued !== undefined) return queued;
    const next = running
      .then(
        () => undefined,
        () => undefined,
      )
      .then(() => {
        this.#next.delete(key);
        return this.run(key, work);
      });
    this.#next.set(key, next);
    return next;
  }
}
