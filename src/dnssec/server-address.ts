import { isIP } from 'node:net';
import { ForcedTlsError } from '../errors/index.js';

/** A resolver to ask, parsed from `host:port`. */
export interface DnsServer {
  readonly host: string;
  readonly port: number;
  readonly family: 4 | 6;
  /** `host:port` (`[v6]:port` for IPv6), as reported in answers. */
  readonly label: string;
}

function isLoopback(host: string, family: 4 | 6): boolean {
  if (family === 4) return host.startsWith('127.');
  const lower = host.toLowerCase();
  return lower === '::1' || lower.startsWith('::ffff:127.');
}

function split(input: string): [string, string | undefined] {
  if (isIP(input) !== 0) return [input, undefined];
  const bracket = /^\[([^\]]+)\](?::(\d+))?$/.exec(input);
  if (bracket !== null) return [bracket[1]!, bracket[2]];
  const colon = input.lastIndexOf(':');
  return colon < 0 ? [input, undefined] : [input.slice(0, colon), input.slice(colon + 1)];
}

/**
 * Parses one resolver address: an IP address with an optional port (`127.0.0.1:5353`,
 * `[::1]:5353`, `127.0.0.1` for port 53). Names are refused: finding the resolver must not itself
 * need DNS. A non-loopback address is refused unless `allowRemote`: the AD bit travels unprotected,
 * so only a resolver on this host (or a network the operator trusts as much) can vouch for it.
 *
 * @example
 * ```ts
 * parseDnsServer('127.0.0.1:5353', false, 'servers[0]'); // { host: '127.0.0.1', port: 5353, family: 4, … }
 * ```
 */
export function parseDnsServer(input: unknown, allowRemote: boolean, path: string): DnsServer {
  if (typeof input !== 'string') {
    throw new ForcedTlsError('EPOLICY', `${path} must be a string "host:port"`, { path, value: input });
  }
  const [host, portText] = split(input.trim());
  const family = isIP(host);
  const port = portText === undefined ? 53 : Number(portText);
  if (family === 0 || !Number.isInteger(port) || port < 1 || port > 65535 || portText === '') {
    throw new ForcedTlsError(
      'EPOLICY',
      `${path} must be an IP address with an optional port, like 127.0.0.1:53`,
      {
        path,
        value: input,
      },
    );
  }
  const fam = family === 4 ? 4 : 6;
  if (!allowRemote && !isLoopback(host, fam)) {
    throw new ForcedTlsError(
      'EPOLICY',
      `${path} is not a loopback address: the AD bit of a remote resolver is not protected on the way; set allowRemoteServers to trust it anyway`,
      { path, value: input },
    );
  }
  return { host, port, family: fam, label: fam === 6 ? `[${host}]:${port}` : `${host}:${port}` };
}
