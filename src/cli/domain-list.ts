import { ForcedTlsError, isForcedTlsError } from '../errors/forced-tls-error.js';
import { normalizeAddress, normalizeDomain } from '../policy/normalize.js';
import { readInputFile } from './input-file.js';

/**
 * A domain or an address (`user@domain`, whose domain is meant) → the normalized domain. An address
 * goes through the same normalization as a recipient, so `a@b@c.test` is refused, not read as `c.test`.
 */
function toDomain(text: string): string {
  return text.includes('@') ? normalizeAddress(text).domain : normalizeDomain(text);
}

function withWhere(error: unknown, where: string): unknown {
  return isForcedTlsError(error)
    ? new ForcedTlsError(error.code, `${where}: ${error.message}`, { cause: error })
    : error;
}

/**
 * The domains to check: the arguments, then the lines of `--file` (one domain or address per line,
 * blank lines and `#` comments ignored), normalized and without duplicates, in order of appearance.
 * A malformed entry throws `EADDRESS` naming the argument or the file line.
 */
export async function collectDomains(
  args: readonly string[],
  file: string | undefined,
  filePath?: string,
): Promise<string[]> {
  const domains = new Set<string>();
  for (const arg of args) {
    try {
      domains.add(toDomain(arg));
    } catch (error) {
      throw withWhere(error, 'argument');
    }
  }
  if (file !== undefined) {
    const text = await readInputFile(filePath ?? file, 'domain list', file);
    const lines = text.split(/\r?\n/);
    for (const [i, raw] of lines.entries()) {
      const line = raw.replace(/#.*$/, '').trim();
      if (line === '') continue;
      try {
        domains.add(toDomain(line));
      } catch (error) {
        throw withWhere(error, `${file} line ${i + 1}`);
      }
    }
  }
  return [...domains];
}
