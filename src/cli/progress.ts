import type { CliStream } from './io.js';

/** Reports how many of `total` items are done. */
export interface Progress {
  tick(label: string): void;
  /** Clears the indicator line (terminal) so a result can be printed; the next tick redraws it. */
  clear(): void;
  /** Clears the indicator (terminal) before the final output. */
  done(): void;
}

const SILENT: Progress = { tick() {}, clear() {}, done() {} };

/**
 * A progress indicator on stderr: a self-overwriting line on a terminal, one line per item when
 * forced on a non-terminal (`--progress` in CI logs), nothing otherwise or for a single item.
 */
export function createProgress(stream: CliStream, total: number, forced: boolean): Progress {
  if (total < 2 || (!stream.isTTY && !forced)) return SILENT;
  let count = 0;
  if (!stream.isTTY) {
    return {
      tick(label) {
        count += 1;
        stream.write(`checked ${count}/${total} ${label}\n`);
      },
      clear() {},
      done() {},
    };
  }
  stream.write(`checking 0/${total} domains…`);
  return {
    tick(label) {
      count += 1;
      stream.write(`\r\u001b[Kchecking ${count}/${total} domains… ${label}`);
    },
    clear() {
      stream.write('\r\u001b[K');
    },
    done() {
      stream.write('\r\u001b[K');
    },
  };
}
