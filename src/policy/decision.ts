import type { WhitelistEntry } from '../whitelist/types.js';
import { explainDecision } from './explain.js';
import type {
  DecisionSource,
  InboundDecision,
  OutboundDecision,
  PolicyRule,
  TlsLevel,
  TlsVersion,
} from './types.js';

/** The fields both decision kinds share, as computed by the engine. */
export interface DecisionFields {
  readonly domain: string;
  readonly level: TlsLevel;
  readonly minVersion: TlsVersion;
  readonly fingerprints: readonly string[];
  readonly source: DecisionSource;
  readonly rule: PolicyRule | undefined;
  readonly entry: WhitelistEntry | undefined;
  readonly requiredLevel: TlsLevel;
  readonly whitelistable: boolean;
}

// Classes keep explain() on the prototype: instances stay plain enumerable data (JSON.stringify
// shows no function) and are cheap to create on the hot path.
abstract class BaseDecision {
  readonly domain: string;
  readonly level: TlsLevel;
  readonly minVersion: TlsVersion;
  readonly fingerprints: readonly string[];
  readonly source: DecisionSource;
  readonly rule?: PolicyRule;
  readonly entry?: WhitelistEntry;
  readonly requiredLevel: TlsLevel;
  readonly whitelistable: boolean;
  readonly tlsRequired: boolean;

  constructor(fields: DecisionFields) {
    this.domain = fields.domain;
    this.level = fields.level;
    this.minVersion = fields.minVersion;
    this.fingerprints = fields.fingerprints;
    this.source = fields.source;
    if (fields.rule !== undefined) this.rule = fields.rule;
    if (fields.entry !== undefined) this.entry = fields.entry;
    this.requiredLevel = fields.requiredLevel;
    this.whitelistable = fields.whitelistable;
    this.tlsRequired = fields.level !== 'may';
  }
}

export class Outbound extends BaseDecision implements OutboundDecision {
  readonly direction = 'outbound' as const;
  constructor(
    readonly recipient: string,
    fields: DecisionFields,
  ) {
    super(fields);
  }

  explain(): string {
    return explainDecision(this);
  }
}

export class Inbound extends BaseDecision implements InboundDecision {
  readonly direction = 'inbound' as const;
  constructor(
    readonly sender: string,
    fields: DecisionFields,
  ) {
    super(fields);
  }

  explain(): string {
    return explainDecision(this);
  }
}
