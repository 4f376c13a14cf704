import { ERROR_CODES } from '../errors/index.js';
import type { HostProbe, ProbeResult } from '../probe/index.js';
import { bsiText } from './check-bsi-text.js';
import { certificateVerified, hostCode } from './check-codes.js';
import { domainDnssecRow, hostDaneRows } from './check-dane-text.js';
import type { HostJudgement } from './check-judgement.js';
import { domainMtaStsRows, hostMtaStsText, type Row } from './check-mta-sts-text.js';
import { bestTierRows, hostTierRows } from './check-tier-text.js';
import type { CheckLevel, CheckVerdict, DomainJudgement } from './check-verdict.js';
import type { Paint } from './color.js';
import { printable } from './printable.js';
import { renderFields } from './table.js';

/** How the domain's mail hosts were found, in words. */
export const RESOLUTION_TEXT: Readonly<Record<ProbeResult['resolution'], string>> = {
  mx: 'MX records',
  a_fallback: 'no MX records; the domain’s own address (A fallback)',
  null_mx: 'null MX: the domain accepts no mail',
  nxdomain: 'the domain does not exist',
  no_mail_server: 'no MX and no address: no mail server',
  dns_error: 'DNS lookup failed',
};

/** The verdict as printed. */
export const VERDICT_TEXT: Readonly<Record<CheckVerdict, string>> = {
  ok: 'OK',
  fail: 'FAIL',
  unknown: 'UNKNOWN',
};

function yesNo(value: boolean | undefined): string {
  return value === undefined ? '-' : value ? 'yes' : 'no';
}

// The socket's own words, after the library's code: `(connect ECONNREFUSED 127.0.0.1:25)`.
function detail(host: HostProbe): string {
  return host.error === undefined ? '' : ` (${host.error.message})`;
}

function levelText(judged: HostJudgement | undefined, level: CheckLevel, paint: Paint): string {
  if (judged === undefined) return '-';
  if (judged.ok) return paint(`meets ${level}`, 'green');
  const why = judged.reason === undefined ? '' : ` (${judged.reason})`;
  return `${paint(`fails ${level}`, 'red')}: ${judged.code ?? '?'}${why}`;
}

function hostBlock(
  result: ProbeResult,
  host: HostProbe,
  level: CheckLevel,
  judged: HostJudgement | undefined,
  paint: Paint,
): string {
  const pref = host.priority === undefined ? 'A fallback' : `preference ${host.priority}`;
  const cert = host.certificate;
  const ok = host.status === 'starttls_ok';
  const fields: Row[] = [
    ['status', paint(host.status, ok ? 'green' : host.status.startsWith('cert_') ? 'yellow' : 'red')],
    ['starttls', yesNo(host.starttlsOffered)],
    ['tls', printable(host.protocol ?? '-')],
    ['cipher', printable(host.cipher ?? '-')],
  ];
  if (cert !== undefined) {
    fields.push(
      // Certificate fields come from the server: escaped, like every text from outside.
      ['subject', printable(cert.subject)],
      ['issuer', printable(cert.issuer)],
      ['expires', `${printable(cert.validTo)}${cert.expired ? ' (outside its validity)' : ''}`],
      // As in the transports' reports: verified means chain trusted and name matching.
      ['verified', yesNo(certificateVerified(host))],
      [
        'chain',
        `${cert.chainVerified ? 'trusted' : 'not trusted'}${cert.chainError ? ` (${printable(cert.chainError)})` : ''}`,
      ],
      ['name match', yesNo(cert.nameMatches)],
      ['sha-256', cert.fingerprint256],
    );
  }
  const code = hostCode(host);
  if (code !== undefined)
    fields.push(['error', printable(`${code}: ${ERROR_CODES[code].summary}${detail(host)}`)]);
  fields.push(
    ['BSI', printable(bsiText(host.bsi))],
    ['MTA-STS', hostMtaStsText(result.mtaSts, host)],
    ...hostDaneRows(host, result.dane),
    ...hostTierRows(host, paint),
    ['level', levelText(judged, level, paint)],
  );
  return `  MX ${printable(host.host)} (${pref})\n${renderFields(fields, '    ')}`;
}

/**
 * One domain as text, like checktls and the internet.nl mail test: the verdict line, how the hosts
 * were found, the domain's MTA-STS policy and the DNSSEC status of its MX RRset, then a block per MX
 * host (status, TLS version, cipher, certificate, BSI profile, MTA-STS, DANE, tier, the level), and
 * the best tier a sender can count on with the host that decides it and the reasons.
 */
export function formatCheckResult(
  result: ProbeResult,
  level: CheckLevel,
  judged: DomainJudgement,
  satisfied: readonly CheckLevel[],
  paint: Paint,
): string {
  const verdict = judged.verdict;
  const color = verdict === 'ok' ? 'green' : verdict === 'fail' ? 'red' : 'yellow';
  const head =
    `${paint(result.domain, 'bold')}  ${paint(VERDICT_TEXT[verdict], color)} for ${level}` +
    `  (satisfies: ${satisfied.length === 0 ? 'none' : satisfied.join(', ')})\n`;
  const dnsError = result.dnsError === undefined ? '' : ` (${result.dnsError})`;
  const how = `  ${RESOLUTION_TEXT[result.resolution]}${dnsError}\n`;
  const domainRows = [...domainMtaStsRows(result.mtaSts), domainDnssecRow(result.dane)];
  const tierRows = bestTierRows(result.tier, result.hosts, paint);
  const width = Math.max(...[...domainRows, ...tierRows].map(([label]) => label.length));
  const hosts = result.hosts.map((h, i) => hostBlock(result, h, level, judged.hosts[i], paint)).join('');
  return head + how + renderFields(domainRows, '  ', width) + hosts + renderFields(tierRows, '  ', width);
}

/** The closing line: how many domains were OK, failed, or could not be checked. */
export function formatSummary(verdicts: readonly CheckVerdict[], level: CheckLevel): string {
  const count = (v: CheckVerdict) => verdicts.filter((x) => x === v).length;
  return `${verdicts.length} domain(s) checked for ${level}: ${count('ok')} ok, ${count('fail')} fail, ${count('unknown')} unknown\n`;
}
