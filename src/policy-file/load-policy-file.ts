import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { basename } from 'node:path';
import { describeValue, ForcedTlsError } from '../errors/index.js';
import { type Policy, parsePolicy } from '../policy/index.js';

// Reading the file lives outside src/policy, which stays free of I/O.

/** Largest policy file read, in bytes: far above any real policy, far below what could exhaust memory. */
const MAX_POLICY_BYTES = 16 * 1024 * 1024;

function cannotRead(path: string, why: string, cause?: unknown): ForcedTlsError {
  return new ForcedTlsError('EPOLICY', `Cannot read policy file ${path}: ${why}`, {
    value: path,
    ...(cause === undefined ? {} : { cause }),
  });
}

/**
 * Reads and parses a JSON policy file (see {@link parsePolicy}). Only a regular file of at most
 * 16 MiB is read; a FIFO, device or directory is refused at once instead of blocking.
 *
 * @example
 * ```ts
 * const policy = await loadPolicyFile('/etc/kanzlei/policy.json');
 * ```
 */
export async function loadPolicyFile(path: string): Promise<Policy> {
  if (typeof path !== 'string' || path === '') {
    throw new ForcedTlsError(
      'EPOLICY',
      `Policy file path must be a non-empty string, not ${describeValue(path)}`,
      {
        path: 'path',
        value: path,
      },
    );
  }
  let text: string;
  let fd: Awaited<ReturnType<typeof open>>;
  try {
    // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer forever.
    fd = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    throw cannotRead(path, (error as Error).message, error);
  }
  try {
    const stats = await fd.stat();
    if (!stats.isFile()) throw cannotRead(path, 'not a regular file');
    if (stats.size > MAX_POLICY_BYTES) {
      throw cannotRead(path, `it has ${stats.size} bytes, more than the limit of ${MAX_POLICY_BYTES}`);
    }
    text = await fd.readFile('utf8');
  } catch (error) {
    if (error instanceof ForcedTlsError) throw error;
    throw cannotRead(path, (error as Error).message, error);
  } finally {
    await fd.close();
  }
  return parsePolicy(text, basename(path));
}
