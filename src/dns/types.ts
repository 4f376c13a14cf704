/** One MX record. */
export interface MxRecord {
  readonly exchange: string;
  readonly priority: number;
}

/**
 * The DNS lookups forced-tls makes. `node:dns`'s `promises.Resolver` satisfies it; tests inject a
 * fake (see `createTestNetwork` in `forced-tls/testing`). Failures reject with an error whose
 * `code` is a `node:dns` code (`ENODATA`, `ENOTFOUND`, `ETIMEOUT`, `ESERVFAIL`, …).
 */
export interface Resolver {
  resolveMx(domain: string): Promise<MxRecord[]>;
  resolve4(host: string): Promise<string[]>;
  resolve6(host: string): Promise<string[]>;
}

/** Where to open the TCP connection for a host name. */
export interface ConnectTarget {
  readonly host: string;
  readonly port: number;
}

/**
 * Maps a host name (an MX or relay name) to the address and port to connect to. Certificates are
 * still verified against the host *name*. Used by tests to run many MX hosts on loopback.
 */
export type ConnectHook = (host: string, defaultPort: number) => ConnectTarget | Promise<ConnectTarget>;
