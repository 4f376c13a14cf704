import type { Clock } from '../internal/clock.js';
import { EMPTY_WHITELIST, type WhitelistIndex } from '../policy/whitelist-index.js';
import { createWhitelist, FileWhitelistStore, type Whitelist } from '../whitelist/index.js';
import type { CliIo } from './io.js';
import { resolvePath } from './load-inputs.js';

/**
 * Opens the `--store` file as a whitelist, runs `use`, and closes the store again, also on error.
 */
export async function withWhitelistFile<T>(
  io: CliIo,
  path: string,
  use: (whitelist: Whitelist) => Promise<T>,
  clock?: Clock,
): Promise<T> {
  const store = new FileWhitelistStore(resolvePath(io, path));
  try {
    return await use(createWhitelist(store, clock === undefined ? {} : { clock }));
  } finally {
    await store.close?.();
  }
}

/**
 * The live entries of a `--whitelist` file as an index for the policy, evaluated at `now`
 * (expired entries are left out). No file: an empty index.
 */
export function loadWhitelistIndex(io: CliIo, path: string | undefined, now: Date): Promise<WhitelistIndex> {
  if (path === undefined) return Promise.resolve(EMPTY_WHITELIST);
  return withWhitelistFile(
    io,
    path,
    (whitelist) => whitelist.snapshot(),
    () => now,
  );
}
