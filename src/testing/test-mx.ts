import { createServer, type Socket } from 'node:net';
import { createSecureContext, type SecureContext } from 'node:tls';
import { ForcedTlsError, isForcedTlsError } from '../errors/index.js';
import { checkTestMxOptions } from './check-arguments.js';
import { defaultTestCa, serverCertificate } from './test-mx-certificate.js';
import { resolveTestMxOptions, type TestMxOptions } from './test-mx-options.js';
import { TestMxRecorder } from './test-mx-recorder.js';
import { TestMxSession } from './test-mx-session.js';
import type { TestMx } from './test-mx-types.js';

// Certificates and TLS contexts built from the caller's settings: a failure is a bad option.
function usable<T>(path: string, build: () => T): T {
  try {
    return build();
  } catch (error) {
    if (isForcedTlsError(error)) throw error;
    const why = error instanceof Error ? `: ${error.message}` : '';
    throw new ForcedTlsError('EPOLICY', `startTestMx: the ${path} settings are unusable${why}`, {
      path,
      cause: error,
    });
  }
}

/**
 * Starts a scriptable SMTP server on loopback (port 0) for tests: a well-behaved TLS-capable MX by
 * default, or a hostile one (stripped STARTTLS, `454`, injected replies, garbage instead of a
 * ServerHello, bad certificates, stalls, …) through {@link TestMxOptions}. It logs every line it
 * receives with the phase (before or after TLS) and records accepted messages. Built on raw
 * `net`/`tls`, so it can misbehave in ways a real server library refuses to.
 *
 * @example
 * ```ts
 * const mx = await startTestMx({ name: 'mx.mandant.test', starttlsResponse: '454 4.7.0 TLS not available\r\n' });
 * // … send to it …
 * expect(mx.receivedInPlaintext()).toEqual([]); // no MAIL/RCPT/DATA/AUTH before TLS
 * await mx.close();
 * ```
 */
export async function startTestMx(input?: TestMxOptions): Promise<TestMx> {
  const options = checkTestMxOptions(input);
  const resolved = resolveTestMxOptions(options);
  const ca = options.ca ?? defaultTestCa();
  const certificate = usable('tls', () =>
    serverCertificate(resolved.name, options.certificate ?? 'valid', ca, options.tls),
  );
  let context: SecureContext | undefined;
  const secureContext = (): SecureContext => {
    context ??= createSecureContext({
      key: certificate.key,
      cert: certificate.cert,
      minVersion: options.tls?.minVersion ?? 'TLSv1.2',
      maxVersion: options.tls?.maxVersion ?? 'TLSv1.3',
      ...(options.tls?.ciphers === undefined ? {} : { ciphers: options.tls.ciphers }),
    });
    return context;
  };
  usable('tls', secureContext); // fail at start, not on the first connection, when the TLS settings are unusable

  const recorder = new TestMxRecorder();
  const sessions = new Set<TestMxSession>();
  const server = createServer((socket: Socket) => {
    recorder.connections += 1;
    const session = new TestMxSession(recorder.connections, socket, resolved, recorder, secureContext);
    sessions.add(session);
    socket.once('close', () => sessions.delete(session));
    session.start();
  });
  server.on('error', () => {});

  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => {
      server.off('error', reject);
      resolve();
    });
  }).catch((error: unknown) => {
    throw new ForcedTlsError('EPOLICY', `startTestMx cannot listen on ${host} (is it configured here?)`, {
      path: 'host',
      value: host,
      cause: error,
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;

  return {
    host,
    port,
    name: resolved.name,
    ca,
    fingerprint256: certificate.fingerprint256,
    log: recorder.log,
    messages: recorder.messages,
    auths: recorder.auths,
    handshakes: recorder.handshakes,
    get connections() {
      return recorder.connections;
    },
    receivedInPlaintext: (verbs) => recorder.receivedInPlaintext(verbs),
    commandsBeforeTls: () => recorder.commands('plain'),
    commands: (phase) => recorder.commands(phase),
    close: () =>
      new Promise<void>((resolve) => {
        for (const session of sessions) session.destroy();
        sessions.clear();
        server.close(() => resolve());
      }),
  };
}
