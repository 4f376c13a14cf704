import type { WhitelistEntry } from '../../whitelist/index.js';

/**
 * This process's copy of the entries at one database revision: what `list()` and `revision()`
 * answer from, so that deciding never waits for the database. Changed only by whole reloads and by
 * applying the rows of the changes after the copy's revision, both read in one database snapshot.
 */
export class Mirror {
  readonly #entries = new Map<string, WhitelistEntry>();
  #revision = 0;
  // Bumped by every reload after the first: a database recreated at a lower revision, which later
  // reaches an old number again, must never produce a token seen before.
  #generation = 0;
  #list: readonly WhitelistEntry[] | undefined;
  #token = '0:0';

  /** The database revision this copy reflects. */
  get revision(): number {
    return this.#revision;
  }

  get size(): number {
    return this.#entries.size;
  }

  /** The token `revision()` returns: changes with every change, also across reloads. */
  get token(): string {
    return this.#token;
  }

  /** Replaces everything with `entries` at `revision`. */
  reload(entries: readonly WhitelistEntry[], revision: number, first: boolean): void {
    this.#entries.clear();
    for (const entry of entries) this.#entries.set(entry.id, entry);
    if (!first) this.#generation++;
    this.#revision = revision;
    this.#token = `${this.#generation}:${revision}`;
    this.#list = undefined;
  }

  /**
   * Applies changes up to `revision`: every id in `changed` takes its row from `current`, or is
   * deleted when it has none. Ids no longer present are deleted, the others set in place (a
   * replaced entry keeps its position in `list()`).
   */
  apply(changed: Iterable<string>, current: readonly WhitelistEntry[], revision: number): void {
    const rows = new Map(current.map((e) => [e.id, e]));
    for (const id of changed) {
      const row = rows.get(id);
      if (row === undefined) this.#entries.delete(id);
      else this.#entries.set(id, row);
    }
    this.#revision = revision;
    this.#token = `${this.#generation}:${revision}`;
    this.#list = undefined;
  }

  /** Every entry, as a frozen array that later changes do not touch. */
  list(): readonly WhitelistEntry[] {
    this.#list ??= Object.freeze([...this.#entries.values()]);
    return this.#list;
  }
}
