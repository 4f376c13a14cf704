import { ForcedTlsError, isForcedTlsError } from '../errors/forced-tls-error.js';
import type { Clock } from '../internal/clock.js';
import type { Policy } from '../policy/index.js';
import { loadWhitelist, type WhitelistSource } from '../whitelist/source.js';
import type { Deliver } from './forced-tls-transport.js';
import { settle } from './outcome.js';
import { decideAll, type PlannedRecipient } from './plan.js';
import { bodyFailure, type PreparedMessage } from './prepared-message.js';
import { unexpectedFailureReports } from './report.js';
import type { RecipientReport, RelayProtection, TlsDeliveryReport } from './types.js';

/** How one message's recipients go out in a mode: grouped into transactions, some settled before any session. */
export interface Routing {
  /** Recipients settled without a session (relay `check-mx` refusals). */
  readonly settled: readonly RecipientReport[];
  /** Recipients that share one SMTP transaction, group by group. */
  readonly groups: readonly (readonly PlannedRecipient[])[];
}

/** What a transport mode adds to the delivery skeleton: its routing and its delivery of one group. */
export interface DeliveryMode {
  readonly mode: TlsDeliveryReport['mode'];
  readonly testing: boolean;
  readonly policy: Policy;
  readonly whitelist: WhitelistSource | undefined;
  readonly clock: Clock;
  /** Groups the planned recipients (and settles those that need no session). */
  route(planned: readonly PlannedRecipient[], message: PreparedMessage): Routing | Promise<Routing>;
  /** Delivers one group: every session failure is a report; a throw is unexpected (a bug, a broken hook). */
  deliverGroup(group: readonly PlannedRecipient[], message: PreparedMessage): Promise<RecipientReport[]>;
  /** Groups one after another (relay: one connection) instead of side by side (direct: one per domain). */
  readonly sequential: boolean;
  /** The relay protection a recipient's report carries, when the mode has one. */
  relayProtection?(planned: PlannedRecipient): RelayProtection;
}

/**
 * The one delivery skeleton both modes use: read the whitelist → decide every recipient (pure, before
 * anything is sent) → route into groups → deliver each group → put the reports in envelope order →
 * settle into nodemailer's result or error. Each group settles on its own: an unexpected error in one
 * never loses the others' reports, and a message that cannot be built fails with its own error.
 */
export function createDeliver(mode: DeliveryMode): Deliver {
  return async (message) => {
    const loaded = await loadWhitelist(mode.whitelist);
    if (loaded.error !== undefined) {
      // Deciding without the whitelist could refuse what it allows: nothing is sent. A store outage
      // (its own ESTORE says transient) is worth a retry.
      const { error } = loaded;
      throw new ForcedTlsError('ESTORE', 'The whitelist could not be read; nothing was sent', {
        cause: error,
        ...(isForcedTlsError(error) ? { transient: error.transient } : {}),
      });
    }
    const planned = decideAll(mode.policy, message.to, loaded.index, mode.clock());
    const routing = await mode.route(planned, message);
    const reports = [...routing.settled];
    const run = (group: readonly PlannedRecipient[]) =>
      mode.deliverGroup(group, message).catch(async (error: unknown) => {
        // A message that cannot be built fails every group alike and nothing was sent: its own error says why.
        const failed = await bodyFailure(message);
        if (failed) throw failed.error;
        return unexpectedFailureReports(group, error, mode.relayProtection);
      });
    if (mode.sequential) for (const group of routing.groups) reports.push(...(await run(group)));
    else reports.push(...(await Promise.all(routing.groups.map(run))).flat());
    const order = new Map(message.to.map((address, i) => [address, i]));
    reports.sort((a, b) => (order.get(a.recipient) ?? 0) - (order.get(b.recipient) ?? 0));
    const outcome = settle(message, { mode: mode.mode, testing: mode.testing, recipients: reports });
    if ('error' in outcome) throw outcome.error;
    return outcome.info;
  };
}
