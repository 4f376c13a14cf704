/** One MX record. */
export interface MxRecord {
  /** The MX host name; `''` or `'.'` for a null MX (RFC 7505). */
  readonly exchange: string;
  /** Preference: lower is tried first. */
  readonly priority: number;
}

/**
 * The DNS lookups forced-tls makes. `node:dns`'s `promises.Resolver` satisfies it; tests inject a
 * fake (see `createTestNetwork` in `forced-tls/testing`). Failures reject with an error whose
 * `code` is a `node:dns` code (`ENODATA`, `ENOTFOUND`, `ETIMEOUT`, `ESERVFAIL`, …).
 */
export interface Resolver {
  /** MX records of a domain; rejects with `ENODATA` when it has none, `ENOTFOUND` when it does not exist. */
  resolveMx(domain: string): Promise<MxRecord[]>;
  /** IPv4 addresses of a host (A records). */
  resolve4(host: string): Promise<string[]>;
  /** IPv6 addresses of a host (AAAA records). */
  resolve6(host: string): Promise<string[]>;
  /**
   * TXT records of a name, each as the list of its character strings (`node:dns`'s shape); rejects
   * with `ENODATA` when there are none, `ENOTFOUND` when the name does not exist. Optional so that
   * existing resolvers keep working; MTA-STS discovery needs it and refuses a resolver without it.
   */
  resolveTxt?(name: string): Promise<string[][]>;
}

/** Where to open the TCP connection for a host name. */
export interface ConnectTarget {
  /** Address (or name) to open the TCP connection to. */
  readonly host: string;
  /** TCP port to connect to. */
  readonly port: number;
}

/**
 * Maps a host name (an MX or relay name) to the address and port to connect to — or to several, in
 * the order to try them (a host with more than one address). Certificates are still verified against
 * the host *name*. Used by tests to run many MX hosts on loopback.
 */
export type ConnectHook = (
  host: string,
  defaultPort: number,
) => ConnectTarget | readonly ConnectTarget[] | Promise<ConnectTarget | readonly ConnectTarget[]>;
