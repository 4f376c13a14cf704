import { type ConnectTarget, resolveConnectTarget } from '../dns/index.js';
import { DeadlineError } from './deadline.js';
import type { MtaStsFailure } from './failure.js';
import {
  answerFailure,
  bodyPolicy,
  type FetchContext,
  isTextPlain,
  lookupFailure,
  MAX_MTA_STS_POLICY_BYTES,
  requestFailure,
} from './fetch-failure.js';
import type { ResolvedFetchOptions } from './fetch-options.js';
import { type HttpsGetResponse, httpsGet } from './https-get.js';
import type { MtaStsPolicy } from './types.js';

/** The path of the policy file on the policy host (RFC 8461 §3.3). */
export const MTA_STS_POLICY_PATH = '/.well-known/mta-sts.txt';

/** The result of fetching and parsing a policy. */
export type MtaStsPolicyFetch =
  | {
      /** `fetched`: the policy host answered with a valid policy. */
      readonly status: 'fetched';
      /** `https://mta-sts.<domain>/.well-known/mta-sts.txt` */
      readonly url: string;
      /** The parsed policy. */
      readonly policy: MtaStsPolicy;
      /** Where the connection went (address and port). */
      readonly address: ConnectTarget;
      /** The `Content-Type` received (`text/plain`, possibly with parameters). */
      readonly contentType: string;
      /** The body's size in bytes. */
      readonly bytes: number;
    }
  | {
      /** `failed`: no valid policy was obtained. */
      readonly status: 'failed';
      /** The URL that was asked for: `https://mta-sts.<domain>/.well-known/mta-sts.txt`. */
      readonly url: string;
      /** Why: the lookup, connection, TLS, HTTP or parse failure, with its TLS-RPT result type. */
      readonly failure: MtaStsFailure;
    };

// Refuses to read a body that cannot become a policy: any status but 200, any type but text/plain.
const wantBody = (status: number, contentType: string) => status === 200 && isTextPlain(contentType);

function abortable<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new DeadlineError('policy host lookup'));
    if (signal.aborted) onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/**
 * Fetches `https://mta-sts.<domain>/.well-known/mta-sts.txt` and parses it (RFC 8461 §3.3) under
 * already validated options. Never rejects: every failure is an {@link MtaStsFailure}. The deadline
 * counts from the call and covers the address lookup, connect, handshake and the whole body.
 */
export async function fetchPolicy(
  domain: string,
  options: ResolvedFetchOptions,
  id?: string,
): Promise<MtaStsPolicyFetch> {
  const host = `mta-sts.${domain}`;
  const url = `https://${host}${MTA_STS_POLICY_PATH}`;
  const context = (): FetchContext => ({ host, id, at: options.clock(), timeoutMs: options.timeoutMs });
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), options.timeoutMs);
  timer.unref();
  try {
    let address: ConnectTarget;
    try {
      const { connect, resolver } = options;
      address = await abortable(resolveConnectTarget(host, 443, { connect, resolver }), controller.signal);
    } catch (error) {
      return { status: 'failed', url, failure: lookupFailure(error, context()) };
    }
    let res: HttpsGetResponse;
    try {
      const request = { host, path: MTA_STS_POLICY_PATH, target: address, ca: options.ca, wantBody };
      res = await httpsGet({ ...request, maxBytes: MAX_MTA_STS_POLICY_BYTES, signal: controller.signal });
    } catch (error) {
      return { status: 'failed', url, failure: requestFailure(error, context()) };
    }
    const refused = answerFailure(res, context());
    if (refused !== undefined) return { status: 'failed', url, failure: refused };
    const parsed = bodyPolicy(res.body, context());
    if ('failure' in parsed) return { status: 'failed', url, failure: parsed.failure };
    const bytes = res.body?.length ?? 0;
    return { status: 'fetched', url, policy: parsed.policy, address, contentType: res.contentType, bytes };
  } finally {
    clearTimeout(timer);
  }
}
