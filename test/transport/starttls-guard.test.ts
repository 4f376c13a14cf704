import SMTPConnection from 'nodemailer/lib/smtp-connection';
import { afterEach, describe, expect, it } from 'vitest';
import { adaptConnection } from '../../src/internal/nodemailer-compat.js';
import { guardStarttls } from '../../src/internal/starttls-guard.js';
import { defaultTestCa, startTestMx, type TestMx } from '../../src/testing/index.js';
import { DISCARDS_INJECTION, HAS_REQUIRETLS, NODEMAILER_VERSION } from '../support/nodemailer-features.js';
import { relayFixtures } from '../support/relay-harness.js';
import { refusal, sensitiveInPlaintext } from '../support/transport-harness.js';

const fixtures = relayFixtures();
afterEach(fixtures.cleanup);

// An unterminated fragment behind the 220: nodemailer before 9.0.3 prepends it to the first reply read
// over TLS, so a man in the middle writes a capability into the post-TLS EHLO reply.
const FRAGMENT = '220 Go ahead\r\n250-DSN ';
const LINES = '220 Go ahead\r\n250-DSN\r\n250 AUTH PLAIN\r\n';

/** Opens a raw nodemailer session (as the transports do) and reports what it believes after TLS. */
async function session(mx: TestMx, adapt: boolean) {
  const conn = new SMTPConnection({
    host: mx.host,
    port: mx.port,
    requireTLS: true,
    socketTimeout: 2000,
    tls: { servername: mx.name, ca: defaultTestCa().cert },
    logger: false,
  });
  const discarded: number[] = [];
  if (adapt) adaptConnection(conn, (bytes) => discarded.push(bytes));
  const outcome = await new Promise<{ secure?: boolean; error?: string }>((resolve) => {
    conn.once('error', (error) => resolve({ error: (error as { code?: string }).code ?? 'error' }));
    conn.connect(() => resolve({ secure: conn.secure }));
  });
  const extensions = (conn as unknown as { _supportedExtensions?: string[] })._supportedExtensions ?? [];
  conn.close();
  return { ...outcome, extensions, discarded };
}

describe(`STARTTLS response injection on nodemailer ${NODEMAILER_VERSION} (RFC 3207 §6)`, () => {
  const servers: TestMx[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });
  const start = async (starttlsResponse: string) => {
    const mx = await startTestMx({ name: 'mx.mandant.test', starttlsResponse });
    servers.push(mx);
    return mx;
  };

  it.each([
    ['an unterminated fragment', FRAGMENT],
    ['complete lines', LINES],
  ])(
    'with the library adaptation, %s injected behind the 220 never reaches the post-TLS EHLO',
    async (_, reply) => {
      const result = await session(await start(reply), true);
      expect(result).toMatchObject({ secure: true });
      expect(result.extensions).not.toContain('DSN');
      if (!DISCARDS_INJECTION) expect(result.discarded.length).toBe(1);
    },
  );

  it.skipIf(DISCARDS_INJECTION)(
    'without it, this nodemailer reads the injected fragment as a post-TLS capability',
    async () => {
      const result = await session(await start(FRAGMENT), false);
      expect(result).toMatchObject({ secure: true });
      expect(result.extensions).toContain('DSN');
    },
  );

  it('a connection without the internals the guard needs is refused (EUNSUPPORTED), never left unguarded', () => {
    expect(() => guardStarttls({})).toThrow(expect.objectContaining({ code: 'EUNSUPPORTED' }));
  });
});

describe.skipIf(!HAS_REQUIRETLS)(
  'relay mode: an injected REQUIRETLS is not taken for the relay offering it',
  () => {
    it('refuses the TLS-required recipient (EREQUIRETLS) and sends no MAIL FROM with REQUIRETLS', async () => {
      const { mx, send } = await fixtures.relay(
        { starttlsResponse: '220 Go ahead\r\n250-REQUIRETLS ' },
        { recipientProtection: 'requiretls' },
      );
      const error = await refusal(send());
      expect(error.recipients[0]).toMatchObject({ code: 'EREQUIRETLS', phase: 'mail' });
      expect(mx.log.some((e) => /REQUIRETLS/.test(e.line) && e.line.startsWith('MAIL'))).toBe(false);
      expect(sensitiveInPlaintext(mx)).toEqual([]);
    });
  },
);
