import { domainToASCII } from 'node:url';
import { parse as parseDomain } from 'tldts';
import { describeValue, ForcedTlsError, readShape } from '../errors/index.js';
import type { MatchScope } from './types.js';

/** An address split into its parts, domain as lowercase A-label. */
export interface NormalizedAddress {
  /** `local@domain` with the local part as written. */
  readonly address: string;
  /** The local part as written. */
  readonly local: string;
  /** The domain, lowercase A-label. */
  readonly domain: string;
  /** The comparison key: local part lowercased. */
  readonly key: string;
}

/** A match pattern or whitelist value after normalization. */
export interface NormalizedPattern {
  /** What the pattern matches: one address, one domain, or every subdomain. */
  readonly scope: MatchScope;
  /** Domain (A-label) for `domain` and `subdomains`, `local@domain` (lowercased) for `address`. */
  readonly value: string;
}

const MAX_INPUT = 1024;
const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;
// Printable characters allowed in a local part; quoting and comments are not supported.
const LOCAL_PART = /^[^\s"(),:;<>@[\\\]\u0000-\u001f\u007f]{1,64}$/u;

function invalid(kind: string, input: unknown, why: string): ForcedTlsError {
  const shown =
    typeof input !== 'string'
      ? describeValue(input)
      : JSON.stringify(input.length > 80 ? `${input.slice(0, 80)}…` : input);
  return new ForcedTlsError('EADDRESS', `Invalid ${kind} ${shown}: ${why}`, { value: input });
}

/**
 * Normalizes a domain to its lowercase A-label form (IDN → punycode, trailing dot removed).
 * Throws `EADDRESS` for anything that is not a host name of two or more labels.
 *
 * @example
 * ```ts
 * normalizeDomain('Müller-Steuer.DE'); // 'xn--mller-steuer-dlb.de'
 * ```
 */
export function normalizeDomain(input: string, options?: { allowSingleLabel?: boolean }): string {
  if (typeof input !== 'string') throw invalid('domain', input, 'not a string');
  if (isNormalLdh(input)) return input;
  if (input.length === 0 || input.length > MAX_INPUT) throw invalid('domain', input, 'empty or too long');
  let name = input.endsWith('.') ? input.slice(0, -1) : input;
  if (/[\s/\\?#@:[\]%]/u.test(name))
    throw invalid('domain', input, 'contains characters not allowed in a host name');
  // node's WHATWG domainToASCII applies UTS #46 mapping (case folding, IDN to punycode).
  name = domainToASCII(name);
  if (name === '' || name.length > 253) throw invalid('domain', input, 'not a valid host name');
  const labels = name.split('.');
  // Read only when it matters (a single label), so the hot path above never touches the options.
  if (labels.length < 2 && !singleLabelAllowed(options))
    throw invalid('domain', input, 'needs at least two labels');
  for (const label of labels) {
    if (!LABEL.test(label)) throw invalid('domain', input, `label ${JSON.stringify(label)} is not valid`);
  }
  if (/^[0-9]+$/.test(labels[labels.length - 1] ?? '')) throw invalid('domain', input, 'is an IP address');
  return name;
}

function singleLabelAllowed(options: unknown): boolean {
  return (
    options !== undefined && readShape(options, { allowSingleLabel: 'boolean' }).allowSingleLabel === true
  );
}

/**
 * The hot path: a name that is already lowercase letters, digits and hyphens in valid labels (no
 * punycode labels, which need the full check) is its own normal form.
 */
function isNormalLdh(name: string): boolean {
  const length = name.length;
  if (length === 0 || length > 253) return false;
  let labelStart = 0;
  let labels = 1;
  let digitsOnly = true;
  for (let i = 0; i <= length; i++) {
    const c = i === length ? 46 : name.charCodeAt(i);
    if (c === 46) {
      const size = i - labelStart;
      if (size === 0 || size > 63) return false;
      if (name.charCodeAt(labelStart) === 45 || name.charCodeAt(i - 1) === 45) return false;
      if (size > 3 && name.charCodeAt(labelStart + 2) === 45 && name.charCodeAt(labelStart + 3) === 45)
        return false;
      if (i < length) {
        labels++;
        labelStart = i + 1;
        digitsOnly = true;
      }
    } else if (c >= 48 && c <= 57) {
      // digit
    } else if ((c >= 97 && c <= 122) || c === 45) {
      digitsOnly = false;
    } else {
      return false;
    }
  }
  return labels >= 2 && !digitsOnly;
}

/**
 * Splits and normalizes an e-mail address (`local@domain`, optionally in angle brackets).
 * Address literals (`user@[192.0.2.1]`) and quoted local parts are refused with `EADDRESS`.
 */
export function normalizeAddress(input: string): NormalizedAddress {
  if (typeof input !== 'string') throw invalid('address', input, 'not a string');
  if (input.length === 0 || input.length > MAX_INPUT) throw invalid('address', input, 'empty or too long');
  let text = input.trim();
  if (text.startsWith('<') && text.endsWith('>')) text = text.slice(1, -1);
  const at = text.lastIndexOf('@');
  if (at <= 0 || at === text.length - 1) throw invalid('address', input, 'expected local@domain');
  const local = text.slice(0, at);
  if (!LOCAL_PART.test(local) || local.startsWith('.') || local.endsWith('.') || local.includes('..')) {
    throw invalid('address', input, 'local part is not valid');
  }
  const domain = normalizeDomain(text.slice(at + 1));
  return { address: `${local}@${domain}`, local, domain, key: `${local.toLowerCase()}@${domain}` };
}

/**
 * Parses a rule pattern or whitelist value: `example.de` (domain), `*.example.de` or `.example.de`
 * (subdomains), `user@example.de` (address).
 */
export function normalizePattern(input: string, scope?: MatchScope): NormalizedPattern {
  if (typeof input !== 'string') throw invalid('pattern', input, 'not a string');
  if (scope !== undefined && scope !== 'domain' && scope !== 'subdomains' && scope !== 'address') {
    throw new ForcedTlsError(
      'EPOLICY',
      `Invalid scope ${describeValue(scope)}: must be domain, subdomains or address`,
      {
        path: 'scope',
        value: scope,
      },
    );
  }
  const text = input.trim();
  const implied: MatchScope = text.includes('@')
    ? 'address'
    : text.startsWith('*.') || text.startsWith('.')
      ? 'subdomains'
      : 'domain';
  const wanted = scope ?? implied;
  if (wanted === 'address') {
    if (implied !== 'address') throw invalid('address', input, 'expected local@domain');
    return { scope: 'address', value: normalizeAddress(text).key };
  }
  if (implied === 'address') throw invalid('domain', input, `an address cannot have scope ${wanted}`);
  const bare = text.startsWith('*.') ? text.slice(2) : text.startsWith('.') ? text.slice(1) : text;
  if (implied === 'subdomains' && wanted === 'domain') {
    throw invalid('domain', input, 'a wildcard pattern cannot have scope domain');
  }
  // A bare top-level domain is a valid subdomain pattern (`*.de`); it is refused later as a public
  // suffix unless explicitly allowed.
  return { scope: wanted, value: normalizeDomain(bare, { allowSingleLabel: wanted === 'subdomains' }) };
}

/** True when `domain` (normalized) is itself a public suffix such as `de` or `co.uk`. */
export function isPublicSuffix(domain: string): boolean {
  if (typeof domain !== 'string') throw invalid('domain', domain, 'not a string');
  const parsed = parseDomain(domain, { allowPrivateDomains: false, extractHostname: false });
  return parsed.publicSuffix === domain || parsed.domain === null;
}
