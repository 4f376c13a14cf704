import {
  checkDaneSession,
  type DaneRequirement,
  type DaneRequirementOptions,
  type DaneSessionCheck,
  daneRequirement,
} from '../../src/dane/index.js';
import { type DaneHostResult, type DnssecResolver, lookupDaneHost } from '../../src/dnssec/index.js';
import { smtpConnect } from './starttls-client.js';

/** How a DANE delivery attempt to a domain's first MX ended. */
export interface DaneDelivery {
  /**
   * `delivered` (over TLS, accepted with 250), `refused` (the session check refused after connecting),
   * `deferred`/`not_attempted` (the requirement alone refused or deferred: no connection was made),
   * `fallback` (DANE does not apply; the local policy would decide: no connection made here).
   */
  readonly outcome: 'delivered' | 'refused' | 'deferred' | 'not_attempted' | 'fallback';
  readonly requirement: DaneRequirement;
  readonly lookups?: DaneHostResult;
  readonly check?: DaneSessionCheck;
}

/**
 * A reference client for tests of the DANE rules end to end: DNSSEC lookups for `domain`'s first
 * MX, the requirement, a real SMTP session to the test MX listening on `ports[host]`, STARTTLS,
 * `checkDaneSession`, and only then MAIL/RCPT/DATA: the module's rules without the transport around
 * them. The direct transport's own DANE tests are in test/transport/dane-direct.test.ts.
 */
export async function deliverWithDane(
  resolver: DnssecResolver,
  domain: string,
  ports: Readonly<Record<string, number>>,
  options: DaneRequirementOptions = {},
): Promise<DaneDelivery> {
  const mx = await resolver.mx(domain);
  const host = mx.records[0]?.exchange;
  if (host === undefined) {
    const requirement = daneRequirement({ mx, addresses: [] }, options);
    return { outcome: requirement.status === 'deferred' ? 'deferred' : 'not_attempted', requirement };
  }
  const lookups = await lookupDaneHost(resolver, mx, host, options);
  const { requirement } = lookups;
  if (requirement.status === 'deferred') return { outcome: 'deferred', requirement, lookups };
  if (requirement.status === 'refused') return { outcome: 'not_attempted', requirement, lookups };
  if (requirement.status === 'no_dane') return { outcome: 'fallback', requirement, lookups };
  const port = ports[host];
  if (port === undefined) throw new Error(`no test MX for ${host}`);
  const names = [domain, host];
  const client = await smtpConnect(port);
  try {
    if (!client.starttls) {
      return {
        outcome: 'refused',
        requirement,
        lookups,
        check: checkDaneSession(requirement, { chain: undefined, names }),
      };
    }
    const chain = await client.upgrade(host);
    const check = checkDaneSession(requirement, { chain, names });
    if (!check.ok) return { outcome: 'refused', requirement, lookups, check };
    await client.command('MAIL FROM:<kanzlei@kanzlei.test>');
    await client.command(`RCPT TO:<mandant@${domain}>`);
    await client.command('DATA');
    const accepted = await client.command('Subject: DANE\r\n\r\nvertraulich\r\n.');
    return { outcome: accepted.startsWith('250') ? 'delivered' : 'refused', requirement, lookups, check };
  } finally {
    await client.quit();
  }
}
