import { stat } from 'node:fs/promises';
import { ForcedTlsError } from '../errors/forced-tls-error.js';
import type { Clock } from '../internal/clock.js';
import { EMPTY_WHITELIST, type WhitelistIndex } from '../policy/whitelist-index.js';
import { createPostgresWhitelistStore } from '../stores/postgres/index.js';
import {
  createWhitelist,
  FileWhitelistStore,
  type Whitelist,
  type WhitelistStore,
} from '../whitelist/index.js';
import { CliError } from './cli-error.js';
import type { CliIo } from './io.js';
import { resolvePath } from './load-inputs.js';

/** The options that choose a store, shared by every command that opens one. */
export const STORE_OPTIONS = {
  schema: { type: 'string' },
  table: { type: 'string' },
} as const;

/** Where the whitelist lives: a file path or a `postgres://` URL, and for PostgreSQL its schema and table. */
export interface StoreTarget {
  readonly store: string;
  readonly schema?: string | undefined;
  readonly table?: string | undefined;
}

/** True for a `postgres://` or `postgresql://` URL. */
export function isPostgresUrl(store: string): boolean {
  return /^postgres(?:ql)?:\/\//i.test(store);
}

/** How to open a store: `mustExist` makes a missing file an error (every command but `add`). */
export interface OpenStoreOptions {
  readonly clock?: Clock;
  readonly mustExist?: boolean;
  /** The command, for usage errors. */
  readonly command: string;
}

async function openStore(io: CliIo, target: StoreTarget, options: OpenStoreOptions): Promise<WhitelistStore> {
  if (isPostgresUrl(target.store)) {
    return createPostgresWhitelistStore({
      connectionString: target.store,
      ...(target.schema === undefined ? {} : { schema: target.schema }),
      ...(target.table === undefined ? {} : { table: target.table }),
    });
  }
  for (const name of ['schema', 'table'] as const) {
    if (target[name] !== undefined) {
      throw new CliError('EUSAGE', `--${name} applies only to a postgres:// store`, options.command);
    }
  }
  const path = resolvePath(io, target.store);
  if (options.mustExist === true) {
    // A mistyped path must not read as an empty whitelist.
    const found = await stat(path).then(
      (s) => s.isFile(),
      () => false,
    );
    if (!found) {
      throw new ForcedTlsError(
        'ESTORE',
        `Whitelist file ${target.store} does not exist (check the path; "forced-tls whitelist add" creates it)`,
        { value: target.store },
      );
    }
  }
  return new FileWhitelistStore(path);
}

/**
 * Opens the store (a file, or PostgreSQL for a `postgres://` URL) as a whitelist, runs `use`, and
 * closes the store again, also on error.
 */
export async function withWhitelistStore<T>(
  io: CliIo,
  target: StoreTarget,
  use: (whitelist: Whitelist) => Promise<T>,
  options: OpenStoreOptions,
): Promise<T> {
  const store = await openStore(io, target, options);
  try {
    return await use(createWhitelist(store, options.clock === undefined ? {} : { clock: options.clock }));
  } finally {
    await store.close?.();
  }
}

/**
 * The live entries of a `--whitelist` store as an index for the policy, evaluated at `now`
 * (expired entries are left out). No store given: an empty index. A missing file is an error.
 */
export function loadWhitelistIndex(
  io: CliIo,
  target: StoreTarget | string | undefined,
  now: Date,
  command = 'whitelist',
): Promise<WhitelistIndex> {
  if (target === undefined) return Promise.resolve(EMPTY_WHITELIST);
  const where = typeof target === 'string' ? { store: target } : target;
  return withWhitelistStore(io, where, (whitelist) => whitelist.snapshot(), {
    clock: () => now,
    mustExist: true,
    command,
  });
}
