/**
 * Retry transient failures later with a job queue, the way an MTA's deferred queue does: pg-boss 10
 * (runs on Node 20) on PostgreSQL. forced-tls itself has no queue; it says per recipient whether a
 * failure is `transient`, the first wait (`retryAfter`, 300 s) and, with `retrySchedule`, every later
 * wait and when to give up (Postfix's schedule). Only the transient recipients are queued again, so
 * nobody gets the message twice.
 *
 * One recipient domain runs on 127.0.0.1 behind a test DNS: `ok@` is accepted, `grey@` greylisted
 * once (451), `voll@` always deferred (452, mailbox full), `weg@` refused (550). Time is fast-forwarded:
 * each attempt runs at the moment the schedule planned for it, and the queue waits 1/4000 of it.
 *
 * Run with `DATABASE_URL=postgres://user@127.0.0.1:5432/db npx tsx examples/retry-queue.ts` (pg-boss
 * creates its tables in the schema `forced_tls_example`); it exits by itself and no mail leaves
 * 127.0.0.1.
 */

import { createPolicy, isForcedTlsError, type RecipientFailure, retrySchedule } from 'forced-tls';
import { createDirectTransport } from 'forced-tls/nodemailer';
import { createTestNetwork, startTestMx } from 'forced-tls/testing';
import nodemailer from 'nodemailer';
import PgBoss from 'pg-boss';

const url = process.env['DATABASE_URL'];
if (url === undefined) {
  console.error('Set DATABASE_URL to a PostgreSQL database (pg-boss creates the schema forced_tls_example).');
  process.exit(2);
}

const QUEUE = 'mail-retry';
const RECIPIENTS = ['ok@mandant.test', 'grey@mandant.test', 'voll@mandant.test', 'weg@mandant.test'];
const MESSAGE = { from: 'kanzlei@kanzlei.test', subject: 'Ihre Unterlagen', text: 'Vertraulich.' };
// Postfix gives up after 5 days (maximal_queue_lifetime); one hour here, so the example ends.
const LIMITS = { maximalQueueLifetime: 3600 };
// Only for the example: the queue waits 1/4000 of the planned time. In production: startAfter: seconds.
const SPEEDUP = 4000;
const startAfter = (seconds: number) => new Date(Date.now() + (seconds * 1000) / SPEEDUP);
const T0 = Date.parse('2026-12-01T08:00:00.000Z');
const at = (time: number) => `+${Math.round((time - T0) / 1000)} s`.padEnd(8);

/** What a queued retry carries (in production also the stored message's id). */
interface RetryJob {
  readonly to: string;
  readonly firstFailedAt: string;
  readonly plannedAt: string;
}

const deliveries = new Map<string, number>();
const mx = await startTestMx({
  name: 'mx.mandant.test',
  rcptResponse: (address) => {
    const n = (deliveries.get(address) ?? 0) + 1;
    deliveries.set(address, n);
    if (address.startsWith('grey@') && n === 1) return '451 4.7.1 Greylisted, try again later\r\n';
    if (address.startsWith('voll@')) return '452 4.2.2 Mailbox full\r\n';
    if (address.startsWith('weg@')) return '550 5.1.1 No such user\r\n';
    return undefined;
  },
});
const network = createTestNetwork({
  domains: { 'mandant.test': { mx: ['mx.mandant.test'] } },
  hosts: { 'mx.mandant.test': mx },
});
const transporter = nodemailer.createTransport(
  createDirectTransport({
    policy: createPolicy({ outbound: { default: 'verify' } }),
    name: 'mail.kanzlei.test',
    resolver: network.resolver, // only for the example: production uses the system DNS
    connect: network.connect,
    ca: network.ca.cert,
  }),
);

const boss = new PgBoss({ connectionString: url, schema: 'forced_tls_example' });
boss.on('error', (error) => console.error('pg-boss:', error));
await boss.start();
await boss.createQueue(QUEUE);

const open = new Set(RECIPIENTS);
let allSettled = () => {};
const done = new Promise<void>((resolve) => {
  allSettled = resolve;
});
const settle = (recipient: string, text: string, now: number) => {
  console.log(`${at(now)} ${recipient}: ${text}`);
  open.delete(recipient);
  if (open.size === 0) allSettled();
};

/** One delivery attempt at the example's time `now`; each transient recipient is queued again. */
async function attempt(to: readonly string[], now: number, firstFailedAt = now): Promise<void> {
  let results: readonly {
    recipient: string;
    failure?: RecipientFailure | undefined;
    tls?: { protocol: string } | undefined;
  }[];
  try {
    results = (await transporter.sendMail({ ...MESSAGE, to: [...to] })).tls.recipients;
  } catch (error) {
    if (!isForcedTlsError(error) || error.recipients.length === 0) throw error;
    results = error.recipients.map((failure) => ({ recipient: failure.recipient, failure }));
  }
  for (const { recipient, failure, tls } of results) {
    if (failure === undefined) {
      settle(recipient, `delivered over ${tls?.protocol ?? 'plaintext'}`, now);
    } else if (!failure.transient) {
      settle(recipient, `${failure.code} "${failure.response}": permanent, bounce to the sender`, now);
    } else {
      // On the first failure this is failure.retryAfter (300 s); later the time in the queue decides.
      const step = retrySchedule({ firstFailedAt: new Date(firstFailedAt), now: new Date(now), ...LIMITS });
      if (step.action === 'give_up') {
        settle(recipient, `still "${failure.response}" after ${step.age} s: give up, bounce`, now);
        continue;
      }
      const job: RetryJob = {
        to: recipient,
        firstFailedAt: new Date(firstFailedAt).toISOString(),
        plannedAt: step.retryAt.toISOString(),
      };
      await boss.send(QUEUE, job, { startAfter: startAfter(step.retryAfter) });
      console.log(
        `${at(now)} ${recipient}: "${failure.response}", transient: queued, retry in ${step.retryAfter} s`,
      );
    }
  }
}

await boss.work<RetryJob>(QUEUE, { pollingIntervalSeconds: 0.5 }, async ([job]) => {
  if (job === undefined) return;
  await attempt([job.data.to], Date.parse(job.data.plannedAt), Date.parse(job.data.firstFailedAt));
});

try {
  await attempt(RECIPIENTS, T0);
  await done;
} finally {
  await boss.stop({ graceful: true, wait: true });
  transporter.close();
  await network.close();
}
