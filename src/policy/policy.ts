import { types } from 'node:util';
import { ForcedTlsError, isArray, isRecord, readShape } from '../errors/index.js';
import { type CompiledDirection, decide } from './decide.js';
import { MatchIndex } from './match-index.js';
import { normalizeAddress } from './normalize.js';
import { plainConfig } from './plain-config.js';
import type {
  Direction,
  InboundDecision,
  OutboundDecision,
  PolicyConfig,
  PolicyRule,
  TlsLevel,
  TlsVersion,
} from './types.js';
import { type DirectionSettings, type Locate, validateDirection, validateTop } from './validate.js';
import { isValidDate, isWhitelistIndex, type WhitelistIndex } from './whitelist-index.js';

/** Options of one decision. */
export interface DecideOptions {
  /** Whitelist entries to apply (from `whitelist.snapshot()` or `createWhitelistIndex`). */
  readonly whitelist?: WhitelistIndex;
  /** The instant used to ignore expired entries. @default new Date() */
  readonly now?: Date;
}

/** A validated policy. Decisions are pure, synchronous and do no I/O. */
export interface Policy {
  /** The configuration as given. */
  readonly config: PolicyConfig;
  /** Every rule, validated and normalized, in configuration order. */
  readonly rules: readonly PolicyRule[];
  /** Each direction's validated defaults (level and minimum TLS version for unlisted addresses). */
  readonly defaults: Readonly<Record<Direction, DirectionDefaults>>;
  /**
   * What TLS delivering to `recipient` requires. Throws `EADDRESS` for a malformed address.
   *
   * @example
   * ```ts
   * const policy = createPolicy({ outbound: { default: 'encrypt' } });
   * policy.outbound('mandant@gmx.de').level; // 'encrypt'
   * ```
   */
  outbound(recipient: string, options?: DecideOptions): OutboundDecision;
  /**
   * What TLS accepting mail from `sender` requires. `''` or `<>` is the null sender, to which
   * only the inbound default applies. Throws `EADDRESS` for a malformed address.
   */
  inbound(sender: string, options?: DecideOptions): InboundDecision;
}

/** A direction's defaults after validation. */
export interface DirectionDefaults {
  /** The level for everything no rule matches. */
  readonly level: TlsLevel;
  /** The minimum TLS version for every TLS level. */
  readonly minVersion: TlsVersion;
  /** Whether a whitelist entry may lower the default. */
  readonly whitelistable: boolean;
}

/** Options of {@link createPolicy}. */
export interface CreatePolicyOptions {
  /** File name shown by `explain()`. */
  readonly file?: string;
  /** Maps a rule's JSON path to its line (set by `parsePolicy`). */
  readonly locate?: Locate;
}

class CompiledPolicy implements Policy {
  readonly config: PolicyConfig;
  readonly rules: readonly PolicyRule[];
  readonly defaults: Readonly<Record<Direction, DirectionDefaults>>;
  readonly #outbound: CompiledDirection;
  readonly #inbound: CompiledDirection;

