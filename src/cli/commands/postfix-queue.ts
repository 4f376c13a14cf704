import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { parsePostqueueJson, queuedTlsRefusals } from '../../postfix/index.js';
import { COMMON_OPTIONS, parseCommandArgs, requireOption } from '../args.js';
import { CliError } from '../cli-error.js';
import { type CliIo, EXIT, type ExitCode } from '../io.js';
import { loadPolicy, parseNow, resolvePath } from '../load-inputs.js';
import { loadWhitelistIndex } from '../whitelist-file.js';

const NAME = 'postfix queue';
const run = promisify(execFile);

async function postqueueOutput(
  io: CliIo,
  input: string | undefined,
  configDir: string | undefined,
  bin: string,
) {
  if (input !== undefined) {
    try {
      return await readFile(resolvePath(io, input), 'utf8');
    } catch (error) {
      throw new CliError('EINPUT', `cannot read ${input}: ${(error as Error).message}`);
    }
  }
  const args = ['-j', ...(configDir === undefined ? [] : ['-c', resolvePath(io, configDir)])];
  try {
    return (await run(bin, args, { maxBuffer: 256 * 1024 * 1024 })).stdout;
  } catch (error) {
    const e = error as { message: string; stderr?: string };
    throw new CliError('EINPUT', `${bin} ${args.join(' ')} failed: ${(e.stderr || e.message).trim()}`);
  }
}

/**
 * `forced-tls postfix queue`: one JSON line per recipient that Postfix keeps queued because its
 * server did not give the required TLS, read from `postqueue -j` (or a file of its output).
 */
export async function postfixQueue(args: readonly string[], io: CliIo): Promise<ExitCode> {
  const { values } = parseCommandArgs(NAME, args, {
    ...COMMON_OPTIONS,
    policy: { type: 'string' },
    whitelist: { type: 'string' },
    input: { type: 'string' },
    'config-dir': { type: 'string' },
    postqueue: { type: 'string' },
    now: { type: 'string' },
  });
  const policyPath = requireOption(NAME, 'policy', values.policy);
  const now = parseNow(NAME, values.now);
  const policy = await loadPolicy(io, policyPath);
  const whitelist = await loadWhitelistIndex(io, values.whitelist, now);
  const text = await postqueueOutput(io, values.input, values['config-dir'], values.postqueue ?? 'postqueue');
  const scan = queuedTlsRefusals(parsePostqueueJson(text), policy, whitelist, now);
  for (const refusal of scan.refusals) io.stdout.write(`${JSON.stringify(refusal)}\n`);
  io.stderr.write(
    `${scan.refusals.length} recipient(s) waiting for TLS, ${scan.localProblems} deferred by a local TLS ` +
      `configuration problem (is the policy service running?), ${scan.other} waiting for other reasons\n`,
  );
  return scan.refusals.length > 0 ? EXIT.unsatisfied : EXIT.ok;
}
