import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { ForcedTlsError } from '../errors/forced-tls-error.js';
import { parsePolicy } from '../policy/load.js';
import type { Policy } from '../policy/policy.js';

// Reading the file lives outside src/policy, which stays free of I/O.

/** Reads and parses a JSON policy file (see {@link parsePolicy}). */
export async function loadPolicyFile(path: string): Promise<Policy> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new ForcedTlsError('EPOLICY', `Cannot read policy file ${path}: ${(error as Error).message}`, {
      cause: error,
      value: path,
    });
  }
  return parsePolicy(text, basename(path));
}
