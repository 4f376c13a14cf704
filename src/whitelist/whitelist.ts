import { randomUUID } from 'node:crypto';
import { describeValue, ForcedTlsError, isForcedTlsError } from '../errors/index.js';
import { isArray, isRecord, readShape } from '../internal/index.js';
import {
  type Direction,
  isEntryActive,
  type MatchScope,
  normalizePattern,
  type WhitelistIndex,
} from '../policy/index.js';
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

  constructor(store: WhitelistStore, hasRevision: boolean, options: WhitelistOptions) {
    this.#store = store;
    this.#clock = options.clock ?? (() => new Date());
    if (options.onChange !== undefined) this.#listeners.add(options.onChange);
    this.#snapshots = new SnapshotCache(
      () => this.#list(),
      hasRevision
        ? () => this.#call('revision', () => (store as Required<WhitelistStore>).revision())
        : undefined,
    );
  }

  async add(input: WhitelistEntryInput, actor?: string): Promise<WhitelistEntry> {
    const entry = validateWhitelistInput(input, randomUUID(), this.#now());
    const who = actor === undefined ? entry.approvedBy : checkText('actor', actor, MAX_NAME_LENGTH);
    return this.#serialize(async () => {
      const key = entryKey(entry);
      const previous = (await this.#list()).find((e) => entryKey(e) === key);
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
      throw new ForcedTlsError('EWHITELIST', `Invalid whitelist id ${describeValue(id)}`, {
        path: 'id',
        value: id,
      });
    }
    const who = checkText('actor', actor, MAX_NAME_LENGTH);
    return this.#serialize(async () => {
      const at = this.#now().toISOString();
      const entry = (await this.#list()).find((e) => e.id === id);
      if (entry === undefined) return false;
      if (!(await this.#call('remove', () => this.#store.remove(id, { actor: who, at })))) return false;
      this.#listeners.emit({ type: 'remove', entry, actor: who, at });
      return true;
    });
  }

  async list(options?: WhitelistListOptions): Promise<readonly WhitelistEntry[]> {
    const { includeExpired } = readShape(options, { includeExpired: 'boolean' }, { subject: 'list option' });
    const entries = await this.#list();
    if (includeExpired === true) return entries;
    const now = this.#now();
    return entries.filter((e) => isEntryActive(e, now));
  }

  async find(direction: Direction, pattern: string, scope?: MatchScope): Promise<WhitelistEntry | undefined> {
    if (!isDirection(direction)) {
      throw new ForcedTlsError('EWHITELIST', `Invalid direction ${describeValue(direction)}`, {
        path: 'direction',
        value: direction,
      });
    }
    let key: string;
    try {
      key = entryKey({ direction, ...normalizePattern(pattern, scope) });
    } catch (error) {
      if (!isForcedTlsError(error)) throw error;
      const path = error.path === 'scope' ? 'scope' : 'value';
      throw new ForcedTlsError('EWHITELIST', error.message, {
        path,
        value: path === 'scope' ? scope : pattern,
        cause: error,
      });
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

  on(event: 'change', listener: ChangeListener): this {
    checkEvent(event);
    this.#listeners.add(listener);
    return this;
  }

  off(event: 'change', listener: ChangeListener): this {
    checkEvent(event);
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

  // A store that answers with something other than a list of entries is as broken as one that throws.
  #list(): Promise<readonly WhitelistEntry[]> {
    return this.#call('list', async () => {
      const entries: unknown = await this.#store.list();
      if (!isArray(entries) || !entries.every((e) => isRecord(e))) {
        throw new ForcedTlsError('ESTORE', 'Whitelist store list() did not resolve to an array of entries');
      }
      return entries as unknown as readonly WhitelistEntry[];
    });
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

function checkEvent(event: unknown): void {
  if (event !== 'change') throw invalidOption('event', event, "must be 'change'");
}

const STORE_METHODS = {
  list: 'function',
  add: 'function',
  remove: 'function',
  revision: 'function',
  close: 'function',
} as const;

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
export function createWhitelist(store: WhitelistStore, options?: WhitelistOptions): Whitelist {
  let methods: { readonly [K in keyof typeof STORE_METHODS]?: unknown };
  try {
    methods = readShape(store, STORE_METHODS, { path: 'store', optional: false });
  } catch (error) {
    // No `value`: a store may hold a connection with credentials, which must not reach a log.
    const path = isForcedTlsError(error) ? error.path : undefined;
    const method = path?.startsWith('store.') ? path.slice(6) : undefined;
    const why = method === undefined ? 'store must be an object' : `store.${method} must be a method`;
    throw new ForcedTlsError('EPOLICY', `createWhitelist: ${why}`, { path: 'store' });
  }
  for (const method of ['list', 'add', 'remove'] as const) {
    if (methods[method] === undefined) {
      throw new ForcedTlsError('EPOLICY', `createWhitelist: store has no ${method}() method`, {
        path: 'store',
      });
    }
  }
  const o = readShape(
    options,
    { clock: 'function', onChange: 'function' },
    { subject: 'createWhitelist option' },
  );
  return new StoreWhitelist(store, methods.revision !== undefined, o as WhitelistOptions);
}
