/**
 * forced-tls in ten seconds, offline: three loopback mail servers (one with STARTTLS, one plaintext
 * only, one inside the BSI TR-02102-2 profile whose domain publishes an MTA-STS policy), a policy
 * requiring TLS for every recipient and the qualified tier for one, one message to all three, a
 * refusal with the "may whitelist" hint, a documented whitelist entry, and the same message again.
 *
 * Run it with `npm run demo`. Nothing leaves 127.0.0.1; DNS is a fake (`createTestNetwork`).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPolicy, createWhitelist, isForcedTlsError, userMessage, whitelistHint } from 'forced-tls';
import {
  createDirectTransport,
  type ForcedTlsSentMessageInfo,
  type RecipientReport,
} from 'forced-tls/nodemailer';
import { FileWhitelistStore } from 'forced-tls/stores/file';
import { createTestNetwork, defaultTestCa, startTestMx, startTestPolicyHost } from 'forced-tls/testing';
import nodemailer, { type Transporter } from 'nodemailer';

function section(title: string): void {
  console.log(`\n${title}`);
}

/** Two or three lines per recipient: delivered over TLS (the tier, how the server was authenticated, the certificate), in plaintext (whitelisted), or refused. */
function printReport(reports: readonly RecipientReport[]): void {
  for (const r of reports) {
    const tls = r.tls;
    if (r.state === 'delivered' && tls !== undefined) {
      const verified = tls.certificateVerified ? 'verified' : `NOT verified (${tls.authorizationError})`;
      console.log(`  DELIVERED ${r.recipient} over ${tls.protocol} with ${tls.cipher}`);
      console.log(`      tier ${r.tier}, server authenticated by ${r.authentication}${tierWhy(r)}`);
      console.log(
        `      certificate CN=${tls.subject}, issuer ${tls.issuer}, ${verified}, until ${tls.validTo}`,
      );
    } else if (r.state === 'delivered') {
      const e = r.whitelistEntry;
      console.log(`  DELIVERED ${r.recipient} WITHOUT TLS: WHITELISTED (entry ${e?.id})`);
      console.log(
        `      "${r.decision.requiredLevel}" would otherwise be required; approved by ${e?.approvedBy}`,
      );
    } else {
      const f = r.failure;
      console.log(
        `  REFUSED   ${r.recipient}: ${f?.code} in phase ${f?.phase}, may whitelist: ${f?.mayWhitelist}`,
      );
      console.log(`      ${r.decision.explanation}`);
    }
  }
}

/** Why a session is not qualified, or which MTA-STS policy made it so. */
function tierWhy(r: RecipientReport): string {
  const sts = r.tls?.mtaSts;
  if (r.tier === 'qualified' && sts?.applied)
    return ` (MTA-STS ${sts.mode}, id ${sts.id}, mx ${sts.pattern})`;
  const first = r.tls?.tierReasons[0];
  return first === undefined ? '' : ` (not qualified: ${first.code})`;
}

const started = Date.now();
const TLS_DOMAIN = 'mandant-gmbh.test';
const PLAIN_DOMAIN = 'altpraxis.test';
const QUALIFIED_DOMAIN = 'notariat.test';
const recipients = [`anna.schmidt@${TLS_DOMAIN}`, `empfang@${PLAIN_DOMAIN}`, `urkunden@${QUALIFIED_DOMAIN}`];

// 1. Three mail servers on 127.0.0.1, an HTTPS policy host for the notary's MTA-STS policy, and a
//    fake DNS pointing the domains (and the `_mta-sts` TXT record) at them.
const tlsMx = await startTestMx({ name: `mx.${TLS_DOMAIN}` });
const plainMx = await startTestMx({ name: `mx.${PLAIN_DOMAIN}`, starttls: false });
// The BSI profile asks for RSA keys of at least 3000 bits.
const strong = defaultTestCa().issue({ names: [`mx.${QUALIFIED_DOMAIN}`], keyBits: 3072 });
const qualifiedMx = await startTestMx({ name: `mx.${QUALIFIED_DOMAIN}`, tls: strong });
const policyHost = await startTestPolicyHost({
  policies: {
    [QUALIFIED_DOMAIN]: `version: STSv1\nmode: enforce\nmx: mx.${QUALIFIED_DOMAIN}\nmax_age: 604800\n`,
  },
});
const network = createTestNetwork({
  domains: {
    [TLS_DOMAIN]: { mx: [tlsMx.name] },
    [PLAIN_DOMAIN]: { mx: [plainMx.name] },
    [QUALIFIED_DOMAIN]: { mx: [qualifiedMx.name] },
    [`_mta-sts.${QUALIFIED_DOMAIN}`]: { txt: ['v=STSv1; id=20261201'] },
  },
  hosts: {
    [tlsMx.name]: tlsMx,
    [plainMx.name]: plainMx,
    [qualifiedMx.name]: qualifiedMx,
    [`mta-sts.${QUALIFIED_DOMAIN}`]: policyHost,
  },
});
const dir = await mkdtemp(join(tmpdir(), 'forced-tls-demo-'));

