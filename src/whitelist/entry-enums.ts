import type { Direction, MatchScope } from '../policy/types.js';

/** The directions a whitelist entry can have. */
export const DIRECTIONS: readonly Direction[] = Object.freeze(['outbound', 'inbound']);
/** The scopes a whitelist entry can have. */
export const SCOPES: readonly MatchScope[] = Object.freeze(['domain', 'subdomains', 'address']);

/** Why a direction was refused, for error messages. */
export const DIRECTION_RULE = 'must be "outbound" or "inbound"';
/** Why a scope was refused, for error messages. */
export const SCOPE_RULE = 'must be "domain", "subdomains" or "address"';

/** True for `outbound` and `inbound`. */
export function isDirection(value: unknown): value is Direction {
  return (DIRECTIONS as readonly unknown[]).includes(value);
}

/** True for `domain`, `subdomains` and `address`. */
export function isScope(value: unknown): value is MatchScope {
  return (SCOPES as readonly unknown[]).includes(value);
}
