import { ERROR_CODES } from '../errors/index.js';
import type { HostProbe, ProbeResult } from '../probe/index.js';
import { certificateVerified, hostCode } from './check-codes.js';
import type { CheckLevel, CheckVerdict } from './check-verdict.js';
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

function hostBlock(host: HostProbe, paint: Paint): string {
  const pref = host.priority === undefined ? 'A fallback' : `preference ${host.priority}`;
  const cert = host.certificate;
  const ok = host.status === 'starttls_ok';
  const fields: [string, string][] = [
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
  return `  MX ${printable(host.host)} (${pref})\n${renderFields(fields, '    ')}`;
}

/**
 * One domain as text, like checktls: the verdict line, how the hosts were found, then a block per
 * MX host (status, TLS version, cipher, certificate subject, issuer, expiry, verified, name match).
 */
export function formatCheckResult(
  result: ProbeResult,
  level: CheckLevel,
  verdict: CheckVerdict,
  paint: Paint,
): string {
  const color = verdict === 'ok' ? 'green' : verdict === 'fail' ? 'red' : 'yellow';
  const satisfied = (['encrypt', 'verify'] as const).filter((l) => result.satisfies[l]);
  const head =
    `${paint(result.domain, 'bold')}  ${paint(VERDICT_TEXT[verdict], color)} for ${level}` +
    `  (satisfies: ${satisfied.length === 0 ? 'none' : satisfied.join(', ')})\n`;
  const dnsError = result.dnsError === undefined ? '' : ` (${result.dnsError})`;
  const how = `  ${RESOLUTION_TEXT[result.resolution]}${dnsError}\n`;
  return head + how + result.hosts.map((h) => hostBlock(h, paint)).join('');
}

/** The closing line: how many domains were OK, failed, or could not be checked. */
export function formatSummary(verdicts: readonly CheckVerdict[], level: CheckLevel): string {
  const count = (v: CheckVerdict) => verdicts.filter((x) => x === v).length;
  return `${verdicts.length} domain(s) checked for ${level}: ${count('ok')} ok, ${count('fail')} fail, ${count('unknown')} unknown\n`;
}
