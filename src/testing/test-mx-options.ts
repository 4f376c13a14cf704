import type { TestCa } from './test-ca-types.js';
import type {
  TestMxCertificatePreset,
  TestMxCommandContext,
  TestMxCommandResult,
  TestMxDribble,
  TestMxStallPoint,
  TestMxTlsOptions,
} from './test-mx-types.js';

/**
 * Behaviour of a test SMTP server. Every reply option takes the **raw bytes** to send, CRLFs included,
 * so a test can send malformed, multi-line or injected replies. The knobs follow the fake mail server
 * of the EAST toolkit (Poddebniak et al., "Why TLS is better without STARTTLS", USENIX Security 2021).
 */
export interface TestMxOptions {
  /** The MX host name the server poses as. @default 'mx.test' */
  readonly name?: string;
  /** Listen address. @default '127.0.0.1' */
  readonly host?: '127.0.0.1' | '::1';
  /** Raw greeting. @default `220 ${name} ESMTP forced-tls test server\r\n` */
  readonly greeting?: string;
  /** Close the connection right after the greeting. @default false */
  readonly dropAfterGreeting?: boolean;
  /** Stop answering at this point (the connection stays open). */
  readonly stallAt?: TestMxStallPoint;
  /** Answer at this point one byte at a time (every byte resets an idle timer, none ends the reply). */
  readonly dribble?: TestMxDribble;
  /**
   * Whether the server implements STARTTLS. `false` is a plaintext-only server: STARTTLS is not
   * advertised and is answered `502`. @default true
   */
  readonly starttls?: boolean;
  /** Whether the plaintext EHLO lists STARTTLS; `false` models a stripping attacker. @default starttls */
  readonly advertiseStarttls?: boolean;
  /** Extension lines of the plaintext EHLO reply (without the first `250-name` line); overrides `advertiseStarttls`. */
  readonly capabilities?: readonly string[];
  /** Extension lines of the EHLO reply after TLS. @default ['PIPELINING', '8BITMIME', 'SMTPUTF8'] (+ AUTH, REQUIRETLS) */
  readonly capabilitiesTls?: readonly string[];
  /** Raw reply to the plaintext EHLO, replacing the generated one (e.g. `'502 5.5.2 Not implemented\r\n'`). */
  readonly ehloResponse?: string;
  /** Raw reply to the EHLO after TLS. */
  readonly ehloResponseTls?: string;
  /** Raw reply to STARTTLS, e.g. `'454 4.7.0 TLS not available\r\n'` or `'220 Go\r\n250-injected\r\n'`. */
  readonly starttlsResponse?: string;
  /** Whether TLS starts after the STARTTLS reply. @default starttls && reply starts with '220' */
  readonly starttlsTransition?: boolean;
  /** What follows a STARTTLS transition: a real handshake, garbage instead of a ServerHello, a close, or silence. @default 'handshake' */
  readonly afterStarttls?: 'handshake' | 'garbage' | 'close' | 'stall';
  /** Port-465 style: TLS from the first byte, no STARTTLS. @default false */
  readonly implicitTls?: boolean;
  /** The certificate to present (ignored when `tls.key`/`tls.cert` are given). @default 'valid' */
  readonly certificate?: TestMxCertificatePreset;
  /** The CA issuing the certificate. @default the shared default test CA (`defaultTestCa()`) */
  readonly ca?: TestCa;
  /** TLS settings: an explicit key and certificate, protocol versions, ciphers. */
  readonly tls?: TestMxTlsOptions;
  /** Advertise REQUIRETLS (RFC 8689) after TLS. @default false */
  readonly requireTls?: boolean;
  /** AUTH mechanisms to advertise after TLS (`false`: none). @default ['PLAIN', 'LOGIN'] */
  readonly auth?: readonly string[] | false;
  /** Also advertise AUTH before TLS. @default false */
  readonly authBeforeTls?: boolean;
  /** Raw reply to `MAIL FROM`. @default '250 2.1.0 Ok\r\n' */
  readonly mailResponse?: string;
  /** Raw reply per recipient (`undefined`: the default `250 2.1.5 Ok`). */
  readonly rcptResponse?: (address: string) => string | undefined;
  /** Raw reply after the final dot. @default '250 2.0.0 Ok: queued\r\n' */
  readonly messageResponse?: string;
  /** A hook for anything else; it sees every command before the default handling. */
  readonly onCommand?: (context: TestMxCommandContext) => TestMxCommandResult;
}

/** The options with every default filled in. */
export interface ResolvedTestMxOptions {
  readonly name: string;
  readonly greeting: string;
  readonly capabilities: readonly string[];
  readonly capabilitiesTls: readonly string[];
  readonly starttls: boolean;
  readonly starttlsResponse: string;
  readonly starttlsTransition: boolean;
  readonly afterStarttls: 'handshake' | 'garbage' | 'close' | 'stall';
  readonly raw: TestMxOptions;
}

/** Fills in the defaults described on {@link TestMxOptions}. */
export function resolveTestMxOptions(options: TestMxOptions): ResolvedTestMxOptions {
  const name = options.name ?? 'mx.test';
  const starttls = options.starttls ?? true;
  const advertise = options.advertiseStarttls ?? starttls;
  const auth = options.auth === false ? [] : (options.auth ?? ['PLAIN', 'LOGIN']);
  const authLine = auth.length > 0 ? [`AUTH ${auth.join(' ')}`] : [];
  const base = ['PIPELINING', '8BITMIME', 'SMTPUTF8'];
  const capabilities = options.capabilities ?? [
    ...base,
    ...(options.authBeforeTls ? authLine : []),
    ...(advertise && !options.implicitTls ? ['STARTTLS'] : []),
  ];
  const capabilitiesTls = options.capabilitiesTls ?? [
    ...base,
    ...authLine,
    ...(options.requireTls ? ['REQUIRETLS'] : []),
  ];
  const starttlsResponse =
    options.starttlsResponse ??
    (starttls ? '220 2.0.0 Ready to start TLS\r\n' : '502 5.5.1 Command not implemented\r\n');
  return {
    name,
    greeting: options.greeting ?? `220 ${name} ESMTP forced-tls test server\r\n`,
    capabilities,
    capabilitiesTls,
    starttls,
    starttlsResponse,
    starttlsTransition: options.starttlsTransition ?? (starttls && starttlsResponse.startsWith('220')),
    afterStarttls: options.afterStarttls ?? 'handshake',
    raw: options,
  };
}
