import { type FSWatcher, watch } from 'node:fs';
import { basename, dirname } from 'node:path';
import type { Policy } from '../../policy/index.js';
import type { CliIo } from '../io.js';
import { loadPolicy, resolvePath } from '../load-inputs.js';
import { describeError } from '../report-error.js';

/** The current policy of `postfix serve`, reloaded on change or SIGHUP. */
export interface WatchedPolicy {
  current(): Policy;
  /** Reads the file again; a bad file keeps the old policy. Resolves whether it was replaced. */
  reload(reason: string): Promise<boolean>;
  close(): void;
}

/**
 * Loads the policy file and watches its directory (editors and `mv` replace the file, which a
 * watch on the file itself would lose). A change is read after `settleMs` of quiet; a file that
 * no longer parses is logged and the previous policy stays in force: lookups never see a half
 * written or invalid policy.
 */
export async function watchPolicy(
  io: CliIo,
  path: string,
  onEvent: (event: Record<string, unknown>) => void,
  onLoaded: (policy: Policy) => void,
  settleMs = 150,
): Promise<WatchedPolicy> {
  let policy = await loadPolicy(io, path);
  onLoaded(policy);
  let running: Promise<boolean> = Promise.resolve(false);
  const reload = (reason: string): Promise<boolean> => {
    running = running.then(async () => {
      try {
        const next = await loadPolicy(io, path);
        policy = next;
        onEvent({ event: 'policy_reloaded', reason, file: path, rules: next.rules.length });
        onLoaded(next);
        return true;
      } catch (error) {
        const { code, message } = describeError(error);
        onEvent({
          event: 'policy_reload_failed',
          reason,
          file: path,
          code,
          message,
          kept: 'previous policy',
        });
        return false;
      }
    });
    return running;
  };
  let timer: NodeJS.Timeout | undefined;
  let watcher: FSWatcher | undefined;
  try {
    const file = resolvePath(io, path);
    const name = basename(file);
    watcher = watch(dirname(file), (_type, changed) => {
      if (changed !== null && changed !== name) return;
      clearTimeout(timer);
      timer = setTimeout(() => void reload('file changed'), settleMs);
    });
    watcher.on('error', () => {});
  } catch (error) {
    onEvent({ event: 'policy_watch_unavailable', file: path, message: describeError(error).message });
  }
  return {
    current: () => policy,
    reload,
    close() {
      clearTimeout(timer);
      watcher?.close();
    },
  };
}
