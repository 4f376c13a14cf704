/**
 * Runs one task at a time and coalesces requests: a request made while a run is in progress is
 * served by one more run after it (which sees everything up to then), however many requests came.
 */
export class SyncQueue {
  readonly #run: () => Promise<void>;
  #tail: Promise<void> = Promise.resolve();
  #queued: Promise<void> | undefined;

  constructor(run: () => Promise<void>) {
    this.#run = run;
  }

  /** Resolves after a run that started after this call has finished; rejects if that run failed. */
  request(): Promise<void> {
    if (this.#queued !== undefined) return this.#queued;
    const run = () => {
      this.#queued = undefined;
      return this.#run();
    };
    const next = this.#tail.then(run, run);
    this.#queued = next;
    this.#tail = next.catch(() => undefined);
    return next;
  }

  /** Resolves once no run is in progress or queued. */
  idle(): Promise<void> {
    return this.#tail;
  }
}
