import { X509Certificate } from 'node:crypto';
import { isEhloName } from '../internal/index.js';
import { normalizeFingerprint } from '../policy/index.js';
import { CliError } from './cli-error.js';
import { readInputFile } from './input-file.js';

const COMMAND = 'check';

/** `--port`: a TCP port, 1–65535; otherwise a usage error naming the flag. */
export function parsePort(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const port = Number(value);
  if (!/^[0-9]+$/.test(value) || port < 1 || port > 65535) {
    throw new CliError(
      'EUSAGE',
      `--port must be a port number (1-65535), got ${JSON.stringify(value)}`,
      COMMAND,
    );
  }
  return port;
}

/** `--ehlo-name`: what the library accepts as an EHLO name, checked here so the error names the flag. */
export function parseEhloName(value: string | undefined): string | undefined {
  if (value === undefined || isEhloName(value)) return value;
  throw new CliError(
    'EUSAGE',
    `--ehlo-name must be a fully qualified domain name such as mail.kanzlei.de or an address literal such as [192.0.2.1], got ${JSON.stringify(value)}`,
    COMMAND,
  );
}

/**
 * `--ca <file.pem>`: one or more PEM certificates, added to Node's root store. A file that cannot be
 * read fails with Node's code (`ENOENT`, …); one without a readable certificate with `EINPUT`.
 */
export async function readCaFile(path: string, shown: string): Promise<string[]> {
  const text = await readInputFile(path, 'CA file', shown);
  const blocks = text.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g) ?? [];
  if (blocks.length === 0) {
    throw new CliError('EINPUT', `CA file ${shown}: no PEM certificate (-----BEGIN CERTIFICATE-----) in it`);
  }
  for (const [i, pem] of blocks.entries()) {
    try {
      new X509Certificate(pem);
    } catch (error) {
      throw new CliError(
        'EINPUT',
        `CA file ${shown}: certificate ${i + 1} is malformed: ${(error as Error).message}`,
      );
    }
  }
  return blocks;
}

/**
 * `--fingerprint <sha256>` (repeatable): SHA-256 certificate fingerprints, with or without colons,
 * normalized to `AB:CD:…`; anything else is a usage error naming the flag.
 *
 * @example
 * ```ts
 * parseFingerprints(['ab'.repeat(32)]); // ['AB:AB:…:AB']
 * ```
 */
export function parseFingerprints(values: readonly string[] | undefined): string[] {
  return (values ?? []).map((value) => {
    const pin = normalizeFingerprint(value);
    if (pin === undefined) {
      throw new CliError(
        'EUSAGE',
        `--fingerprint must be a SHA-256 fingerprint (64 hex digits, colons allowed), got ${JSON.stringify(value)}`,
        COMMAND,
      );
    }
    return pin;
  });
}
