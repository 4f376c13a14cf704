import dgram from 'node:dgram';
import dns from 'node:dns';
import { isIP, Socket } from 'node:net';

// The fuzz suite calls every export with arguments it did not choose; this guard proves that none
// of those calls left the machine. While installed, a query to the system DNS and a TCP or UDP
// connection to anything but loopback (or a unix socket) is refused and recorded.

const RESOLVER_METHODS = [
  'resolve',
  'resolve4',
  'resolve6',
  'resolveAny',
  'resolveCname',
  'resolveMx',
  'resolveNs',
  'resolveSrv',
  'resolveTxt',
] as const;

function isLoopback(host: unknown): boolean {
  if (host === undefined || host === null || host === '' || host === 'localhost') return true;
  if (typeof host !== 'string') return false;
  if (isIP(host) === 4) return host.startsWith('127.');
  const lower = host.toLowerCase();
  return lower === '::1' || lower.startsWith('::ffff:127.');
}

function refused(what: string): Error {
  return Object.assign(new Error(`the fuzz suite must stay offline: ${what}`), { code: 'ECONNREFUSED' });
}

/** The target of `socket.connect(...)`'s arguments: `{ host, port, path }`, `(port, host)`, `(path)`. */
function target(args: unknown[]): { host?: unknown; path?: unknown; port?: unknown } {
  const [first, second] = args;
  // net.connect() and tls.connect() pass their normalized arguments as one array.
  if (Array.isArray(first)) return target(first);
  if (typeof first === 'object' && first !== null) {
    const o = first as Record<string, unknown>;
    return { host: o['host'], path: o['path'], port: o['port'] };
  }
  if (typeof first === 'string' && Number.isNaN(Number(first))) return { path: first };
  return { port: first, host: typeof second === 'string' ? second : undefined };
}

/** Installs the guard; `attempts` lists what it refused, `restore()` removes it. */
export function guardNetwork(): { readonly attempts: string[]; restore(): void } {
  const attempts: string[] = [];
  const restores: (() => void)[] = [];
  const patch = <T extends object>(holder: T, key: keyof T & string, replacement: unknown) => {
    const original = holder[key];
    (holder as Record<string, unknown>)[key] = replacement;
    restores.push(() => {
      (holder as Record<string, unknown>)[key] = original;
    });
    return original as (...args: unknown[]) => unknown;
  };

  const resolver = dns.promises.Resolver.prototype as unknown as Record<string, unknown>;
  for (const method of RESOLVER_METHODS) {
    patch(resolver, method, async (name: unknown) => {
      attempts.push(`system DNS ${method}(${String(name)})`);
      throw refused(`${method}(${String(name)})`);
    });
  }
  patch(dns.promises, 'lookup', async (name: unknown) => {
    attempts.push(`system DNS lookup(${String(name)})`);
    throw refused(`lookup(${String(name)})`);
  });

  const connect = patch(Socket.prototype, 'connect', function (this: Socket, ...args: unknown[]) {
    const to = target(args);
    if (to.path !== undefined || isLoopback(to.host)) return connect.apply(this, args);
    attempts.push(`TCP ${String(to.host)}:${String(to.port)}`);
    process.nextTick(() => this.destroy(refused(`TCP ${String(to.host)}`)));
    return this;
  });
  const udp = patch(dgram.Socket.prototype, 'connect', function (this: dgram.Socket, ...args: unknown[]) {
    const [port, address] = args;
    if (typeof address !== 'string' || isLoopback(address)) return udp.apply(this, args);
    attempts.push(`UDP ${address}:${String(port)}`);
    throw refused(`UDP ${address}`);
  });

  return {
    attempts,
    restore() {
      for (const undo of restores.reverse()) undo();
    },
  };
}
