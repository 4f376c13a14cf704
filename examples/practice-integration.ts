/**
 * How a practice-management app uses forced-tls: a module sends a client letter; a recipient whose
 * server cannot do TLS is not given plaintext, the app turns the refusal into a "request whitelist"
 * task for the administrator, and once the client's written consent is recorded the letter goes
 * out to that recipient only. Run with `npx tsx examples/practice-integration.ts`; offline.
 */
import {
  createPolicy,
  createWhitelist,
  isForcedTlsError,
  MemoryWhitelistStore,
  type RecipientFailure,
  userMessage,
  type Whitelist,
  whitelistHint,
} from 'forced-tls';
import { createDirectTransport, type ForcedTlsSentMessageInfo } from 'forced-tls/nodemailer';
import { createTestNetwork, startTestMx } from 'forced-tls/testing';
import nodemailer, { type Transporter } from 'nodemailer';

/** A task in the app's to-do list, shown to the administrator. */
interface WhitelistTask {
  readonly recipient: string;
  readonly domain: string;
  readonly text: string;
  readonly request: NonNullable<RecipientFailure['whitelistRequest']>;
}

interface Letter {
  readonly to: readonly string[];
  readonly subject: string;
  readonly text: string;
}

/** The app's module: send a letter, report who got it and which refusals need a decision. */
async function sendClientLetter(transporter: Transporter<ForcedTlsSentMessageInfo>, letter: Letter) {
  const tasks: WhitelistTask[] = [];
  const failed: RecipientFailure[] = [];
  let delivered: string[] = [];
  try {
    const info = await transporter.sendMail({ from: 'kanzlei@kanzlei.test', ...letter, to: [...letter.to] });
    delivered = info.tls.recipients.filter((r) => r.state === 'delivered').map((r) => r.recipient);
    for (const r of info.tls.recipients) if (r.failure) failed.push(r.failure);
  } catch (error) {
    if (!isForcedTlsError(error)) throw error;
    failed.push(...error.recipients); // nothing was delivered
  }
  for (const f of failed) {
    if (f.mayWhitelist && f.whitelistRequest) {
      const text = `${userMessage(f.code, 'de', f.domain)} ${whitelistHint('de', f.whitelistRequest.value)}`;
      tasks.push({ recipient: f.recipient, domain: f.domain, text, request: f.whitelistRequest });
    }
  }
  return { delivered, failed, tasks };
}

/** The administrator approves a task after filing the client's written consent. */
async function approve(whitelist: Whitelist, task: WhitelistTask, consentRef: string) {
  return whitelist.add(
    {
      ...task.request,
      reason: 'Mandant hat dem unverschlüsselten Versand schriftlich zugestimmt',
      approvedBy: 'Dr. Erika Berater',
      consentRef,
    },
    'admin@kanzlei.test',
  );
}

const network = createTestNetwork({
  domains: {
    'mandant-gmbh.test': { mx: ['mx.mandant-gmbh.test'] },
    'altpraxis.test': { mx: ['mx.altpraxis.test'] },
  },
  hosts: {
    'mx.mandant-gmbh.test': await startTestMx({ name: 'mx.mandant-gmbh.test' }),
    'mx.altpraxis.test': await startTestMx({ name: 'mx.altpraxis.test', starttls: false }),
  },
});
const whitelist = createWhitelist(new MemoryWhitelistStore(), {
  onChange: (c) => console.log(`audit: ${c.type} ${c.entry.scope} ${c.entry.value} by ${c.actor}`),
});
const transporter = nodemailer.createTransport<ForcedTlsSentMessageInfo>(
  createDirectTransport({
    policy: createPolicy({ outbound: { default: 'encrypt' } }),
    whitelist,
    name: 'mail.kanzlei.test',
    resolver: network.resolver, // only for the example; production uses the system DNS
    connect: network.connect,
    ca: network.ca.cert,
  }),
);

try {
  const letter = {
    to: ['gf@mandant-gmbh.test', 'praxis@altpraxis.test'],
    subject: 'Ihr Jahresabschluss 2026',
    text: 'Vertraulich.',
  };
  const first = await sendClientLetter(transporter, letter);
  console.log('delivered:', first.delivered.join(', '));
  for (const task of first.tasks) console.log(`task for the administrator: ${task.recipient}: ${task.text}`);

  const [task] = first.tasks;
  if (task === undefined) throw new Error('expected a whitelist task for altpraxis.test');
  const entry = await approve(whitelist, task, 'EINW-2026-042');
  const second = await sendClientLetter(transporter, { ...letter, to: [task.recipient] });
  console.log(
    `after entry ${entry.id}: delivered ${second.delivered.join(', ')}, open tasks: ${second.tasks.length}`,
  );
} finally {
  transporter.close();
  await network.close();
}
