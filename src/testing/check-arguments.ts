import { describeValue, ForcedTlsError } from '../errors/index.js';
import { isArray, isRecord, readShape } from '../internal/index.js';
import type { TestCertificateOptions } from './test-ca-types.js';
import type { TestMxOptions } from './test-mx-options.js';

// The testing helpers check their arguments like the library does: a wrong type is EPOLICY naming
// the option, never a TypeError from deep inside a server or a certificate builder.

const SUBJECT = 'test option';
const TLS_VERSION_NAMES = ['TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'] as const;

function refuse(path: string, value: unknown, why: string): ForcedTlsError {
  return new ForcedTlsError('EPOLICY', `Invalid ${SUBJECT} ${path} ${describeValue(value)}: ${why}`, {
    path,
    value,
  });
}

/**
 * Throws unless `value` is undefined or an array of strings.
 *
 * @example
 * ```ts
 * stringList('auth', ['PLAIN']); // ok; stringList('auth', [1]) throws EPOLICY naming auth[0]
 * ```
 */
export function stringList(path: string, value: unknown): void {
  if (value === undefined) return;
  if (!isArray(value)) throw refuse(path, value, 'must be an array of strings');
  for (let i = 0; i < value.length; i++) {
    if (typeof value[i] !== 'string') throw refuse(`${path}[${i}]`, value[i], 'must be a string');
  }
}

const TEST_MX_FIELDS = {
  name: 'string',
  host: ['127.0.0.1', '::1'],
  greeting: 'string',
  dropAfterGreeting: 'boolean',
  stallAt: ['greeting', 'ehlo', 'ehlo-tls', 'starttls', 'data', 'message'],
  starttls: 'boolean',
  advertiseStarttls: 'boolean',
  capabilities: 'array',
  capabilitiesTls: 'array',
  ehloResponse: 'string',
  ehloResponseTls: 'string',
  starttlsResponse: 'string',
  starttlsTransition: 'boolean',
  afterStarttls: ['handshake', 'garbage', 'close', 'stall'],
  implicitTls: 'boolean',
  certificate: ['valid', 'expired', 'not-yet-valid', 'wrong-name', 'self-signed', 'unknown-ca'],
  ca: 'object',
  tls: 'object',
  requireTls: 'boolean',
  auth: 'any',
  authBeforeTls: 'boolean',
  mailResponse: 'string',
  rcptResponse: 'function',
  messageResponse: 'string',
  onCommand: 'function',
  dribble: 'object',
} as const;

const TLS_FIELDS = {
  key: 'string',
  cert: 'string',
  minVersion: TLS_VERSION_NAMES,
  maxVersion: TLS_VERSION_NAMES,
  ciphers: 'string',
} as const;

const CA_FIELDS = { cert: 'string', key: 'string', issue: 'function' } as const;

/**
 * The options of `startTestMx`, read once into plain data with every field's type checked.
 *
 * @example
 * ```ts
 * checkTestMxOptions({ name: 'mx.test', stallAt: 'data' }); // a plain copy
 * ```
 */
export function checkTestMxOptions(input: unknown): TestMxOptions {
  const options = readShape(input, TEST_MX_FIELDS, { subject: SUBJECT }) as Record<string, unknown>;
  stringList('capabilities', options['capabilities']);
  stringList('capabilitiesTls', options['capabilitiesTls']);
  if (options['auth'] !== undefined && options['auth'] !== false) stringList('auth', options['auth']);
  const tls =
    options['tls'] === undefined
      ? undefined
      : readShape(options['tls'], TLS_FIELDS, { path: 'tls', subject: SUBJECT });
  if (options['ca'] !== undefined) readShape(options['ca'], CA_FIELDS, { path: 'ca', subject: SUBJECT });
  return { ...options, ...(tls === undefined ? {} : { tls }) } as TestMxOptions;
}

/**
 * The options of a test certificate, checked: `names` strings, the times valid Dates.
 *
 * @example
 * ```ts
 * checkCertificateOptions({ names: ['mx.test'] }); // ok
 * ```
 */
export function checkCertificateOptions(input: unknown): TestCertificateOptions {
  const options = readShape(
    input,
    {
      names: 'array',
      commonName: 'string',
      notBefore: 'date',
      notAfter: 'date',
      keyBits: 'number',
      commonNameOnly: 'boolean',
    },
    { optional: false, subject: SUBJECT },
  );
  if (options.names === undefined) throw refuse('names', undefined, 'must be an array of DNS names');
  stringList('names', options.names);
  return options as TestCertificateOptions;
}

/**
 * A test CA's options (`commonName`), checked.
 *
 * @example
 * ```ts
 * checkCaOptions({ commonName: 'test CA' }); // { commonName: 'test CA' }
 * ```
 */
export function checkCaOptions(input: unknown): { commonName?: string } {
  return readShape(input, { commonName: 'string' }, { subject: SUBJECT }) as { commonName?: string };
}

const DOMAIN_ANSWERS = new Set(['null-mx', 'nxdomain', 'nodata', 'timeout', 'servfail']);

/**
 * Throws unless `answer` is a test domain's DNS answer (see `TestDomain`).
 *
 * @example
 * ```ts
 * checkTestDomain('domains.a.test', { mx: ['mx.a.test'] }); // ok
 * ```
 */
export function checkTestDomain(path: string, answer: unknown): void {
  if (typeof answer === 'string' && DOMAIN_ANSWERS.has(answer)) return;
  const { mx } = readShape(answer, { mx: 'array' }, { path, optional: false, subject: SUBJECT });
  ((mx ?? []) as unknown[]).forEach((record, i) => {
    if (typeof record === 'string') return;
    readShape(
      record,
      { exchange: 'string', priority: 'number' },
      { path: `${path}.mx[${i}]`, optional: false },
    );
  });
}

/**
 * Throws unless `host` is a test host (a running test server, `{ host, port }` or `'refused'`).
 *
 * @example
 * ```ts
 * checkTestHost('hosts.mx.test', 'refused'); // ok
 * ```
 */
export function checkTestHost(path: string, host: unknown): void {
  if (host === 'refused') return;
  const { host: address, port } = readShape(
    host,
    { host: 'string', port: 'number' },
    { path, optional: false, subject: SUBJECT },
  );
  if (address === undefined || port === undefined)
    throw refuse(path, host, "must be a test server, { host, port } or 'refused'");
}

/**
 * The entries of a record option (`domains`, `hosts`), each checked by `check`.
 *
 * @example
 * ```ts
 * recordEntries('hosts', { 'mx.test': 'refused' }, checkTestHost); // [['mx.test', 'refused']]
 * ```
 */
export function recordEntries(
  path: string,
  value: unknown,
  check: (path: string, v: unknown) => void,
): [string, unknown][] {
  if (value === undefined) return [];
  if (!isRecord(value)) throw refuse(path, value, 'must be an object');
  let entries: [string, unknown][];
  try {
    entries = Object.entries(value);
  } catch (error) {
    throw new ForcedTlsError('EPOLICY', `Invalid ${SUBJECT} ${path}: it cannot be read`, {
      path,
      cause: error,
    });
  }
  for (const [key, v] of entries) check(`${path}.${key}`, v);
  return entries;
}

/**
 * Throws unless every argument is a string (for `dnsError`).
 *
 * @example
 * ```ts
 * checkStrings({ code: 'ENOTFOUND' }); // ok
 * ```
 */
export function checkStrings(values: Readonly<Record<string, unknown>>): void {
  for (const [path, value] of Object.entries(values)) {
    if (typeof value !== 'string') throw refuse(path, value, 'must be a string');
  }
}
