import { describeValue, ForcedTlsError, isForcedTlsError } from '../errors/index.js';
import { readShape } from '../internal/index.js';
import {
  evaluateInbound,
  type InboundDecision,
  isPolicy,
  isWhitelistIndex,
  type Policy,
  type WhitelistIndex,
} from '../policy/index.js';
import { type ReceivedInput, receivedValues } from './header-input.js';
import { parseReceived } from './parse-received.js';
import { detectTls } from './received-tls.js';
import type { ReceivedAnalysis, ReceivedHop, ReceivedRuleCheck, ReceivedStatus } from './received-types.js';
import { compileTrustedHosts, type TrustedHostMatcher } from './trusted-hosts.js';

/** Options for {@link analyzeReceived}. */
export interface AnalyzeReceivedOptions {
  /**
   * Your own hosts: names as they appear after `by` (`mx1.example.de`, `*.example.de`), and the IP
   * addresses or CIDR ranges of internal relays (`10.0.0.0/8`, `127.0.0.1` for a local content filter).
   * A hop counts as internal only when its recorded client address is listed: HELO names are forgeable.
   */
  readonly trustedHosts: readonly string[];
  /** With `sender`: check the message against the sender's inbound rule. */
  readonly policy?: Policy;
  /** The sender address to check (e.g. the Return-Path your server wrote). Required with `policy`. */
  readonly sender?: string;
  /** The whitelist index for the rule check (e.g. `await whitelist.snapshot()`). @default none */
  readonly whitelist?: WhitelistIndex;
  /** @default new Date() */
  readonly now?: Date;
  /** Only this many characters of raw header text are read. @default 262144 */
  readonly maxHeaderBytes?: number;
  /** Only this many Received headers (from the top) are read. @default 100 */
  readonly maxHops?: number;
  /** A longer Received value is reported with `problem: 'too_long'` and not parsed. @default 8192 */
  readonly maxHeaderLength?: number;
}

function limit(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new ForcedTlsError('EPOLICY', `${name} must be a positive integer`, { path: name, value });
  }
  return value;
}

function readHop(raw: string, index: number, trust: TrustedHostMatcher, maxLength: number): ReceivedHop {
  const base = { index, from: null, fromIp: null, by: null, with: null, date: null } as const;
  const none = { tls: 'unknown', tlsVersion: null, cipher: null, evidence: 'none' } as const;
  if (raw.length > maxLength) {
    return {
      ...base,
      ...none,
      raw: raw.slice(0, maxLength),
      trusted: false,
      fromTrusted: false,
      problem: 'too_long',
    };
  }
  const parsed = parseReceived(raw);
  const hop = {
    index,
    raw,
    from: parsed.from,
    fromIp: parsed.fromIp,
    by: parsed.by,
    with: parsed.withWords[0]?.toUpperCase() ?? null,
    ...detectTls(parsed),
    trusted: trust.byName(parsed.by),
    fromTrusted: trust.byIp(parsed.fromIp),
    date: parsed.date,
  };
  if (parsed.by === null) return { ...hop, problem: 'no_by' };
  return parsed.repeated ? { ...hop, problem: 'repeated_clause' } : hop;
}

// Walks down from the topmost header through hops between your own hosts; the first hop a trusted
// host received from an untrusted address is the boundary. Anything below it was written before
// the message reached you and is never used.
function findBoundary(hops: readonly ReceivedHop[]): {
  status: ReceivedStatus;
  boundary: ReceivedHop | null;
} {
  if (hops.length === 0) return { status: 'no_received_headers', boundary: null };
  for (const hop of hops) {
    if (!hop.trusted) {
      return { status: hop.index === 0 ? 'top_hop_untrusted' : 'trusted_chain_broken', boundary: null };
    }
    if (hop.from === null && hop.fromIp === null) return { status: 'no_boundary', boundary: null };
    if (!hop.fromTrusted) return { status: 'boundary_found', boundary: hop };
  }
  return { status: 'no_boundary', boundary: null };
}

