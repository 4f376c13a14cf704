import { type CompiledDirection, decide } from './decide.js';
import { MatchIndex } from './match-index.js';
import { normalizeAddress } from './normalize.js';
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
import type { WhitelistIndex } from './whitelist-index.js';

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
    const top = validateTop(config);
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

  outbound(recipient: string, options: DecideOptions = {}): OutboundDecision {
    const address = normalizeAddress(recipient);
    const now = options.now ?? new Date();
    return decide(
      this.#outbound,
      address.address,
      address.key,
      address.domain,
      options.whitelist,
      now,
    ) as OutboundDecision;
  }

  inbound(sender: string, options: DecideOptions = {}): InboundDecision {
    const now = options.now ?? new Date();
    if (sender === '' || sender === '<>') {
      return decide(this.#inbound, '', undefined, '', undefined, now) as InboundDecision;
    }
    const address = normalizeAddress(sender);
    return decide(
      this.#inbound,
      address.address,
      address.key,
      address.domain,
      options.whitelist,
      now,
    ) as InboundDecision;
  }
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
export function createPolicy(config: PolicyConfig, options: CreatePolicyOptions = {}): Policy {
  return new CompiledPolicy(config, options);
}
