import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import { request } from 'node:https';
import type { ConnectTarget } from '../dns/index.js';
import { DeadlineError } from './deadline.js';
import { checkPolicyHostIdentity } from './host-identity.js';

/** How far a failed request got: `connect` (TCP), `tls` (handshake), `http` (request and answer). */
export type HttpsGetPhase = 'connect' | 'tls' | 'http';

/** A failed request, with the phase it failed in and the underlying `code`. */
export class HttpsGetError extends Error {
  readonly phase: HttpsGetPhase;
  readonly code: string | undefined;
  constructor(phase: HttpsGetPhase, cause: unknown) {
    super(cause instanceof Error ? cause.message : String(cause), { cause });
    this.phase = phase;
    const code = (cause as { code?: unknown } | null)?.code;
    this.code = typeof code === 'string' ? code : undefined;
  }
}

/** One GET of `https://<host><path>`. */
export interface HttpsGetRequest {
  /** The host name: sent as SNI and `Host`, and checked against the certificate. */
  readonly host: string;
  readonly path: string;
  /** Where to connect. */
  readonly target: ConnectTarget;
  /** The trusted CA certificates; `undefined` for Node's root store. */
  readonly ca: readonly string[] | undefined;
  /** Largest body read; more ends the request with `tooLarge`. */
  readonly maxBytes: number;
  /** Aborting it ends the request at once with a `DeadlineError`. */
  readonly signal: AbortSignal;
  /** Whether to read the body of an answer with this status and `Content-Type` (`''` if absent). */
  readonly wantBody: (status: number, contentType: string) => boolean;
}

/** The answer: status, `Content-Type`, and the body when it was wanted and fit. */
export interface HttpsGetResponse {
  readonly status: number;
  readonly contentType: string;
  readonly headers: IncomingHttpHeaders;
  readonly body?: Buffer;
  /** True when the body (or its announced length) exceeded `maxBytes`; reading stopped there. */
  readonly tooLarge: boolean;
}

/**
 * A single HTTPS GET with no agent (no connection reuse, no HTTP cache), certificate verification
 * on (`rejectUnauthorized`, the SAN-only name check of {@link checkPolicyHostIdentity}), TLS 1.2 or
 * newer, no redirect following (an answer is an answer), and a streaming size cap. Rejects with a
 * {@link DeadlineError} when `signal` aborts, else with an {@link HttpsGetError}.
 */
export function httpsGet(options: HttpsGetRequest): Promise<HttpsGetResponse> {
  return new Promise((resolve, reject) => {
    let phase: HttpsGetPhase = 'connect';
    let response: IncomingMessage | undefined;
    let settled = false;
    const finish = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      options.signal.removeEventListener('abort', onAbort);
      outcome();
      response?.destroy();
      req.destroy();
    };
    const fail = (error: unknown) => finish(() => reject(new HttpsGetError(phase, error)));
    const onAbort = () =>
      finish(() => reject(new DeadlineError(`GET https://${options.host}${options.path}`)));
    const req = request({
      host: options.target.host,
      port: options.target.port,
      path: options.path,
      method: 'GET',
      servername: options.host,
      headers: { host: options.host, accept: 'text/plain', connection: 'close' },
      agent: false,
      rejectUnauthorized: true,
      minVersion: 'TLSv1.2',
      ...(options.ca === undefined ? {} : { ca: [...options.ca] }),
      checkServerIdentity: (_name, cert) => checkPolicyHostIdentity(options.host, cert),
    });
    req.on('socket', (socket) => {
      socket.once('connect', () => (phase = 'tls'));
      socket.once('secureConnect', () => (phase = 'http'));
    });
    req.on('error', fail);
    req.on('response', (res) => {
      response = res;
      res.on('error', fail);
      const status = res.statusCode ?? 0;
      const contentType = res.headers['content-type'] ?? '';
      const head = { status, contentType, headers: res.headers };
      if (!options.wantBody(status, contentType)) return finish(() => resolve({ ...head, tooLarge: false }));
      const announced = Number(res.headers['content-length'] ?? Number.NaN);
      if (announced > options.maxBytes) return finish(() => resolve({ ...head, tooLarge: true }));
      const chunks: Buffer[] = [];
      let bytes = 0;
      res.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
        if (bytes > options.maxBytes) finish(() => resolve({ ...head, tooLarge: true }));
        else chunks.push(chunk);
      });
      res.on('end', () => finish(() => resolve({ ...head, body: Buffer.concat(chunks), tooLarge: false })));
      res.on('close', () => {
        if (!res.complete)
          fail(Object.assign(new Error('connection closed during the answer'), { code: 'ECONNRESET' }));
      });
    });
    if (options.signal.aborted) onAbort();
    else options.signal.addEventListener('abort', onAbort, { once: true });
    req.end();
  });
}
