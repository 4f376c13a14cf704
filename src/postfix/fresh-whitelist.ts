import type { WhitelistIndex } from '../policy/index.js';
import { readWhitelistSource, type WhitelistSource } from '../whitelist/index.js';

/**
 * Reads a whitelist source for many concurrent lookups. Each lookup gets an index read *after*
 * the lookup arrived: a lookup that arrives while a read is running waits for the next read,
 * which every lookup waiting meanwhile shares. So a whitelist change whose write returned before
 * a lookup arrived is always seen by it, and under load one read (for a file store one `stat`,
 * reloaded only when the revision changed) serves a whole batch of lookups.
 */
export class FreshWhitelist {
  readonly #source: WhitelistSource | undefined;
  #running: Promise<WhitelistIndex | undefined> | undefined;
  #next: Promise<WhitelistIndex | undefined> | undefined;

  constructor(source: WhitelistSource | undefined) {
    this.#source = source;
  }

  /** The current index (undefined without a source); rejects when the source fails. */
  read(): Promise<WhitelistIndex | undefined> {
    const source = this.#source;
    if (source === undefined) return Promise.resolve(undefined);
    // A fixed index needs no read.
    if (typeof source !== 'function' && !('snapshot' in source)) return Promise.resolve(source);
    if (this.#running === undefined) return this.#start();
    this.#next ??= this.#running.then(
      () => this.#start(),
      () => this.#start(),
    );
    return this.#next;
  }

  #start(): Promise<WhitelistIndex | undefined> {
    this.#next = undefined;
    const run = readWhitelistSource(this.#source!);
    this.#running = run;
    const done = () => {
      if (this.#running === run) this.#running = undefined;
    };
    run.then(done, done);
    return run;
  }
}