function checkRule(
  options: AnalyzeReceivedOptions,
  policy: Policy,
  boundary: ReceivedHop | null,
): ReceivedRuleCheck {
  let decision: InboundDecision;
  try {
    const decide = {
      ...(options.whitelist && { whitelist: options.whitelist }),
      ...(options.now && { now: options.now }),
    };
    decision = policy.inbound(options.sender ?? '', decide);
  } catch (error) {
    if (isForcedTlsError(error) && error.code === 'EADDRESS') {
      return { outcome: 'undetermined', reason: 'invalid_sender', decision: null, verdict: null };
    }
    throw error;
  }
  const tls = boundary?.tls ?? 'unknown';
  if (!decision.tlsRequired || tls === 'plaintext') {
    const verdict = evaluateInbound(decision, { protocol: null });
    return { outcome: verdict.accept ? 'met' : 'not_met', reason: verdict.reason, decision, verdict };
  }
  if (tls === 'tls' && boundary?.tlsVersion) {
    const state = { protocol: boundary.tlsVersion, ...(boundary.cipher && { cipher: boundary.cipher }) };
    const verdict = evaluateInbound(decision, state);
    return { outcome: verdict.accept ? 'met' : 'not_met', reason: verdict.reason, decision, verdict };
  }
  const reason = tls === 'tls' ? 'tls_version_unknown' : 'tls_unknown';
  return { outcome: 'undetermined', reason, decision, verdict: null };
}

/**
 * Reports, per Received header, whether the hop used TLS, and decides from the one hop into your
 * trusted boundary whether the message arrived over TLS. With `policy` and `sender`, also whether
 * it met the sender's inbound rule. Untrusted headers are reported but never decide; unknown
 * formats give `unknown`, never `tls`. Hostile input gives a result, never a hang: parsing is
 * linear and sizes are capped. Throws `EPOLICY` only for invalid options.
 *
 * @example
 * ```ts
 * const result = analyzeReceived(rawHeaders, { trustedHosts: ['mx1.example.de', '10.0.0.0/8'] });
 * if (result.tls !== 'tls') console.warn('not received over TLS', result.status, result.boundary?.raw);
 * ```
 */
export function analyzeReceived(headers: ReceivedInput, options: AnalyzeReceivedOptions): ReceivedAnalysis {
  checkHeaders(headers);
  // Read once, each field in its own try: later code sees plain data that cannot throw or change.
  const o = readShape(options, OPTION_FIELDS, { optional: false }) as AnalyzeReceivedOptions;
  if (o.policy !== undefined && !isPolicy(o.policy)) {
    throw new ForcedTlsError('EPOLICY', 'policy must be a Policy from createPolicy()', { path: 'policy' });
  }
  if (o.whitelist !== undefined && !isWhitelistIndex(o.whitelist)) {
    throw new ForcedTlsError('EPOLICY', 'whitelist must be a WhitelistIndex', { path: 'whitelist' });
  }
  return analyze(headers, o);
}

const OPTION_FIELDS = {
  trustedHosts: 'any',
  policy: 'any',
  sender: 'string',
  whitelist: 'any',
  now: 'date',
  maxHeaderBytes: 'any',
  maxHops: 'any',
  maxHeaderLength: 'any',
} as const;

function checkHeaders(headers: unknown): void {
  if (typeof headers === 'string' || (typeof headers === 'object' && headers !== null)) return;
  throw new ForcedTlsError(
    'EPOLICY',
    `headers must be header text, a Buffer, a mailparser result or a header map (got ${describeValue(headers)})`,
    { path: 'headers', value: typeof headers },
  );
}

function analyze(headers: ReceivedInput, options: AnalyzeReceivedOptions): ReceivedAnalysis {
  const trust = compileTrustedHosts(options.trustedHosts);
  if (options.policy !== undefined && options.sender === undefined) {
    throw new ForcedTlsError('EPOLICY', 'sender is required when policy is given', { path: 'sender' });
  }
  const limits = {
    maxHeaderBytes: limit('maxHeaderBytes', options.maxHeaderBytes, 262_144),
    maxHops: limit('maxHops', options.maxHops, 100),
  };
  const maxLength = limit('maxHeaderLength', options.maxHeaderLength, 8192);
  let read: ReturnType<typeof receivedValues>;
  try {
    read = receivedValues(headers, limits);
  } catch (error) {
    // A getter or proxy trap of the caller's header object threw.
    throw new ForcedTlsError('EPOLICY', 'headers cannot be read (reading them threw)', {
      path: 'headers',
      cause: error,
    });
  }
  const { values, truncated } = read;
  const hops = values.map((raw, i) => readHop(raw, i, trust, maxLength));
  const { status, boundary } = findBoundary(hops);
  const result: ReceivedAnalysis = {
    status,
    tls: boundary?.tls ?? 'unknown',
    tlsVersion: boundary?.tlsVersion ?? null,
    cipher: boundary?.cipher ?? null,
    boundary,
    hops,
    truncated,
  };
  return options.policy === undefined
    ? result
    : { ...result, rule: checkRule(options, options.policy, boundary) };
}
