import { SMTPServer } from 'smtp-server';
import { defaultTestCa } from '../../src/testing/index.js';

/** A real `smtp-server` relay on 127.0.0.1:0 with a certificate for `name` from the default test CA. */
export interface SmtpServerRelay {
  readonly port: number;
  /** Whether each accepted message arrived over TLS. */
  readonly secureMessages: boolean[];
  /** Whether each AUTH arrived over TLS. */
  readonly secureAuths: boolean[];
  close(): Promise<void>;
}

/** Starts an `smtp-server` relay (implicit TLS with `secure: true`, else STARTTLS). */
export async function startSmtpServerRelay(
  name: string,
  secure: boolean,
  options: { readonly rejectAuth?: boolean } = {},
): Promise<SmtpServerRelay> {
  const { key, cert } = defaultTestCa().issue({ names: [name] });
  const secureMessages: boolean[] = [];
  const secureAuths: boolean[] = [];
  const server = new SMTPServer({
    secure,
    key,
    cert,
    minVersion: 'TLSv1.2',
    logger: false,
    disableReverseLookup: true,
    onAuth(_auth, session, callback) {
      secureAuths.push(session.secure);
      if (options.rejectAuth)
        return callback(Object.assign(new Error('Invalid credentials'), { responseCode: 535 }));
      callback(null, { user: 'kanzlei' });
    },
    onData(stream, session, callback) {
      stream.resume();
      stream.on('end', () => {
        secureMessages.push(session.secure);
        callback();
      });
    },
  });
  server.on('error', () => {});
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return {
    port,
    secureMessages,
    secureAuths,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
