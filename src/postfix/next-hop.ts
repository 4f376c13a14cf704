import { isIP } from 'node:net';
import { isForcedTlsError } from '../errors/index.js';
import { normalizeDomain } from '../policy/index.js';

/**
 * A key of Postfix's TLS policy table, parsed. Postfix looks up the next-hop destination
 * (smtp_tls_policy_maps in postconf(5)):
 * - `domain`: a recipient domain or an unbracketed transport next-hop (`example.de`,
 *   `example.de:2525`), looked up again as `.parent` keys while not found;
 * - `subdomains`: such a parent key, `.example.de`;
 * - `host`: a bracketed host name (`[mx.example.de]`, `[relay.example.de]:587`), no MX lookup, or
 *   an unbracketed single-label name (`localhost`);
 * - `address`: a bracketed IP address (`[192.0.2.1]:25`, `[ipv6:2001:db8::1]`);
 * - `invalid`: anything else (empty, spaces or control characters, a bad name or port).
 *
 * `canonical` is the key in lowercase A-label form, the form `nextHops` mappings are compared in.
 * As in Postfix, `[h]`, `[h]:25` and `[h]:smtp` are different keys.
 */
export type NextHop =
  | {
      /** A domain with at least two labels, unbracketed: MX lookup applies. */
      readonly kind: 'domain';
      /** `domain`, then `:port` when a port was given. */
      readonly canonical: string;
      /** The domain, lowercase A-label, without a trailing dot. */
      readonly domain: string;
      /** The port as written after the last colon, lowercase: digits (1–65535) or a service name; absent without one. */
      readonly port?: string;
    }
  | {
      /** A `.parent` key: any subdomain of `domain`. */
      readonly kind: 'subdomains';
      /** `.` and `domain`. */
      readonly canonical: string;
      /** The parent domain, lowercase A-label (a single label such as `de` is allowed). */
      readonly domain: string;
    }
  | {
      /**
       * A bracketed host name (no MX lookup), or an unbracketed single-label name such as
       * `localhost`, which no domain rule can name.
       */
      readonly kind: 'host';
      /** `[host]` (or `host` when it was not bracketed), then `:port` when a port was given. */
      readonly canonical: string;
      /** The host name, lowercase A-label, without brackets or a trailing dot. */
      readonly host: string;
      /** The port, lowercase: digits (1–65535) or a service name; absent without one. */
      readonly port?: string;
    }
  | {
      /** A bracketed IPv4 or IPv6 address literal. */
      readonly kind: 'address';
      /** `[address]`, IPv6 as `[ipv6:…]`, then `:port` when a port was given. */
      readonly canonical: string;
      /** The address, lowercase, without brackets or the `ipv6:` tag. */
      readonly address: string;
      /** The port, lowercase: digits (1–65535) or a service name; absent without one. */
      readonly port?: string;
    }
  | {
      /** Not a well-formed next-hop key. */
      readonly kind: 'invalid';
      /** Why, in English (`empty key`, `not a valid port`, `an IP address needs brackets`, …). */
      readonly reason: string;
    };

const MAX_KEY = 1024;
const PORT = /^(?:[0-9]{1,5}|[a-z][a-z0-9-]{0,31})$/;
// No whitespace, control characters or DEL: Postfix never sends them in a next-hop.
const UNPRINTABLE = /[\s\u0000-\u001f\u007f]/u;

function invalid(reason: string): NextHop {
  return { kind: 'invalid', reason };
}

function hostName(text: string, allowSingleLabel: boolean): string | undefined {
  try {
    return normalizeDomain(text, { allowSingleLabel });
  } catch (error) {
    if (isForcedTlsError(error)) return undefined;
    throw error;
  }
}

function parsePort(text: string): string | undefined | false {
  if (text === '') return undefined;
  const port = text.toLowerCase();
  if (!PORT.test(port)) return false;
  if (/^[0-9]+$/.test(port) && (Number(port) === 0 || Number(port) > 65535)) return false;
  return port;
}

function withPort<T extends object>(hop: T, port: string | undefined): T & { port?: string } {
  return port === undefined ? hop : { ...hop, port };
}

function bracketed(key: string): NextHop {
  const close = key.indexOf(']');
  if (close < 0) return invalid('no closing bracket');
  const inside = key.slice(1, close);
  const rest = key.slice(close + 1);
  if (rest !== '' && !rest.startsWith(':')) return invalid('text after the closing bracket');
  const port = parsePort(rest.slice(1));
  if (port === false || (rest === ':' && port === undefined)) return invalid('not a valid port');
  const suffix = port === undefined ? '' : `:${port}`;
  const literal = inside.toLowerCase().startsWith('ipv6:') ? inside.slice(5) : inside;
  if (isIP(literal) !== 0) {
    const address = literal.toLowerCase();
    const shown = isIP(literal) === 6 ? `ipv6:${address}` : address;
    return withPort({ kind: 'address', canonical: `[${shown}]${suffix}`, address }, port);
  }
  const host = hostName(inside, true);
  if (host === undefined) return invalid('not a host name or IP address');
  return withPort({ kind: 'host', canonical: `[${host}]${suffix}`, host }, port);
}

/**
 * Parses a TLS policy table key as Postfix sends it: any case, U-labels or A-labels, an optional
 * trailing dot. Never throws.
 *
 * @example
 * ```ts
 * parseNextHop('Mail.Example.DE');   // { kind: 'domain', domain: 'mail.example.de', canonical: 'mail.example.de' }
 * parseNextHop('.example.de');       // { kind: 'subdomains', domain: 'example.de', … }
 * parseNextHop('[127.0.0.1]:2525');  // { kind: 'address', address: '127.0.0.1', port: '2525', … }
 * ```
 */
export function parseNextHop(key: string): NextHop {
  if (typeof key !== 'string' || key === '') return invalid('empty key');
  if (key.length > MAX_KEY) return invalid('key too long');
  if (UNPRINTABLE.test(key)) return invalid('whitespace or control characters');
  if (key.startsWith('[')) return bracketed(key);
  if (key.startsWith('.')) {
    const domain = hostName(key.slice(1), true);
    if (domain === undefined || key.startsWith('..')) return invalid('not a valid parent domain');
    return { kind: 'subdomains', canonical: `.${domain}`, domain };
  }
  const colon = key.lastIndexOf(':');
  const port = colon < 0 ? undefined : parsePort(key.slice(colon + 1));
  if (port === false || (colon >= 0 && port === undefined)) return invalid('not a valid port');
  const name = colon < 0 ? key : key.slice(0, colon);
  if (isIP(name) !== 0) return invalid('an IP address needs brackets');
  const suffix = port === undefined ? '' : `:${port}`;
  const domain = hostName(name, false);
  if (domain !== undefined)
    return withPort({ kind: 'domain', canonical: `${domain}${suffix}`, domain }, port);
  // A single-label name (`localhost`) is a host Postfix can reach, but no policy names it.
  const host = hostName(name, true);
  if (host === undefined) return invalid('not a valid domain');
  return withPort({ kind: 'host', canonical: `${host}${suffix}`, host }, port);
}
