import { explainDecision } from './explain.js';
import type {
  DecisionSource,
  InboundDecision,
  OutboundDecision,
  PolicyRule,
  TlsLevel,
  TlsVersion,
} from './types.js';
import type { WhitelistEntry } from './whitelist-entry.js';

// Classes keep explain() on the prototype: instances stay plain enumerable data (JSON.stringify
// shows no function), and every instance has the same shape, which keeps the hot path fast.
abstract class BaseDecision {
  readonly tlsRequired: boolean;

  constructor(
    readonly domain: string,
    readonly level: TlsLevel,
    readonly minVersion: TlsVersion,
    readonly fingerprints: readonly string[],
    readonly source: DecisionSource,
    readonly rule: PolicyRule | undefined,
    readonly entry: WhitelistEntry | undefined,
    readonly requiredLevel: TlsLevel,
    readonly whitelistable: boolean,
  ) {
    this.tlsRequired = level !== 'may';
  }
}

export class Outbound extends BaseDecision implements OutboundDecision {
  readonly direction = 'outbound' as const;
  readonly recipient: string;

  constructor(recipient: string, ...args: ConstructorParameters<typeof BaseDecision>) {
    super(...args);
    this.recipient = recipient;
  }

  explain(): string {
    return explainDecision(this);
  }
}

export class Inbound extends BaseDecision implements InboundDecision {
  readonly direction = 'inbound' as const;
  readonly sender: string;

  constructor(sender: string, ...args: ConstructorParameters<typeof BaseDecision>) {
    super(...args);
    this.sender = sender;
  }

  explain(): string {
    return explainDecision(this);
  }
}
