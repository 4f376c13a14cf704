import type { DaneRequirement } from '../../dane/index.js';
import type { MxRecord } from '../../dns/index.js';
import { type DnssecAnswer, type DnssecResolver, lookupDaneHost } from '../../dnssec/index.js';
import { errorMessage } from '../../internal/error-code.js';
import { type MtaStsResolution, type MtaStsResolver, matchingMxPattern } from '../../mta-sts/index.js';
import type { PublishedAuthentication, TlsLevel } from '../../policy/index.js';
import { type Refusal, refusal } from '../refusal.js';
import type { SessionAuthentication } from '../session/session-authentication.js';

/** What a recipient domain publishes for itself: its MTA-STS policy and its DNSSEC MX answer. */
export interface DomainPublishes {
  readonly domain: string;
  /** `undefined`: MTA-STS is not looked up (no resolver, or `mtaSts: false`). */
  readonly mtaSts: MtaStsResolution | undefined;
  /** `undefined`: DANE is off (no DNSSEC resolver). */
  readonly daneMx: DnssecAnswer<MxRecord> | undefined;
}

/** The lookups a direct transport makes for what recipients publish. */
export interface PublishLookups {
  readonly mtaSts: MtaStsResolver | undefined;
  readonly dnssec: DnssecResolver | undefined;
}

/**
 * Looks up what a recipient domain publishes: its MTA-STS policy (exactly that domain, RFC 8461
 * §3.4) and, with a DNSSEC resolver, its MX RRset for DANE. A cache store that fails (`ESTORE`) or a
 * bogus or failed DNSSEC MX lookup refuses the domain for now (transient): whether a requirement is
 * published is then unknown, and delivering as if none were would be a downgrade.
 */
export async function lookupPublishes(
  lookups: PublishLookups,
  domain: string,
): Promise<DomainPublishes | { readonly failure: Refusal }> {
  const [mtaSts, daneMx] = await Promise.all([
    lookups.mtaSts?.resolve(domain).catch((error: unknown) => error as Error),
    lookups.dnssec?.mx(domain),
  ]);
  if (mtaSts instanceof Error) {
    const message = `MTA-STS: the policy of ${domain} cannot be known now (${errorMessage(mtaSts)})`;
    return { failure: refusal('EMTASTS', 'policy', message, { transient: true }) };
  }
  if (daneMx !== undefined && (daneMx.status === 'bogus' || daneMx.status === 'failed')) {
    const message = `DNSSEC: the MX lookup of ${domain} was ${daneMx.status}; never read as "no DANE"`;
    return { failure: refusal('EDNSSEC', 'dns', message) };
  }
  return { domain, mtaSts, daneMx };
}

/** What a session to one MX host must prove, or why the host must not be used now. */
export type HostPlan =
  | {
      readonly use: true;
      /** The authentication the recipient publishes for this host (DANE decides before MTA-STS). */
      readonly published: PublishedAuthentication | undefined;
      /** DNSSEC-validated TLSA records that are all unusable: TLS mandatory, unauthenticated. */
      readonly tlsaUnusable: boolean;
      readonly authentication: SessionAuthentication;
      /** DNSSEC-validated addresses to connect to (DANE with secure address records). */
      readonly addresses: readonly string[];
      /** MTA-STS `testing`: what `enforce` would refuse (the host is not listed). */
      readonly testingRefusal?: Refusal;
    }
  | { readonly use: false; readonly why: Refusal };

/**
 * The plan for one MX host of a domain: its DANE requirement (`lookupDaneHost`; usable TLSA records
 * decide the host and MTA-STS is not consulted, RFC 8461 §2), else the MTA-STS policy (`enforce`: a
 * host no `mx` pattern lists is not used, §5; `testing`: it is, and the report says what enforce
 * would have done). A deferred DANE lookup (bogus or failed) or level `dane-only` without usable TLSA
 * records keeps the host from being used.
 */
export async function planHost(
  lookups: PublishLookups,
  publishes: DomainPublishes,
  host: string,
  level: TlsLevel,
): Promise<HostPlan> {
  const dane = await daneOf(lookups, publishes, host, level);
  if ('why' in dane) return { use: false, why: dane.why };
  const requirement = dane.requirement;
  if (requirement === undefined && level === 'dane-only') {
    const why = 'level dane-only, but no DNSSEC resolver is configured (DANE is off)';
    return { use: false, why: refusal('EDANEREQUIRED', 'dns', why) };
  }
  const daneDecides = requirement?.status === 'dane_required';
  const sts = publishes.mtaSts;
  const patterns = sts?.policy?.mx ?? [];
  const pattern = sts?.policy === undefined ? undefined : matchingMxPattern(host, patterns);
  const unlisted =
    sts?.policy !== undefined && pattern === undefined
      ? refusal(
          'EMTASTS',
          'policy',
          `MTA-STS ${sts.mode} (${sts.source} policy, id ${sts.id ?? '?'}): ${host} is not among the mx patterns ${patterns.join(', ')}`,
        )
      : undefined;
  if (unlisted !== undefined && sts?.mode === 'enforce' && !daneDecides) return { use: false, why: unlisted };
  const authentication: SessionAuthentication = {
    ...(requirement === undefined ? {} : { dane: requirement, names: [publishes.domain, host] }),
    ...(sts === undefined || sts.source === 'none'
      ? {}
      : { mtaSts: { mode: sts.mode, source: sts.source, id: sts.id, pattern } }),
  };
  const published = daneDecides
    ? 'dane'
    : sts?.mode === 'enforce' && pattern !== undefined
      ? 'mta-sts'
      : undefined;
  return {
    use: true,
    published,
    tlsaUnusable: requirement?.status === 'tls_required',
    authentication,
    addresses: dane.addresses,
    ...(unlisted !== undefined && sts?.mode === 'testing' && !daneDecides
      ? { testingRefusal: unlisted }
      : {}),
  };
}

async function daneOf(
  lookups: PublishLookups,
  publishes: DomainPublishes,
  host: string,
  level: TlsLevel,
): Promise<{ requirement?: DaneRequirement; addresses: readonly string[] } | { why: Refusal }> {
  if (lookups.dnssec === undefined || publishes.daneMx === undefined) return { addresses: [] };
  const found = await lookupDaneHost(lookups.dnssec, publishes.daneMx, host, {
    level: level === 'dane-only' ? 'dane-only' : 'dane',
  }).catch((error: unknown) => error as Error);
  if (found instanceof Error) {
    return { why: refusal('EDNSSEC', 'dns', `DNSSEC: the lookups for ${host} failed (${found.message})`) };
  }
  const { requirement } = found;
  if (requirement.status === 'deferred' || requirement.status === 'refused') {
    return {
      why: refusal(requirement.code ?? 'EDNSSEC', 'dns', `DANE: ${requirement.message}`, { transient: true }),
    };
  }
  // Connect where DNSSEC says the host is, when it said so securely.
  const secure = requirement.status === 'dane_required' || requirement.status === 'tls_required';
  const addresses = secure ? found.addresses.flatMap((a) => (a.status === 'secure' ? a.records : [])) : [];
  return { requirement, addresses };
}
