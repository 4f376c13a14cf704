import type { HostDane, HostProbe, ProbeDane, ProbeTlsa } from '../probe/index.js';
import type { Row } from './check-mta-sts-text.js';
import { printable } from './printable.js';

/**
 * Why DANE was not checked, as the text output says it (domain `DNSSEC` row and host `DANE` row).
 *
 * @example
 * ```text
 * DNSSEC     off: DANE not checked (no --dnssec-server)
 * ```
 */
export const DANE_OFF = 'off: DANE not checked (no --dnssec-server)';

// A SHA-256 digest fits; a full certificate (matching type 0) is cut.
const MAX_DATA = 64;

function tlsaText(r: ProbeTlsa): string {
  const data =
    r.data.length > MAX_DATA ? `${r.data.slice(0, MAX_DATA)}… (${r.data.length / 2} bytes)` : r.data;
  const use = r.usable ? 'usable' : `unusable (${r.usability})`;
  return `TLSA ${r.usage} ${r.selector} ${r.matchingType} ${data} ${use}`;
}

function matchText(dane: HostDane): string | undefined {
  const m = dane.match;
  if (m === undefined) return undefined;
  if (!m.matched) return `no match: ${m.reason} (${m.tlsRpt}): ${m.message}`;
  const r = m.record;
  const at = m.depth === 0 ? '' : ` at depth ${m.depth}`;
  return `matched ${m.usage.toUpperCase()} ${r.usage} ${r.selector} ${r.matchingType}${at}${m.name === undefined ? '' : ` for ${m.name}`}`;
}

function verdictText(dane: HostDane): string {
  const v = dane.verdict;
  if (!v.ok)
    return `a DANE sender does not deliver: ${v.code} (${v.transient ? 'transient' : 'permanent'}, ${v.tlsRpt}): ${v.message}`;
  if (v.authentication === 'dane') return 'a DANE sender delivers: server authenticated by DANE';
  if (v.fallback) return 'no DANE for this host: the local policy and MTA-STS decide';
  return 'a DANE sender delivers over TLS, unauthenticated (TLS mandatory)';
}

/**
 * The domain's `DNSSEC` row: the DNSSEC status of the MX RRset and the validating resolver that
 * answered, or that DANE was not checked.
 *
 * @example
 * ```text
 * MX RRset secure (127.0.0.1:5353)
 * ```
 */
export function domainDnssecRow(dane: ProbeDane | undefined): Row {
  if (dane === undefined || dane.status === 'off') return ['DNSSEC', DANE_OFF];
  const kind = dane.mxKind === undefined || dane.mxKind === 'records' ? '' : `, ${dane.mxKind}`;
  const message = dane.message === undefined ? '' : `: ${dane.message}`;
  // No server when none answered (every try timed out).
  const server = dane.server === undefined ? '' : ` (${dane.server})`;
  return ['DNSSEC', printable(`MX RRset ${dane.mx ?? '?'}${kind}${server}${message}`)];
}

/**
 * The `DANE` rows of one MX host: what RFC 7672 requires of it and why, the DNSSEC status of its MX,
 * address and TLSA lookups, every TLSA record, whether the certificate matched, and what a DANE
 * sender does.
 *
 * @example
 * ```text
 * DANE        dane_required (usable_tlsa); DNSSEC MX secure, address secure, TLSA secure
 *             TLSA 3 1 1 8a5b… usable
 *             matched DANE-EE 3 1 1
 *             a DANE sender delivers: server authenticated by DANE
 * ```
 */
export function hostDaneRows(host: HostProbe, domain: ProbeDane | undefined): Row[] {
  const dane = host.dane;
  if (dane === undefined) return [['DANE', domain?.status === 'checked' ? '-' : DANE_OFF]];
  const d = dane.dnssec;
  const dnssec = `DNSSEC MX ${d.mx}, address ${d.address ?? '-'}, TLSA ${d.tlsa ?? '-'}`;
  const lines = [
    `${dane.status} (${dane.reason}); ${dnssec}`,
    ...dane.tlsa.map(tlsaText),
    matchText(dane),
    verdictText(dane),
  ].filter((l): l is string => l !== undefined);
  return lines.map((line, i) => [i === 0 ? 'DANE' : '', printable(line)]);
}
