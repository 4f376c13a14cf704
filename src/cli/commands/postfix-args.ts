import type { ListenAddress } from '../../postfix/index.js';
import { CliError } from '../cli-error.js';

/** Parses `127.0.0.1:8461`, `[::1]:8461` or `unix:/path` for `--socketmap` and `--policy-service`. */
export function parseListen(
  command: string,
  option: string,
  value: string | undefined,
): ListenAddress | undefined {
  if (value === undefined) return undefined;
  if (value.startsWith('unix:') && value.length > 5) return { path: value.slice(5) };
  const match = /^(?:\[([^\]]+)\]|([^:[\]]+)):([0-9]{1,5})$/.exec(value);
  const port = Number(match?.[3]);
  if (match === null || port < 1 || port > 65535) {
    throw new CliError(
      'EUSAGE',
      `--${option} must be HOST:PORT (e.g. 127.0.0.1:8461) or unix:PATH, got ${JSON.stringify(value)}`,
      command,
    );
  }
  return { host: (match[1] ?? match[2])!, port };
}

/** Parses repeated `--next-hop '[10.0.0.5]:25=partner.de'` options into a mapping. */
export function parseNextHops(
  command: string,
  values: readonly string[] | undefined,
): Record<string, string> {
  const map: Record<string, string> = {};
  for (const value of values ?? []) {
    const eq = value.lastIndexOf('=');
    if (eq <= 0 || eq === value.length - 1) {
      throw new CliError(
        'EUSAGE',
        `--next-hop must be NEXTHOP=DOMAIN (e.g. [10.0.0.5]:25=partner.de), got ${JSON.stringify(value)}`,
        command,
      );
    }
    map[value.slice(0, eq)] = value.slice(eq + 1);
  }
  return map;
}

/** `host:port` or `unix:path` for the log. */
export function showAddress(address: { host: string; port: number } | { path: string }): string {
  if ('path' in address) return `unix:${address.path}`;
  return address.host.includes(':') ? `[${address.host}]:${address.port}` : `${address.host}:${address.port}`;
}
