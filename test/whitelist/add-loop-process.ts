import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const SCRIPT = fileURLToPath(new URL('../fixtures/whitelist/add-loop.ts', import.meta.url));

/** What one add-loop child reported, line by line, only after each promise resolved. */
export interface AddLoopReport {
  readonly added: Set<string>;
  readonly removing: Set<string>;
  readonly removed: Set<string>;
}

/** A running add-loop child. `done` settles when its output is drained and it exited. */
export interface AddLoop {
  readonly child: ChildProcess;
  readonly report: AddLoopReport;
  /** With `gate`: resolves when the child is ready to write. */
  readonly ready: Promise<void>;
  /** With `gate`: lets the child start writing. */
  go(): void;
  /** Resolves at the first "+id" line (or rejects if the child ends without one). */
  readonly firstAdd: Promise<void>;
  readonly done: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>;
}

/** How to start the add-loop child. */
export interface AddLoopOptions {
  readonly file: string;
  readonly prefix: string;
  /** Entries to add; without it the child runs until killed. */
  readonly count?: number;
  readonly staleLockMs?: number;
  /** The fixture compiled by `transpileFixture`; without it: `node --import tsx` on the source. */
  readonly compiled?: string;
  /** Wait for {@link AddLoop.go} before writing. */
  readonly gate?: boolean;
}

/** Starts `test/fixtures/whitelist/add-loop.ts` in a child process. */
export function startAddLoop(options: AddLoopOptions): AddLoop {
  const { file, prefix, count, staleLockMs, compiled } = options;
  const script = compiled === undefined ? ['--import', 'tsx', SCRIPT] : [compiled];
  const args = [...script, file, prefix, count === undefined ? '' : String(count)];
  if (staleLockMs !== undefined) args.push(String(staleLockMs));
  const child = spawn(process.execPath, args, {
    stdio: [options.gate ? 'pipe' : 'ignore', 'pipe', 'pipe'],
    env: { ...process.env, ADD_LOOP_GATE: options.gate ? '1' : '0' },
  });
  const report: AddLoopReport = { added: new Set(), removing: new Set(), removed: new Set() };
  let pending = '';
  let stderr = '';
  let onFirst: (() => void) | undefined;
  let onReady: (() => void) | undefined;
  const ready = new Promise<void>((resolve) => {
    onReady = resolve;
  });
  const firstAdd = new Promise<void>((resolve) => {
    onFirst = resolve;
  });
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    pending += chunk;
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) {
      const id = line.slice(1);
      if (line.startsWith('+')) report.added.add(id);
      else if (line.startsWith('~')) report.removing.add(id);
      else if (line.startsWith('-')) report.removed.add(id);
      if (line.startsWith('+')) onFirst?.();
      if (line === 'ready') onReady?.();
    }
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>(
    (resolve) => {
      // 'close' comes after both pipes are drained, so the report is final.
      child.on('close', (code, signal) => {
        onFirst?.();
        onReady?.();
        resolve({ code, signal, stderr });
      });
    },
  );
  const go = () => child.stdin?.end('go\n');
  return { child, report, ready, go, firstAdd, done };
}

/** Ids that must be in the file: reported added, and no removal was started. */
export function mustBePresent(report: AddLoopReport): string[] {
  return [...report.added].filter((id) => !report.removing.has(id));
}