// 2. The policy: outbound-all (every recipient requires TLS), the notary at the qualified tier (DSK
//    "qualifizierte Transportverschlüsselung"), and a whitelist kept in a JSON file.
const policy = createPolicy({
  outbound: { default: 'encrypt', rules: [{ match: QUALIFIED_DOMAIN, level: 'qualified' }] },
});
const whitelist = createWhitelist(new FileWhitelistStore(join(dir, 'whitelist.json')));

// 3. Direct delivery to the recipients' MX hosts, with the TLS the policy requires.
const transporter: Transporter<ForcedTlsSentMessageInfo> =
  nodemailer.createTransport<ForcedTlsSentMessageInfo>(
    createDirectTransport({
      policy,
      whitelist,
      name: 'mail.kanzlei.test',
      resolver: network.resolver,
      connect: network.connect,
      ca: network.ca.cert, // trust the throw-away test CA that issued the servers' certificates
      pool: false,
      timeouts: { connect: 3000, greeting: 3000, tls: 3000, reply: 3000 },
    }),
  );
const message = {
  from: 'kanzlei@kanzlei.test',
  to: recipients,
  subject: 'Ihre Steuererklärung 2025',
  text: 'Vertraulich: Anbei der Entwurf Ihrer Steuererklärung.',
};

let exitCode = 0;
try {
  section('forced-tls demo: mandatory TLS (Zwangs-TLS), offline on 127.0.0.1');
  console.log(
    `  MX ${tlsMx.name}  ${tlsMx.host}:${tlsMx.port}  offers STARTTLS (certificate from a test CA)`,
  );
  console.log(`  MX ${plainMx.name}  ${plainMx.host}:${plainMx.port}  plaintext only, no STARTTLS`);
  console.log(
    `  MX ${qualifiedMx.name}  ${qualifiedMx.host}:${qualifiedMx.port}  STARTTLS, RSA-3072; ${QUALIFIED_DOMAIN} publishes MTA-STS enforce`,
  );
  console.log(
    `  policy: outbound default "encrypt": every recipient requires TLS; ${QUALIFIED_DOMAIN}: "qualified"`,
  );

  section(`1. Send one message to ${recipients.join(' and ')}`);
  const first = await transporter.sendMail(message);
  printReport(first.tls.recipients);
  const refused = first.tls.recipients.find((r) => r.state === 'refused')?.failure;
  const tiers = first.tls.recipients.map((r) => r.tier ?? 'none').join(',');
  if (tiers !== 'encrypted,none,qualified') throw new Error(`unexpected tiers ${tiers}`);
  const leaked = plainMx.log.filter((e) => /^(MAIL|RCPT|DATA)\b/i.test(e.line) || e.data).length;
  console.log(
    `  ${plainMx.name} received only: ${plainMx.commands().join(', ')} (no sender, recipient or text)`,
  );
  if (refused === undefined || !refused.mayWhitelist || leaked > 0)
    throw new Error('unexpected first delivery');
  for (const language of ['de', 'en'] as const) {
    console.log(`  [${language}] ${userMessage(refused.code, language, refused.domain)}`);
    console.log(`       ${whitelistHint(language, refused.whitelistRequest?.value ?? refused.domain)}`);
  }

  section(`2. The administrator whitelists ${refused.domain}, documented`);
  const entry = await whitelist.add({
    direction: 'outbound',
    scope: refused.whitelistRequest?.scope ?? 'domain',
    value: refused.whitelistRequest?.value ?? refused.domain,
    reason: 'Mandant hat unverschlüsseltem Versand schriftlich zugestimmt',
    approvedBy: 'Dr. Berater (Kanzleileitung)',
    consentRef: 'EINW-2026-017',
    expiresAt: new Date(Date.now() + 90 * 24 * 3600 * 1000),
  });
  console.log(`  entry ${entry.id} in ${join(dir, 'whitelist.json')}`);
  console.log(`  reason "${entry.reason}", approved by ${entry.approvedBy}, consent ${entry.consentRef}`);
  console.log(`  expires ${entry.expiresAt}`);
  console.log(
    `  policy now: ${policy.outbound(refused.recipient, { whitelist: await whitelist.snapshot() }).explain()}`,
  );

  section('3. Send the same message again');
  const second = await transporter.sendMail(message);
  printReport(second.tls.recipients);
  const plain = plainMx.messages[0];
  console.log(`  ${plainMx.name} received ${plainMx.messages.length} message, secure: ${plain?.secure}`);
  const ok = second.tls.recipients.every((r) => r.state === 'delivered');
  if (!ok || plainMx.messages.length !== 1 || tlsMx.messages.some((m) => !m.secure)) {
    throw new Error('unexpected second delivery');
  }
} catch (error) {
  exitCode = 1;
  console.error(`demo failed: ${isForcedTlsError(error) ? `${error.code} ${error.message}` : String(error)}`);
} finally {
  transporter.close();
  await network.close();
  await policyHost.close();
  await rm(dir, { recursive: true, force: true });
}
section(`Done in ${((Date.now() - started) / 1000).toFixed(1)} s: servers stopped, temporary files removed.`);
process.exitCode = exitCode;
