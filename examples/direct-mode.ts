/**
 * Direct-to-MX delivery with forced TLS, the way an MTA does it. Three recipient domains run on
 * 127.0.0.1 behind a test DNS: `mandant-gmbh.test` (valid TLS), `steuer-alt.test` (no STARTTLS) and
 * `notar.test` (whitelisted for plaintext). Then the same message in testing mode. Run with
 * `npx tsx examples/direct-mode.ts`; it exits by itself and nothing leaves 127.0.0.1.
 */

import { createPolicy, createWhitelist, MemoryWhitelistStore, userMessage, whitelistHint } from 'forced-tls';
import { createDirectTransport, type DeliveryAttempt } from 'forced-tls/nodemailer';
import { createTestNetwork, startTestMx } from 'forced-tls/testing';
import nodemailer from 'nodemailer';

const network = createTestNetwork({
  domains: {
    'mandant-gmbh.test': { mx: ['mx.mandant-gmbh.test'] },
    'steuer-alt.test': { mx: ['mx.steuer-alt.test'] },
    'notar.test': { mx: ['mx.notar.test'] },
  },
  hosts: {
    'mx.mandant-gmbh.test': await startTestMx({ name: 'mx.mandant-gmbh.test' }),
    'mx.steuer-alt.test': await startTestMx({ name: 'mx.steuer-alt.test', starttls: false }),
    'mx.notar.test': await startTestMx({ name: 'mx.notar.test', starttls: false }),
  },
});
const policy = createPolicy({ outbound: { default: 'verify' } });
const whitelist = createWhitelist(new MemoryWhitelistStore());
await whitelist.add({
  direction: 'outbound',
  scope: 'domain',
  value: 'notar.test',
  reason: 'Notar hat unverschlüsselten Empfang schriftlich akzeptiert',
  approvedBy: 'admin@kanzlei.test',
});

function transporter(testing: boolean) {
  const transport = createDirectTransport({
    policy,
    whitelist,
    name: 'mail.kanzlei.test', // your sending host's fully qualified name
    resolver: network.resolver, // only for the example: production uses the system DNS
    connect: network.connect,
    ca: network.ca.cert, // the example's test CA, added to Node's root store (public CAs stay trusted)
    testing,
    onAttempt: (a: DeliveryAttempt) =>
      console.log(
        `  attempt ${a.host}:${a.port} level=${a.level} ${a.outcome} ${a.tls?.protocol ?? a.code ?? ''}`,
      ),
  });
  return nodemailer.createTransport(transport);
}

const message = {
  from: 'kanzlei@kanzlei.test',
  to: ['chefin@mandant-gmbh.test', 'buero@steuer-alt.test', 'kanzlei@notar.test'],
  subject: 'Jahresabschluss',
  text: 'Vertraulich.',
};

try {
  console.log('enforce mode:');
  const enforce = transporter(false);
  const info = await enforce.sendMail(message);
  for (const r of info.tls.recipients) {
    const how = r.tls
      ? ` (${r.tls.protocol}, certificate verified: ${r.tls.certificateVerified})`
      : r.plaintext
        ? ` (plaintext${r.tlsFailure ? ` after ${r.tlsFailure.code}` : ''})`
        : '';
    console.log(
      `  ${r.recipient}: ${r.state}${how}${r.whitelistEntry ? ` by entry ${r.whitelistEntry.id}` : ''}`,
    );
    if (r.failure) {
      console.log(
        `    ${r.failure.code} at ${r.failure.phase}: ${userMessage(r.failure.code, 'de', r.domain)}`,
      );
      if (r.failure.whitelistRequest)
        console.log(`    ${whitelistHint('de', r.failure.whitelistRequest.value)}`);
    }
  }
  enforce.close();

  console.log('testing mode (nothing refused for TLS, verdicts reported):');
  const testing = transporter(true);
  const trial = await testing.sendMail(message);
  for (const r of trial.tls.recipients)
    console.log(`  ${r.recipient}: ${r.state}, would refuse: ${r.wouldRefuse?.code ?? 'no'}`);
  testing.close();
} finally {
  await network.close();
}
