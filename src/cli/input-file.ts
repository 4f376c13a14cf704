import { readFile } from 'node:fs/promises';

/**
 * Reads a file named on the command line. A file that cannot be read fails with Node's own code
 * (`ENOENT`, `EACCES`, `EISDIR`, …), printed as `error ENOENT: cannot read CA file ca.pem: no such
 * file or directory`; what the file holds is judged by the caller (`EINPUT`, `EPOLICY`, …).
 *
 * @param path where to read (resolved against the working directory)
 * @param what what the file is, for the message (`CA file`, `DNS fixture`, …)
 * @param shown the name as the user wrote it
 */
export async function readInputFile(path: string, what: string, shown: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    throw inputFileError(error, what, shown);
  }
}

/** The error for an input file that cannot be read: Node's code, a message naming the file. */
export function inputFileError(error: unknown, what: string, shown: string): Error {
  const code = (error as { code?: unknown } | undefined)?.code;
  const reason = typeof code === 'string' ? systemReason(error as Error, code) : String(error);
  return Object.assign(new Error(`cannot read ${what} ${shown}: ${reason}`, { cause: error }), {
    code: typeof code === 'string' ? code : 'EINPUT',
  });
}

// "ENOENT: no such file or directory, open '/x/ca.pem'" → "no such file or directory"
function systemReason(error: Error, code: string): string {
  return error.message.replace(new RegExp(`^${code}: `), '').replace(/, \w+ '.*'$/, '');
}
