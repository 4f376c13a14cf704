import { describeValue, ForcedTlsError } from '../errors/index.js';

const LABEL = /^[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?$/;

/**
 * A DNS name as the resolver asks for it: ASCII (A-labels), lowercase, without trailing dot, each
 * label 1–63 characters of letters, digits, `-` and `_` (for `_25._tcp`), at most 253 in total.
 * Throws `EADDRESS` otherwise: internationalized names must be converted to A-labels first.
 *
 * @example
 * ```ts
 * normalizeDnsName('MX1.Mandant.test.'); // 'mx1.mandant.test'
 * ```
 */
export function normalizeDnsName(name: unknown): string {
  const lower = typeof name === 'string' ? name.toLowerCase().replace(/\.$/, '') : '';
  const valid = lower.length > 0 && lower.length <= 253 && lower.split('.').every((l) => LABEL.test(l));
  if (!valid) throw new ForcedTlsError('EADDRESS', `not a DNS name: ${describeValue(name)}`, { value: name });
  return lower;
}