  constructor(config: PolicyConfig, options: CreatePolicyOptions) {
    const top = validateTop(plainConfig(config));
    const locate: Locate =
      options.locate ?? (() => (options.file === undefined ? {} : { file: options.file }));
    this.#outbound = compile(validateDirection('outbound', top['outbound'], locate));
    this.#inbound = compile(validateDirection('inbound', top['inbound'], locate));
    this.config = config;
    this.rules = Object.freeze([...this.#outbound.settings.rules, ...this.#inbound.settings.rules]);
    const defaultsOf = ({ level, minVersion, whitelistable }: DirectionSettings) =>
      Object.freeze({ level, minVersion, whitelistable });
    this.defaults = Object.freeze({
      outbound: defaultsOf(this.#outbound.settings),
      inbound: defaultsOf(this.#inbound.settings),
    });
  }

  outbound(recipient: string, options?: DecideOptions): OutboundDecision {
    const address = normalizeAddress(recipient);
    if (options !== undefined) checkDecideOptions(options);
    const whitelist = options?.whitelist;
    const now = options?.now ?? new Date();
    return decide(
      this.#outbound,
      address.address,
      address.key,
      address.domain,
      whitelist,
      now,
    ) as OutboundDecision;
  }

  inbound(sender: string, options?: DecideOptions): InboundDecision {
    if (options !== undefined) checkDecideOptions(options);
    const whitelist = options?.whitelist;
    const now = options?.now ?? new Date();
    if (sender === '' || sender === '<>') {
      return decide(this.#inbound, '', undefined, '', undefined, now) as InboundDecision;
    }
    const address = normalizeAddress(sender);
    return decide(
      this.#inbound,
      address.address,
      address.key,
      address.domain,
      whitelist,
      now,
    ) as InboundDecision;
  }
}

function refuseOption(path: string, value: unknown, why: string): ForcedTlsError {
  return new ForcedTlsError('EPOLICY', `Invalid decide option ${path}: ${why}`, { path, value });
}

// The hot path: a plain object with a whitelist and a time, a few checks each. The fields are read
// again by the caller; a getter that throws is refused here, inside the try.
function checkDecideOptions(options: unknown): void {
  if (!isRecord(options)) throw refuseOption('options', options, 'must be an object');
  let whitelist: unknown;
  let now: unknown;
  try {
    ({ whitelist, now } = options);
  } catch (error) {
    throw new ForcedTlsError('EPOLICY', 'Invalid decide options: reading them threw', {
      path: 'options',
      cause: error,
    });
  }
  if (whitelist !== undefined && !isWhitelistIndex(whitelist)) {
    throw refuseOption(
      'whitelist',
      whitelist,
      'must be a WhitelistIndex (from createWhitelistIndex or snapshot())',
    );
  }
  if (now !== undefined && now !== lastValidNow) {
    if (!isValidDate(now)) throw refuseOption('now', now, 'must be a valid Date');
    // Callers pass the same Date to many decisions (one per recipient): it is checked once.
    lastValidNow = now;
  }
}

let lastValidNow: unknown;

function createOptions(options: unknown): CreatePolicyOptions {
  const o = readShape(options, { file: 'string', locate: 'function' }, { subject: 'createPolicy option' });
  return o as CreatePolicyOptions;
}

function compile(settings: CompiledDirection['settings']): CompiledDirection {
  const rules = new MatchIndex<PolicyRule>();
  for (const rule of settings.rules) rules.add(rule);
  return { settings, rules };
}

/**
 * Validates a policy configuration. Invalid configuration throws `ForcedTlsError` with code
 * `EPOLICY`, naming the field path (`error.path`) and the offending value (`error.value`).
 *
 * @example
 * ```ts
 * const policy = createPolicy({
 *   outbound: {
 *     default: 'encrypt',
 *     rules: [{ match: '*.versicherung.de', level: 'verify', whitelistable: false }],
 *   },
 *   inbound: { rules: [{ match: 'bank.de', level: 'encrypt' }] },
 * });
 * ```
 */
export function createPolicy(config: PolicyConfig, options?: CreatePolicyOptions): Policy {
  return new CompiledPolicy(config, createOptions(options));
}

/**
 * True for a policy from `createPolicy` (of this or another copy of the package): it has
 * `outbound` and `inbound` methods, a list of rules and validated defaults. Asking runs no getter
 * that throws.
 *
 * @example
 * ```ts
 * isPolicy(createPolicy({})); // true; isPolicy({ outbound() {} }): false
 * ```
 */
export function isPolicy(value: unknown): value is Policy {
  if (!isRecord(value) || types.isProxy(value)) return false;
  try {
    const p = value as unknown as Policy;
    return (
      typeof p.outbound === 'function' &&
      typeof p.inbound === 'function' &&
      isArray(p.rules) &&
      isRecord(p.defaults) &&
      isRecord(p.defaults.outbound) &&
      isRecord(p.defaults.inbound) &&
      typeof p.defaults.outbound.minVersion === 'string' &&
      typeof p.defaults.inbound.minVersion === 'string'
    );
  } catch {
    return false;
  }
}
