import type { HostProbe, ProbeMtaSts } from '../probe/index.js';
import { printable } from './printable.js';

/** A `label value` row of a text block; an empty label continues the row above. */
export type Row = readonly [string, string];

const list = (names: readonly string[] | undefined) =>
  names === undefined || names.length === 0 ? 'none' : names.join(', ');

function noPolicy(m: ProbeMtaSts): string {
  const txt = m.txt;
  if (m.failure?.reason === 'dns_error' || txt?.status === 'dns_error') {
    const why = m.failure?.message ?? `the TXT lookup of ${txt?.name} failed (${txt?.dnsError ?? 'error'})`;
    return `none known: ${why}; nothing cached`;
  }
  if (m.failure !== undefined) {
    const id = txt?.id === undefined ? '' : `TXT id ${txt.id} found, `;
    return `none: ${id}no policy obtained: ${m.failure.resultType} ${m.failure.reason}: ${m.failure.message}`;
  }
  switch (txt?.status) {
    case 'multiple':
      return `none (${txt.records} v=STSv1 TXT records at ${txt.name}: no policy)`;
    case 'invalid':
      return `none (invalid TXT record at ${txt.name}: ${txt.problem ?? 'malformed'})`;
    default:
      return `none (no ${txt?.name ?? '_mta-sts'} TXT record)`;
  }
}

function policyRows(m: ProbeMtaSts): Row[] {
  const age = m.source === 'cached' && m.ageSeconds !== undefined ? ` ${m.ageSeconds} s old` : '';
  const rows: Row[] = [
    ['MTA-STS', `${m.mode} (${m.source}${age}, id ${m.id ?? '-'}, max_age ${m.maxAge ?? '-'} s)`],
  ];
  if (m.failure !== undefined) {
    rows.push(['', `fetch failed: ${m.failure.resultType} ${m.failure.reason}: ${m.failure.message}`]);
  }
  if (m.txt !== undefined && m.txt.status !== 'found') rows.push(['', `TXT record now: ${m.txt.status}`]);
  if (m.changed === true && m.previousId !== undefined) rows.push(['', `id changed from ${m.previousId}`]);
  rows.push(['', `mx patterns: ${list(m.mx)}`]);
  if (m.mode === 'enforce' || m.mode === 'testing') {
    rows.push(['', `matching: ${list(m.matching)}; not listed: ${list(m.notMatching)}`]);
  }
  return rows;
}

/**
 * The domain's MTA-STS rows: the mode applied, where the policy came from (`fetched`, `renewed`,
 * `cached` with its age), the TXT id, `max_age`, the patterns and which MX hosts match them; or why
 * there is none. Policy text and DNS data are escaped.
 *
 * @example
 * ```text
 * MTA-STS    enforce (fetched, id 20270101, max_age 604800 s)
 *            mx patterns: mx1.mandant.test, *.mx.mandant.test
 *            matching: mx1.mandant.test; not listed: mx3.mandant.test
 * ```
 */
export function domainMtaStsRows(m: ProbeMtaSts | undefined): Row[] {
  let rows: Row[];
  if (m === undefined) rows = [['MTA-STS', '-']];
  else if (m.status === 'off') {
    rows = [['MTA-STS', `not looked up (${m.off === 'disabled' ? '--no-mta-sts' : 'no TXT lookup'})`]];
  } else if (m.status === 'error') {
    const e = m.error;
    rows = [['MTA-STS', `unknown: the MTA-STS resolver failed (${e?.code ?? '?'}: ${e?.message ?? ''})`]];
  } else rows = m.source === 'none' ? [['MTA-STS', noPolicy(m)]] : policyRows(m);
  return rows.map(([label, value]) => [label, printable(value)]);
}

/**
 * The `MTA-STS` line of one MX host: listed (by which pattern) or not, the first requirement it
 * fails, and whether a sender refuses it (`enforce`) or only reports it (`testing`).
 *
 * @example
 * ```text
 * listed (mx1.mandant.test): ok
 * not listed: mx_mismatch — refused (EMTASTS, validation-failure)
 * ```
 */
export function hostMtaStsText(m: ProbeMtaSts | undefined, host: HostProbe): string {
  if (m === undefined || m.status === 'off') return 'not looked up';
  if (m.status === 'error') return 'unknown: the MTA-STS resolver failed';
  const h = host.mtaSts;
  if (h === undefined) return m.mode === 'none' && m.source !== 'none' ? 'policy mode none' : 'no policy';
  const where = h.mxMatched ? `listed (${h.pattern ?? '?'})` : 'not listed';
  let text = `${where}: ${h.verdict}`;
  if (h.refuses) {
    const r = host.refused?.by === 'mta-sts' ? host.refused : undefined;
    text += ` — refused (${r?.code ?? 'EMTASTS'}${r === undefined ? '' : `, ${r.tlsRpt}`})`;
  } else if (h.mode === 'testing' && h.verdict !== 'ok' && h.verdict !== 'not_reached') {
    text += ' — testing: enforce would refuse it';
  }
  const dane = host.dane?.status;
  if (dane === 'dane_required' || dane === 'deferred') text += ' (DANE decides this host)';
  return printable(text);
}
