/**
 * Wrap the nodemailer transporter an app already has so it only ever talks TLS to the relay.
 * Two relays run on 127.0.0.1 (test servers posing as `smtp.kanzlei.test`): one with STARTTLS and
 * REQUIRETLS, one without STARTTLS. Run with `npx tsx examples/wrap-existing-transporter.ts`; it exits
 * by itself and nothing leaves 127.0.0.1.
 */

import { createPolicy, isForcedTlsError, userMessage, whitelistHint } from 'forced-tls';
import { type ForcedTlsSentMessageInfo, forceTls } from 'forced-tls/nodemailer';
import { defaultTestCa, startTestMx, type TestMx } from 'forced-tls/testing';
import nodemailer, { type Transporter } from 'nodemailer';

const policy = createPolicy({ outbound: { default: 'encrypt' } });

/** The one line an app adds: the same transporter, TLS forced. */
function secure(existing: Transporter, relay: TestMx): Transporter<ForcedTlsSentMessageInfo> {
  const connect = () => ({ host: relay.host, port: relay.port }); // only for the example: the relay is local
  try {
    // The relay must deliver onward over TLS (REQUIRETLS, RFC 8689).
    return forceTls(existing, { policy, recipientProtection: 'requiretls', connect });
  } catch (error) {
    // REQUIRETLS needs nodemailer 7.0.12 or newer; an older one is refused (EUNSUPPORTED). Decide for
    // your app what protects the onward hop instead; the example trusts the relay and says so.
    if (!isForcedTlsError(error) || error.code !== 'EUNSUPPORTED') throw error;
    console.log(`${error.message}: trusting the relay to deliver onward over TLS`);
    return forceTls(existing, { policy, recipientProtection: 'trust-relay', connect });
  }
}

async function demo(relay: TestMx): Promise<void> {
  // The transporter the app already has (in production: your smarthost, port 587 or 465).
  const existing = nodemailer.createTransport({
    host: 'smtp.kanzlei.test',
    port: 587,
    auth: { user: 'kanzlei', pass: 'geheim' },
    // The example's test CA; omit in production. As in nodemailer, tls.ca replaces Node's root store:
    // the relay is then trusted only with a certificate from this CA.
    tls: { ca: defaultTestCa().cert },
  });
  const secured = secure(existing, relay);
  try {
    const info = await secured.sendMail({
      from: 'kanzlei@kanzlei.test',
      to: 'mandant@mandant-gmbh.test',
      subject: 'Ihre Unterlagen',
      text: 'Vertraulich.',
    });
    for (const r of info.tls.recipients) {
      console.log(
        `${r.recipient}: ${r.state} via ${r.mx} over ${r.tls?.protocol}, protection ${r.relayProtection}`,
      );
    }
  } catch (error) {
    if (!isForcedTlsError(error)) throw error;
    console.log(`${error.code}: nothing was sent`);
    for (const r of error.recipients) {
      console.log(`  ${r.recipient} ${r.code} at ${r.phase} (${r.transient ? 'transient' : 'permanent'})`);
      // A relay-connection failure names the relay; a recipient-side one (relay-check) the recipient.
      const about = r.phase === 'relay-check' ? r.domain : (r.mx ?? r.domain);
      console.log(`  de: ${userMessage(r.code, 'de', about)}`);
      console.log(`  en: ${userMessage(r.code, 'en', about)}`);
      if (r.mayWhitelist) console.log(`  ${whitelistHint('de', r.whitelistRequest.value)}`);
    }
  } finally {
    secured.close();
    existing.close();
  }
}

const good = await startTestMx({ name: 'smtp.kanzlei.test', requireTls: true });
const plain = await startTestMx({ name: 'smtp.kanzlei.test', starttls: false });
try {
  await demo(good);
  await demo(plain);
  console.log(
    `AUTH seen by the good relay: ${good.auths.map((a) => `${a.mechanism} over ${a.phase}`).join(', ')}`,
  );
  console.log(`commands the plaintext relay received: ${plain.commands().join(' ')}`);
} finally {
  await Promise.all([good.close(), plain.close()]);
}
