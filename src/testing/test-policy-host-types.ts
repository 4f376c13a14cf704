import type { TestCa } from './test-ca.js';
import type { TestMxCertificatePreset } from './test-mx-types.js';

/**
 * The certificate the policy host presents for `mta-sts.<domain>`: a preset of the test MX servers,
 * or `cn-only` (valid chain, the name only in the subject's common name, no subjectAltName).
 */
export type TestPolicyCertificate = TestMxCertificatePreset | 'cn-only';

/** How the test policy host answers for one policy domain. */
export interface TestPolicyResponse {
  /** The body (the policy text). @default '' */
  readonly body?: string | Buffer;
  /** @default 200 */
  readonly status?: number;
  /** `null` sends no `Content-Type` header. @default 'text/plain' */
  readonly contentType?: string | null;
  /** Further response headers (`location` for a redirect, …). */
  readonly headers?: Readonly<Record<string, string>>;
  /** @default 'valid' */
  readonly certificate?: TestPolicyCertificate;
  /** Issue a valid certificate with these subjectAltNames instead (wildcards such as `*.mandant.test`). */
  readonly certificateNames?: readonly string[];
  /**
   * `response`: accepts the request and never answers; `trickle`: sends the status line and headers,
   * then one byte of the body every 50 ms, never finishing; `cut`: announces the body's length, sends
   * half of it and closes the connection.
   */
  readonly stall?: 'response' | 'trickle' | 'cut';
}

/** Options of `startTestPolicyHost`. */
export interface TestPolicyHostOptions {
  /** Answers by policy domain (`mandant.test` for SNI `mta-sts.mandant.test`); a string is a `text/plain` policy body. */
  readonly policies?: Readonly<Record<string, string | TestPolicyResponse>>;
  /** The CA issuing the certificates. @default the shared default test CA */
  readonly ca?: TestCa;
}

/** One HTTP request the policy host received. */
export interface TestPolicyRequest {
  /** The server name the client sent (SNI). */
  readonly servername: string | undefined;
  /** The HTTP method (`GET`, …); `''` when Node reported none. */
  readonly method: string;
  /** The request target as sent, e.g. `/.well-known/mta-sts.txt`; `''` when Node reported none. */
  readonly path: string;
  /** The `Host` header. */
  readonly host: string | undefined;
}

/** A loopback HTTPS server answering `/.well-known/mta-sts.txt` per SNI name, for tests. */
export interface TestPolicyHost {
  /** Always `127.0.0.1`. With `port`, usable as a `TestHost` of `createTestNetwork`. */
  readonly host: string;
  /** The port the server listens on, picked by the system. */
  readonly port: number;
  /** The CA to trust (`ca.cert`). */
  readonly ca: TestCa;
  /** Every request, in order of arrival. */
  readonly requests: readonly TestPolicyRequest[];
  /** How many TLS handshakes completed (connections that got as far as HTTP). */
  readonly handshakes: number;
  /** The requests that arrived for `mta-sts.<domain>`. */
  requestsFor(domain: string): readonly TestPolicyRequest[];
  /** Adds or replaces the answer for a policy domain. */
  setPolicy(domain: string, response: string | TestPolicyResponse): void;
  /** Stops listening and ends every open connection. */
  close(): Promise<void>;
}
