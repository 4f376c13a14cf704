import { basename, isAbsolute, resolve } from 'node:path';
import { ForcedTlsError, isForcedTlsError } from '../errors/forced-tls-error.js';
import type { Policy } from '../policy/policy.js';
import { loadPolicyFile } from '../policy-file/load-policy-file.js';
import { ISO_INSTANT_FORMS, parseIsoInstant } from '../whitelist/iso-instant.js';
import { CliError } from './cli-error.js';
import { inputFileError } from './input-file.js';
import type { CliIo } from './io.js';

/** Resolves a file argument against the command's working directory. */
export function resolvePath(io: CliIo, path: string): string {
  return isAbsolute(path) ? path : resolve(io.cwd, path);
}

/** Loads the `--policy` file; every `EPOLICY` error names the file. */
export async function loadPolicy(io: CliIo, path: string): Promise<Policy> {
  try {
    return await loadPolicyFile(resolvePath(io, path));
  } catch (error) {
    // A file that cannot be read is a system error (ENOENT, …), as for every input file.
    const cause = isForcedTlsError(error) ? (error.cause as { code?: unknown } | undefined) : undefined;
    if (typeof cause?.code === 'string') throw inputFileError(cause, 'policy file', path);
    if (isForcedTlsError(error) && !error.message.includes(basename(path))) {
      throw new ForcedTlsError(error.code, `${path}: ${error.message}`, {
        cause: error,
        ...(error.path === undefined ? {} : { path: error.path }),
      });
    }
    throw error;
  }
}

/**
 * Parses `--now`, or returns the current time. It takes the forms a whitelist expiry takes (a date,
 * or a time with a zone), so `--now` and `--expires` can never be read in different time zones.
 */
export function parseNow(command: string, value: string | undefined): Date {
  if (value === undefined) return new Date();
  const time = parseIsoInstant(value);
  if (time === undefined || Number.isNaN(time)) {
    throw new CliError('EUSAGE', `--now must be ${ISO_INSTANT_FORMS}, got ${JSON.stringify(value)}`, command);
  }
  return new Date(time);
}
