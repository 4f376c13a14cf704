import { certificateCode } from '../internal/tls-errors.js';
import { DeadlineError } from './deadline.js';
import {
  type MtaStsFailure,
  type MtaStsFailureDetails,
  type MtaStsFailureReason,
  mtaStsFailure,
} from './failure.js';
import { HttpsGetError, type HttpsGetResponse } from './https-get.js';
import { parseMtaStsPolicy } from './policy-parse.js';
import type { MtaStsPolicy } from './types.js';

/** The largest policy body read: 64 KiB (RFC 8461 §3.3's suggested limit). */
export const MAX_MTA_STS_POLICY_BYTES = 65_536;

/** What a failure is about: the policy host, the TXT id fetched for, when, and the deadline. */
export interface FetchContext {
  readonly host: string;
  readonly id: string | undefined;
  readonly at: Date;
  readonly timeoutMs: number;
}

const withId = (ctx: FetchContext): MtaStsFailureDetails => (ctx.id === undefined ? {} : { id: ctx.id });

/**
 * True for `text/plain` in any case, with or without parameters: `; charset=…` and others are
 * ignored, because the body is decoded as UTF-8 (which covers US-ASCII) whatever they say.
 */
export function isTextPlain(contentType: string): boolean {
  return contentType.split(';')[0]!.trim().toLowerCase() === 'text/plain';
}

function timeout(ctx: FetchContext): MtaStsFailure {
  const message = `fetching the policy from ${ctx.host} took longer than ${ctx.timeoutMs} ms`;
  return mtaStsFailure('timeout', message, ctx.at, { ...withId(ctx), errorCode: 'ETIMEOUT' });
}

/** The failure of the policy host's address lookup (or of the connect hook). */
export function lookupFailure(error: unknown, ctx: FetchContext): MtaStsFailure {
  if (error instanceof DeadlineError) return timeout(ctx);
  const code = (error as { code?: unknown } | null)?.code;
  const details = typeof code === 'string' ? { ...withId(ctx), errorCode: code } : withId(ctx);
  return mtaStsFailure('host_not_found', `policy host ${ctx.host} has no address`, ctx.at, details);
}

/** The failure of the HTTPS request: deadline, certificate, connect, handshake or HTTP. */
export function requestFailure(error: unknown, ctx: FetchContext): MtaStsFailure {
  if (error instanceof DeadlineError) return timeout(ctx);
  const code = error instanceof HttpsGetError ? error.code : undefined;
  const details = code === undefined ? withId(ctx) : { ...withId(ctx), errorCode: code };
  const why = error instanceof Error ? error.message : String(error);
  let reason: MtaStsFailureReason = 'http_error';
  if (certificateCode(code) !== undefined) reason = 'certificate_invalid';
  else if (error instanceof HttpsGetError && error.phase === 'connect') reason = 'connect_failed';
  else if (error instanceof HttpsGetError && error.phase === 'tls') reason = 'tls_failed';
  return mtaStsFailure(reason, `policy host ${ctx.host}: ${why}`, ctx.at, details);
}

/** Why an answer is not a policy (redirect, status, type, size), or `undefined`. */
export function answerFailure(res: HttpsGetResponse, ctx: FetchContext): MtaStsFailure | undefined {
  const { host, at } = ctx;
  if (res.status >= 300 && res.status < 400) {
    const message = `policy host ${host} answered ${res.status} (a redirect, which is never followed)`;
    return mtaStsFailure('http_redirect', message, at, { ...withId(ctx), httpStatus: res.status });
  }
  if (res.status !== 200) {
    const message = `policy host ${host} answered ${res.status}, not 200`;
    return mtaStsFailure('http_status', message, at, { ...withId(ctx), httpStatus: res.status });
  }
  if (!isTextPlain(res.contentType)) {
    const type =
      res.contentType === ''
        ? 'no Content-Type'
        : `Content-Type ${JSON.stringify(res.contentType.slice(0, 80))}`;
    const message = `policy host ${host} sent ${type}, not text/plain`;
    return mtaStsFailure('content_type', message, at, { ...withId(ctx), contentType: res.contentType });
  }
  if (res.tooLarge) {
    const message = `policy from ${host} is larger than ${MAX_MTA_STS_POLICY_BYTES} bytes`;
    return mtaStsFailure('too_large', message, at, withId(ctx));
  }
  return undefined;
}

/** The body as a policy: strict UTF-8, then the strict parse. */
export function bodyPolicy(
  body: Buffer | undefined,
  ctx: FetchContext,
): { readonly policy: MtaStsPolicy } | { readonly failure: MtaStsFailure } {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    const message = `policy from ${ctx.host} is not UTF-8 text`;
    return {
      failure: mtaStsFailure('policy_invalid', message, ctx.at, { ...withId(ctx), field: 'encoding' }),
    };
  }
  const parsed = parseMtaStsPolicy(text);
  if (parsed.status === 'valid') return { policy: parsed.policy };
  const { field, line, problem } = parsed;
  const message = `policy from ${ctx.host} is invalid${line === undefined ? '' : ` (line ${line})`}: ${problem}`;
  const details = { ...withId(ctx), field, ...(line === undefined ? {} : { line }) };
  return { failure: mtaStsFailure('policy_invalid', message, ctx.at, details) };
}
