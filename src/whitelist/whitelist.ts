import { randomUUID } from 'node:crypto';
import { ForcedTlsError, isForcedTlsError } from '../errors/forced-tls-error.js';
import { normalizePattern } from '../policy/normalize.js';
import type { Direction, MatchScope } from '../policy/types.js';
import { isEntryActive, type WhitelistIndex } from '../policy/whitelist-index.js';
import { auditQuery } from './audit-query.js';
import type { WhitelistAuditOptions, WhitelistAuditRecord } from './audit-types.js';
import { type ChangeListener, ChangeListeners } from './change-listeners.js';
import { isDirection } from './entry-enums.js';
import { entryKey } from './entry-shape.js';
import { SnapshotCache } from './snapshot-cache.js';
import type {
  Clock,
  Whitelist,
  WhitelistEntry,
  WhitelistEntryInput,
  WhitelistListOptions,
  WhitelistOptions,
  WhitelistStore,
} from './types.js';
import { checkText, MAX_NAME_LENGTH, validateWhitelistInput } from './validate-input.js';

function invalidOption(path: string, value: unknown, why: string): ForcedTlsError {
  return new ForcedTlsError('EPOLICY', `createWhitelist: ${path} ${why}`, { path, value });
}

class StoreWhitelist implements Whitelist {
  readonly #store: WhitelistStore;
  readonly #clock: Clock;
  readonly #listeners = new ChangeListeners();
  #queue: Promise<unknown> = Promise.resolve();
  readonly #snapshots: SnapshotCache;

  constructor(store: WhitelistStore, options: WhitelistOptions) {
    this.#store = store;
    this.#clock = options.clock ?? (() => new Date());
    if (options.onChange !== undefined) this.#listeners.add(options.onChange);
    const revision = store.revision?.bind(store);
    this.#snapshots = new SnapshotCache(
      () => this.#call('list', () => store.list()),
      revision === undefined ? undefined : () => this.#call('revision', revision),
    );
  }

  async add(input: WhitelistEntryInput, actor?: string): Promise<WhitelistEntry> {
    const entry = validateWhitelistInput(input, randomUUID(), this.#now());
    const who = actor === undefined ? entry.approvedBy : checkText('actor', actor, MAX_NAME_LENGTH);
    return this.#serialize(async () => {
      const key = entryKey(entry);
      const previous = (await this.#call('list', () => this.#store.list())).find((e) => entryKey(e) === key);
      // A replacement keeps the id, so the store swaps the entry in one write.
      const stored = Object.freeze(previous === undefined ? entry : { ...entry, id: previous.id });
      await this.#call('add', () => this.#store.add(stored, { actor: who, at: stored.createdAt }));
      const change = { type: 'add' as const, entry: stored, actor: who, at: stored.createdAt };
      this.#listeners.emit(previous === undefined ? change : { ...change, previous });
      return stored;
    });
  }

  async remove(id: string, actor: string): Promise<boolean> {
    if (typeof id !== 'string' || id === '') {
      throw new ForcedTlsError('EWHITELIST', `Invalid whitelist id ${JSON.stringify(id)}`, {
        path: 'id',
        value: id,
      });
    }
    const who = checkText('actor', actor, MAX_NAME_LENGTH);
    return this.#serialize(async () => {
      const at = this.#now().toISOString();
      const entry = (await this.#call('list', () => this.#store.list())).find((e) => e.id === id);
      if (entry === undefined) return false;
      if (!(await this.#call('remove', () => this.#store.remove(id, { actor: who, at })))) return false;
      this.#listeners.emit({ type: 'remove', entry, actor: who, at });
      return true;
    });
  }

  async list(options: WhitelistListOptions = {}): Promise<readonly WhitelistEntry[]> {
    const entries = await this.#call('list', () => this.#store.list());
    if (options.includeExpired === true) return entries;
    const now = this.#now();
    return entries.filter((e) => isEntryActive(e, now));
  }

  async find(direction: Direction, pattern: string, scope?: MatchScope): Promise<WhitelistEntry | undefined> {
    if (!isDirection(direction)) {
      throw new ForcedTlsError('EWHITELIST', `Invalid direction ${JSON.stringify(direction)}`, {
        path: 'direction',
        value: direction,
      });
    }
    let key: string;
    try {
      key = entryKey({ direction, ...normalizePattern(pattern, scope) });
    } catch (error) {
      if (!isForcedTlsError(error)) throw error;
      throw new ForcedTlsError('EWHITELIST', error.message, { path: 'value', value: pattern, cause: error });
    }
    return (await this.list()).find((e) => entryKey(e) === key);
  }

  snapshot(): Promise<WhitelistIndex> {
    return this.#snapshots.get();
  }

  async audit(options?: WhitelistAuditOptions): Promise<readonly WhitelistAuditRecord[]> {
    const query = auditQuery(options);
    const store = this.#store;
    if (typeof store.audit !== 'function') {
      throw new ForcedTlsError(
        'EUNSUPPORTED',
        'This whitelist store keeps no audit trail; record changes with onChange, or use a store with audit() (the PostgreSQL or memory store)',
        { path: 'store' },
      );
    }
    return this.#call('read the audit trail', () => store.audit!(query));
  }

  on(_event: 'change', listener: ChangeListener): this {
    this.#listeners.add(listener);
    return this;
  }

  off(_event: 'change', listener: ChangeListener): this {
    this.#listeners.remove(listener);
    return this;
  }

  #now(): Date {
    const now = this.#clock();
    if (!(now instanceof Date) || Number.isNaN(now.getTime()))
      throw invalidOption('clock', now, 'returned no valid Date');
    return now;
  }

  // One change at a time, so that the look-up for a replacement and the write cannot interleave.
  #serialize<T>(run: () => Promise<T>): Promise<T> {
    const result = this.#queue.then(run, run);
    this.#queue = result.catch(() => undefined);
    return result;
  }

  async #call<T>(operation: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      if (isForcedTlsError(error)) throw error;
      throw new ForcedTlsError('ESTORE', `Whitelist store failed to ${operation}`, { cause: error });
    }
  }
}

/**
 * Creates the whitelist on top of a store. Validation, normalization, replacement of an entry with
 * the same direction, scope and value, expiry and change events all live here, so every store
 * behaves the same.
 *
 * @example
 * ```ts
 * const whitelist = createWhitelist(new FileWhitelistStore('whitelist.json'), {
 *   onChange: (change) => audit.log(change),
 * });
 * await whitelist.add({ direction: 'outbound', scope: 'domain', value: 'mandant-gmbh.de',
 *   reason: 'Mandant wünscht unverschlüsselte Zustellung', approvedBy: 'StB Müller', consentRef: 'EW-2026-017' });
 * const decision = policy.outbound('info@mandant-gmbh.de', { whitelist: await whitelist.snapshot() });
 * ```
 */
export function createWhitelist(store: WhitelistStore, options: WhitelistOptions = {}): Whitelist {
  for (const method of ['list', 'add', 'remove'] as const) {
    if (typeof store?.[method] !== 'function') {
      // No `value`: a store may hold a connection with credentials, which must not reach a log.
      throw new ForcedTlsError('EPOLICY', `createWhitelist: store has no ${method}() method`, {
        path: 'store',
      });
    }
  }
  if (options.clock !== undefined && typeof options.clock !== 'function') {
    throw invalidOption('clock', options.clock, 'must be a function returning a Date');
  }
  if (options.onChange !== undefined && typeof options.onChange !== 'function') {
    throw invalidOption('onChange', options.onChange, 'must be a function');
  }
  return new StoreWhitelist(store, options);
}
