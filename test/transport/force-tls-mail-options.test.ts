import { generateKeyPairSync } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import nodemailer from 'nodemailer';
import { afterEach, describe, expect, it } from 'vitest';
import { createPolicy } from '../../src/policy/index.js';
import { defaultTestCa, startTestMx } from '../../src/testing/index.js';
import { forceTls } from '../../src/transport/index.js';
import { HAS_MAX_RECIPIENTS } from '../support/nodemailer-features.js';
import { relayFixtures } from '../support/relay-harness.js';
import { FAST, FROM, sensitiveInPlaintext } from '../support/transport-harness.js';

const { servers, closers, cleanup } = relayFixtures();
afterEach(cleanup);

const policy = createPolicy({ outbound: { default: 'encrypt' } });
const LOCAL_FILE = fileURLToPath(import.meta.url);

/** An existing SMTP transporter with `mailOptions`, wrapped by forceTls, pointed at a real test relay. */
async function wrapped(mailOptions: Record<string, unknown>) {
  const mx = await startTestMx({ name: 'relay.kanzlei.test' });
  servers.push(mx);
  const existing = nodemailer.createTransport({
    host: 'relay.kanzlei.test',
    port: 587,
    tls: { ca: defaultTestCa().cert },
    ...mailOptions,
  } as never);
  const secured = forceTls(existing, {
    policy,
    recipientProtection: 'trust-relay',
    connect: () => ({ host: mx.host, port: mx.port }),
    timeouts: FAST,
  });
  closers.push(
    () => secured.close(),
    () => existing.close(),
  );
  return { mx, secured };
}

describe('forceTls carries the mail-level options of the original transporter', () => {
  it('disableFileAccess: an attachment with a local path is still refused after wrapping, nothing sent', async () => {
    const { mx, secured } = await wrapped({ disableFileAccess: true });
    const sending = secured.sendMail({
      from: FROM,
      to: 'client@mandant.test',
      text: 'Anlage',
      attachments: [{ path: LOCAL_FILE }],
    });
    await expect(sending).rejects.toThrow(/file access/i);
    expect(mx.messages).toEqual([]);
  });

  it('disableUrlAccess: an attachment from a URL is still refused after wrapping', async () => {
    const { mx, secured } = await wrapped({ disableUrlAccess: true });
    const sending = secured.sendMail({
      from: FROM,
      to: 'client@mandant.test',
      text: 'Anlage',
      attachments: [{ path: 'http://127.0.0.1:9/anlage.pdf' }],
    });
    await expect(sending).rejects.toThrow(/url access/i);
    expect(mx.messages).toEqual([]);
  });

  it('maxRecipients: a message over the limit is refused before anything is sent', async ({ skip }) => {
    // nodemailer before 9.1 has no maxRecipients: the original transporter does not enforce it either.
    skip(!HAS_MAX_RECIPIENTS, 'maxRecipients came in nodemailer 9.1.0');
    const { mx, secured } = await wrapped({ maxRecipients: 2 });
    const to = ['a@mandant.test', 'b@mandant.test', 'c@mandant.test'];
    await expect(secured.sendMail({ from: FROM, to, text: 'x' })).rejects.toMatchObject({
      code: 'EMAXRECIPIENTS',
    });
    expect(mx.connections).toBe(0);
  });

  it('dkim: the received message carries a DKIM-Signature of the original signer', async () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const dkim = {
      domainName: 'sender.test',
      keySelector: 'kanzlei',
      privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    };
    const { mx, secured } = await wrapped({ dkim });
    await secured.sendMail({ from: FROM, to: 'client@mandant.test', text: 'Signiert.' });
    const signature = mx.messages[0]?.data.match(/^DKIM-Signature: [\s\S]*?(?=\r\n\S)/m)?.[0] ?? '';
    expect(signature).toMatch(/\bd=sender\.test;/);
    expect(signature).toMatch(/\bs=kanzlei;/);
    expect(mx.messages[0]?.secure).toBe(true);
    expect(sensitiveInPlaintext(mx)).toEqual([]);
  });
});
