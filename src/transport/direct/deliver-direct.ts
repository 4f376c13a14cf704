import type { MxRecord, Resolver } from '../../dns/types.js';
import { enforcedRequirement } from '../../policy/requirement.js';
import type { PlannedRecipient } from '../plan.js';
import type { PreparedMessage } from '../prepared-message.js';
import { type Refusal, refusal } from '../refusal.js';
import { failedReport } from '../report.js';
import type { RecipientReport } from '../types.js';
import { type AddressTry, tryAddress } from './address-try.js';
import type { DirectContext } from './direct-context.js';
import { resolveMxHosts, resolveTargets } from './mx-resolve.js';
import { type DomainPublishes, type HostPlan, lookupPublishes, planHost } from './recipient-publishes.js';

/**
 * Delivers one message to recipients of one domain that share one TLS requirement: MX hosts in
 * order, each address of a host in turn; a connection or TLS failure moves on (never to plaintext);
 * the first host that completes the transaction decides the outcome. What the recipient domain
 * publishes is enforced per host as the stricter of it and the local policy: usable DANE TLSA records
 * (the certificate must match them), else an MTA-STS `enforce` policy (only listed hosts, a valid
 * certificate). In testing mode a TLS-requiring group is sent as `may` and each recipient carries what
 * enforce mode would have done; neither testing mode nor a whitelist entry lowers what the recipient
 * publishes or the sender's REQUIRETLS.
 */
export async function deliverDirect(
  ctx: DirectContext,
  recipients: readonly PlannedRecipient[],
  message: PreparedMessage,
): Promise<RecipientReport[]> {
  const decision = recipients[0]!.decision;
  // A sender's REQUIRETLS raises the level for every host (RFC 8689 §4.2.1), reported per recipient.
  const raised = enforcedRequirement(decision, { requireTls: message.requireTls }).raisedByRequireTls;
  const group = raised ? recipients.map((p) => ({ ...p, enforcedLevel: 'verify' as const })) : recipients;
  const mxTried: string[] = [];
  const addressesTried: string[] = [];
  let published = false;
  const failAll = (why: Refusal, mx?: string) =>
    group.map((p) =>
      failedReport(p, why, { ...(mx === undefined ? {} : { mx }), mxTried, addressesTried, published }),
    );

  const [anyMx, found] = await Promise.all([
    resolveMxHosts(ctx.resolver, decision.domain, ctx.random),
    lookupPublishes(ctx, decision.domain),
  ]);
  if ('failure' in found) return failAll(found.failure);
  let publishes = found;
  // A DNSSEC-validated MX RRset is the one to follow (RFC 7672 §2.2.1): an unvalidated answer could
  // name other hosts, without TLSA records, and so take DANE away.
  const secureMx = publishes.daneMx?.status === 'secure' && publishes.daneMx.records.length > 0;
  const mx = secureMx
    ? await resolveMxHosts(withMx(ctx.resolver, publishes.daneMx!.records), decision.domain, ctx.random)
    : anyMx;
  if ('failure' in mx) return failAll(mx.failure);
  let rechecked = false;
  let last: { why: Refusal; mx?: string } | undefined;
  for (const host of mx.hosts) {
    mxTried.push(host);
    let plan = await planHost(ctx, publishes, host, decision.level);
    // RFC 8461 §5.1: a host the cached policy does not list may be a new MX: look for a new policy once.
    if (!plan.use && plan.why.code === 'EMTASTS' && !rechecked && publishes.mtaSts?.source !== 'fetched') {
      rechecked = true;
      publishes = await recheckPolicy(ctx, publishes);
      plan = await planHost(ctx, publishes, host, decision.level);
    }
    if (!plan.use) {
      last = { why: plan.why, mx: host };
      published ||= plan.why.code === 'EMTASTS' || plan.why.code === 'EDNSSEC';
      continue;
    }
    // Unusable TLSA records publish a requirement too: TLS, whatever a whitelist entry allows.
    published ||= plan.published !== undefined || plan.tlsaUnusable;
    const outcome = await tryHost(ctx, group, message, host, plan, {
      mxTried,
      addressesTried,
      published,
    });
    if ('reports' in outcome) return outcome.reports;
    if (outcome.last !== undefined) last = outcome.last;
  }
  return failAll(last?.why ?? refusal('ENOMX', 'dns', 'no host'), last?.mx);
}

// The resolver, answering MX queries with the DNSSEC-validated records.
function withMx(resolver: Resolver, records: readonly MxRecord[]): Resolver {
  return {
    resolveMx: async () => records.map((r) => ({ ...r })),
    resolve4: (host) => resolver.resolve4(host),
    resolve6: (host) => resolver.resolve6(host),
  };
}

async function recheckPolicy(ctx: DirectContext, publishes: DomainPublishes): Promise<DomainPublishes> {
  if (ctx.mtaSts === undefined) return publishes;
  const fresh = await ctx.mtaSts.recheck(publishes.domain).catch(() => undefined);
  return fresh === undefined || !fresh.changed ? publishes : { ...publishes, mtaSts: fresh };
}

/** Every address of one host, with the requirement its plan sets. */
async function tryHost(
  ctx: DirectContext,
  recipients: readonly PlannedRecipient[],
  message: PreparedMessage,
  host: string,
  plan: Extract<HostPlan, { use: true }>,
  tried: AddressTry['tried'],
): Promise<{ reports: RecipientReport[] } | { last?: { why: Refusal; mx?: string } }> {
  const decision = recipients[0]!.decision;
  const context = {
    requireTls: message.requireTls,
    published: plan.published,
    tlsaUnusable: plan.tlsaUnusable,
  };
  // What enforce mode requires (REQUIRETLS and the recipient may raise it), and what this session
  // enforces (testing mode may lower the local part only): both decided in src/policy.
  const required = enforcedRequirement(decision, context);
  const requirement = enforcedRequirement(decision, { ...context, testing: ctx.testing });
  const targets =
    plan.addresses.length > 0 && ctx.connect === undefined
      ? { targets: plan.addresses.map((address) => ({ address, port: ctx.port })) }
      : await resolveTargets(host, ctx.port, ctx.resolver, ctx.connect);
  if ('failure' in targets) return { last: { why: targets.failure } };
  let last: { why: Refusal; mx?: string } | undefined;
  for (const target of targets.targets) {
    const result = await tryAddress(ctx, recipients, message, {
      host,
      target,
      required,
      requirement,
      plan,
      tried,
    });
    if ('reports' in result) return result;
    last = { why: result.retry, mx: host };
  }
  return last === undefined ? {} : { last };
}
