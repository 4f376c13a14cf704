import type { SMTPServerOptions } from 'smtp-server';
import { ForcedTlsError, isForcedTlsError } from '../errors/index.js';
import { isRecord, readShape } from '../internal/index.js';
import { evaluateInbound, type InboundTlsState, isPolicy } from '../policy/index.js';
import { checkWhitelistSource, loadWhitelist, whitelistFailureText } from '../whitelist/source.js';
import type {
  GuardSession,
  InboundGuard,
  InboundGuardOptions,
  InboundReason,
  InboundReport,
} from './guard-types.js';
import { PLAINTEXT, readTls } from './session-tls.js';
import { rejectionReply, replyError } from './smtp-reply.js';

type Callback = (err?: Error | null) => void;
type Handler = (...args: unknown[]) => void;

const NO_DETAILS = { protocol: null, minVersion: '' } as const;

const GUARD_FIELDS = {
  policy: 'any',
  whitelist: 'any',
  onDecision: 'function',
  rejectAs: 'any',
  clock: 'function',
} as const;

// Read once into plain data; every field checked here, so a wrong type fails at construction.
function validate(input: unknown): InboundGuardOptions {
  const options = isRecord(input) ? readShape(input, GUARD_FIELDS) : {};
  if (!isPolicy(options.policy)) {
    throw new ForcedTlsError('EPOLICY', 'policy must be a Policy from createPolicy()', { path: 'policy' });
  }
  const rejectAs = options.rejectAs;
  if (rejectAs !== undefined && rejectAs !== 'permanent' && rejectAs !== 'temporary') {
    throw new ForcedTlsError('EPOLICY', `rejectAs must be 'permanent' or 'temporary'`, {
      path: 'rejectAs',
      value: rejectAs,
    });
  }
  checkWhitelistSource(options.whitelist);
  return options as InboundGuardOptions;
}

const HANDLER_FIELDS = {
  onSecure: 'function',
  onMailFrom: 'function',
  onClose: 'function',
  hideENHANCEDSTATUSCODES: 'boolean',
} as const;

// The host's server options, copied (a proxy or getter is read once, here) and its handlers checked.
function hostOptions(serverOptions: unknown): SMTPServerOptions {
  const handlers = readShape(serverOptions, HANDLER_FIELDS, { optional: false, subject: 'server option' });
  let copy: SMTPServerOptions;
  try {
    copy = { ...(serverOptions as SMTPServerOptions) };
  } catch (error) {
    throw new ForcedTlsError('EPOLICY', 'Invalid server options: reading them threw', {
      path: 'options',
      cause: error,
    });
  }
  return { ...copy, ...handlers } as SMTPServerOptions;
}

/**
 * Creates a guard that enforces the policy's inbound rules on an smtp-server: at `MAIL FROM` a
 * plaintext session whose envelope sender requires TLS, or a TLS session below the required
 * version, is refused before any recipient or data. Inbound whitelist entries let a listed sender
 * through in plaintext. The null sender `<>` gets the inbound default. Every decision is reported.
 *
 * The envelope sender is not authenticated: the guarantee is that mail *claiming* a TLS-required
 * sender is never accepted in plaintext.
 *
 * @example
 * ```ts
 * const guard = createInboundGuard({ policy, onDecision: (r) => audit.write(r) });
 * const server = new SMTPServer(guard.wrap({ key, cert, minVersion: 'TLSv1.2', onData }));
 * server.on('error', (err) => log.warn(err));
 * ```
 */
export function createInboundGuard(input: InboundGuardOptions): InboundGuard {
  const options = validate(input);
  const { policy, onDecision } = options;
  const rejectAs = options.rejectAs ?? 'permanent';
  const clock = options.clock ?? (() => new Date());
  const sessions = new Map<string, InboundTlsState>();

  async function judge(sender: string, session: GuardSession, enhanced: boolean): Promise<InboundReport> {
    const now = clock();
    const tls = (session.secure ? sessions.get(session.id) : undefined) ?? PLAINTEXT;
    const whitelist = await loadWhitelist(options.whitelist);
    let decision = null;
    let reason: InboundReason;
    let accept: boolean;
    try {
      decision = policy.inbound(sender, { now, ...(whitelist.index && { whitelist: whitelist.index }) });
      const verdict = evaluateInbound(decision, tls);
      [accept, reason] = [verdict.accept, verdict.reason];
    } catch (error) {
      // A sender the policy cannot parse cannot be shown not to require TLS: refuse it.
      if (!isForcedTlsError(error) || error.code !== 'EADDRESS') throw error;
      [accept, reason] = [false, 'invalid_sender'];
    }
    const minVersion = decision?.minVersion ?? policy.defaults.inbound.minVersion;
    const details = { protocol: tls.protocol, minVersion };
    return {
      at: now.toISOString(),
      sessionId: session.id,
      sender,
      remoteAddress: session.remoteAddress,
      clientHostname: session.clientHostname || null,
      helo: session.hostNameAppearsAs || null,
      protocol: tls.protocol,
      cipher: tls.cipher ?? null,
      outcome: accept ? 'accept' : 'reject',
      reason,
      decision,
      rule: decision?.rule?.pattern ?? null,
      whitelistEntry: decision?.entry?.id ?? null,
      response: accept ? null : rejectionReply(reason, rejectAs, details, enhanced),
      ...(whitelist.error !== undefined && { whitelistError: whitelistFailureText(whitelist.error) }),
    };
  }

  async function report(r: InboundReport, enhanced: boolean): Promise<InboundReport> {
    if (onDecision === undefined) return r;
    try {
      await onDecision(r);
      return r;
    } catch {
      const response = rejectionReply('report_failed', rejectAs, NO_DETAILS, enhanced);
      return { ...r, outcome: 'reject', reason: 'report_failed', response };
    }
  }

  return {
    wrap(input: SMTPServerOptions): SMTPServerOptions {
      const serverOptions = hostOptions(input);
      const host = serverOptions as Record<'onSecure' | 'onMailFrom' | 'onClose', Handler | undefined>;
      const enhanced = serverOptions.hideENHANCEDSTATUSCODES !== false;
      // smtp-server calls its handlers with `this` = the SMTPServer instance; the host's handlers get
      // the same `this` (e.g. `this.logger`), so the wrappers are `function`s that forward it.
      const wrapped: Pick<SMTPServerOptions, 'onSecure' | 'onMailFrom' | 'onClose'> = {
        onSecure: function (this: unknown, socket, session, callback) {
          sessions.set(session.id, readTls(socket));
          if (host.onSecure) host.onSecure.call(this, socket, session, callback);
          else callback();
        },
        onMailFrom: function (this: unknown, address, session, callback: Callback) {
          let done = false;
          const once: Callback = (err) => {
            if (done) return;
            done = true;
            callback(err);
          };
          judge(address.address, session, enhanced)
            .then((r) => report(r, enhanced))
            .then(
              (r) => {
                if (r.response !== null) return once(replyError(r.response));
                if (host.onMailFrom) return host.onMailFrom.call(this, address, session, once);
                once();
              },
              // The guard's own failure: refuse temporarily, without internals in the reply.
              () => once(replyError(rejectionReply('report_failed', rejectAs, NO_DETAILS, enhanced))),
            )
            .catch((error: unknown) => once(error instanceof Error ? error : new Error(String(error))));
        },
        onClose: function (this: unknown, session, callback) {
          sessions.delete(session.id);
          if (host.onClose) host.onClose.call(this, session, callback);
          else callback();
        },
      };
      return { ...serverOptions, ...wrapped };
    },
  };
}
