import type { Resolver } from '../dns/index.js';
import { isArray, readArgument, stringArgument } from '../errors/index.js';
import { errorCode } from '../internal/error-code.js';
import { milliseconds } from '../internal/options.js';
import { withDeadline } from './deadline.js';
import { MTA_STS_TXT_PREFIX, parseMtaStsTxt } from './txt-record.js';

/**
 * What the TXT lookup of `_mta-sts.<domain>` found (RFC 8461 §3.1):
 * - `found`: exactly one record beginning `v=STSv1;`, and it is valid;
 * - `not_found`: no such record (none at all, `ENODATA`, `ENOTFOUND`, or only other TXT records);
 * - `multiple`: more than one such record: the domain has no policy;
 * - `invalid`: one such record, syntactically invalid: the domain has no policy;
 * - `dns_error`: the lookup failed (timeout, SERVFAIL, …): nothing is known.
 */
export type MtaStsTxtStatus = 'found' | 'not_found' | 'multiple' | 'invalid' | 'dns_error';

/** The result of {@link discoverMtaSts}. */
export interface MtaStsTxtLookup {
  /** The name looked up: `_mta-sts.<domain>`. */
  readonly name: string;
  /** What the lookup found: `found`, `not_found`, `multiple`, `invalid` or `dns_error`. */
  readonly status: MtaStsTxtStatus;
  /** For `found`: the policy id. */
  readonly id?: string;
  /** For `found` and `invalid`: the record, its strings concatenated without spaces. */
  readonly record?: string;
  /** How many records began with `v=STSv1;`. */
  readonly records: number;
  /** For `invalid`: what is wrong. */
  readonly problem?: string;
  /** For `dns_error` and a negative `not_found`: the DNS code (`ETIMEOUT`, `ENODATA`, `ENOTFOUND`, …). */
  readonly dnsError?: string;
}

/** Options of {@link discoverMtaSts}. */
export interface DiscoverMtaStsOptions {
  /** Gives up with `dns_error` / `ETIMEOUT` after this many milliseconds. @default 10000 */
  readonly timeoutMs?: number;
}

const NEGATIVE = new Set(['ENODATA', 'ENOTFOUND']);

// node:dns's shape: a list of records, each a list of character strings.
const isTxtAnswer = (answer: unknown): answer is string[][] =>
  isArray(answer) && answer.every((r) => isArray(r) && r.every((s) => typeof s === 'string'));

function checkArguments(resolver: unknown, domain: unknown, input: unknown) {
  const methods = readArgument('resolver', resolver, { resolveTxt: 'function' });
  const options = readArgument('options', input, { timeoutMs: 'number' }, { optional: true });
  return {
    name: `_mta-sts.${stringArgument('domain', domain, 'EADDRESS')}`,
    hasTxt: methods.resolveTxt !== undefined,
    timeoutMs: milliseconds('timeoutMs', options.timeoutMs, 10_000, 'MTA-STS option'),
  };
}

/**
 * Looks up the MTA-STS TXT record of exactly `domain` (a normalized lowercase A-label domain; never
 * a parent, RFC 8461 §3.4): records not beginning `v=STSv1;` are discarded, each record's strings are
 * concatenated without spaces, and the domain has a policy only when exactly one valid record
 * remains. Never rejects for DNS failures (they are a `status`, a malformed answer `dns_error` with
 * `EBADRESP`); rejects with `EADDRESS` for a domain that is not a string and `EPOLICY` for other
 * arguments of the wrong kind.
 *
 * @example
 * ```ts
 * const txt = await discoverMtaSts(resolver, 'mandant.test');
 * if (txt.status === 'found') console.log('policy id', txt.id);
 * ```
 */
export async function discoverMtaSts(
  resolver: Resolver,
  domain: string,
  options: DiscoverMtaStsOptions = {},
): Promise<MtaStsTxtLookup> {
  const { name, hasTxt, timeoutMs } = checkArguments(resolver, domain, options);
  if (!hasTxt) {
    return { name, status: 'dns_error', records: 0, dnsError: 'ENOTIMP' };
  }
  let answer: unknown;
  try {
    answer = await withDeadline(resolver.resolveTxt!(name), timeoutMs, `TXT ${name}`);
  } catch (error) {
    const code = errorCode(error) ?? 'EUNKNOWN';
    return { name, status: NEGATIVE.has(code) ? 'not_found' : 'dns_error', records: 0, dnsError: code };
  }
  // A resolver that answers something else is broken: nothing is known, as after a failed lookup.
  if (!isTxtAnswer(answer)) return { name, status: 'dns_error', records: 0, dnsError: 'EBADRESP' };
  const candidates = answer
    .map((strings) => strings.join(''))
    .filter((r) => r.startsWith(MTA_STS_TXT_PREFIX));
  const [record] = candidates;
  if (record === undefined) return { name, status: 'not_found', records: 0 };
  if (candidates.length > 1) return { name, status: 'multiple', records: candidates.length };
  const parsed = parseMtaStsTxt(record);
  return parsed.status === 'valid'
    ? { name, status: 'found', id: parsed.id, record, records: 1 }
    : { name, status: 'invalid', record, records: 1, problem: parsed.problem };
}
