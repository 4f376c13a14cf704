import type { MatchScope } from './types.js';

// Most specific wins: address > exact domain > longer subdomain pattern > shorter > default.
// Subdomain patterns rank by their label count (at most 127 labels fit in a 253-octet name).
const ADDRESS = 1000;
const DOMAIN = 500;

/** A number that orders matches by specificity; 0 is the direction's default. */
export function specificity(scope: MatchScope, value: string): number {
  if (scope === 'address') return ADDRESS;
  if (scope === 'domain') return DOMAIN;
  let labels = 1;
  for (let i = 0; i < value.length; i++) if (value.charCodeAt(i) === 46) labels++;
  return labels;
}
