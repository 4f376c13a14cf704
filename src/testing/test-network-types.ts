import type { ConnectHook, MxRecord, Resolver } from '../dns/types.js';
import type { TestCa } from './test-ca.js';
import type { TestMx } from './test-mx-types.js';

/**
 * The DNS answer for a test domain:
 * - `{ mx: [...] }`: MX records; a bare string gets priority 10, 20, … in list order;
 * - `{ txt: [...] }`: TXT records (e.g. under `_mta-sts.<domain>`); each record is one string, or a
 *   list of its character strings, which a reader concatenates; without `txt`, TXT is `ENODATA`;
 * - `{}` (no `mx`): the domain exists without MX (`ENODATA`), so a sender falls back to its A record —
 *   map the domain itself under `hosts` to give it one;
 * - `'null-mx'`: a null MX (RFC 7505), answered as Node does: one record with exchange `''`;
 * - `'nxdomain'` (`ENOTFOUND`), `'nodata'` (`ENODATA` for MX and A), `'timeout'` (`ETIMEOUT`),
 *   `'servfail'` (`ESERVFAIL`): failures with `node:dns` error codes.
 */
export type TestDomain =
  | {
      /** The MX records: host names (priorities 10, 20, … in order) or full records. */
      readonly mx?: readonly (string | MxRecord)[];
      /** TXT records (`_mta-sts.<domain>`): each a string, or the strings of one record. */
      readonly txt?: readonly (string | readonly string[])[];
    }
  | 'null-mx'
  | 'nxdomain'
  | 'nodata'
  | 'timeout'
  | 'servfail';

/**
 * Where a host name leads: a running test server, an explicit address, or `'refused'` (the name resolves
 * to 127.0.0.1 but nothing listens on the port: connection refused).
 */
export type TestHost =
  | TestMx
  | {
      /** The address to connect to. */
      readonly host: string;
      /** The port to connect to. */
      readonly port: number;
    }
  | 'refused';

/** Options of `createTestNetwork`. */
export interface TestNetworkOptions {
  /** Test domains (use `.test` names) and their DNS answers. */
  readonly domains?: Readonly<Record<string, TestDomain>>;
  /**
   * MX host names (and A-fallback domains) and where connections to them go; a list is a host with
   * several addresses, tried in that order.
   */
  readonly hosts?: Readonly<Record<string, TestHost | readonly TestHost[]>>;
  /** The CA reported as `network.ca`. @default the shared default test CA */
  readonly ca?: TestCa;
}

/** One lookup or connection the network answered. */
export interface TestNetworkCall {
  /** Which resolver method (or the connect hook) was called. */
  readonly method: 'resolveMx' | 'resolve4' | 'resolve6' | 'resolveTxt' | 'connect';
  /** The name asked for, lowercase without a trailing dot. */
  readonly name: string;
}

/** A fake DNS plus connect hook that routes test domains to loopback test servers. */
export interface TestNetwork {
  /** Pass as `resolver`; it answers only from the configured domains and hosts. */
  readonly resolver: Resolver;
  /** Pass as `connect`; it maps a host name to its test server's address and port. */
  readonly connect: ConnectHook;
  /** The CA to trust (`ca.cert`) for servers using the default certificate. */
  readonly ca: TestCa;
  /** Every resolver and connect call, in order. */
  readonly calls: readonly TestNetworkCall[];
  /** Adds or replaces a domain's DNS answer. */
  setDomain(domain: string, answer: TestDomain): void;
  /** Adds or replaces a host mapping (a list: several addresses). */
  setHost(name: string, host: TestHost | readonly TestHost[]): void;
  /** Closes every test server mapped under `hosts`. */
  close(): Promise<void>;
}
