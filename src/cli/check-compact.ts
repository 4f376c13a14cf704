import type { ProbeResult } from '../probe/index.js';
import { RESOLUTION_TEXT, VERDICT_TEXT } from './check-format.js';
import type { CheckLevel, DomainJudgement } from './check-verdict.js';
import type { Paint } from './color.js';
import { printable } from './printable.js';

/**
 * One line per domain for `check --compact`: the verdict, the domain, the level, the best tier a
 * sender can count on (`tier encrypted`), then what decided the verdict. A failing or unknown domain
 * names each MX host below the level with the code a sender at that level refuses it with
 * (`mx1.example.de ENOSTARTTLS, mx2.example.de ENOTQUALIFIED`), or the DNS outcome; an OK domain
 * its hosts' TLS versions.
 *
 * @example
 * ```text
 * FAIL     plain.test  encrypt  tier plaintext  mx.plain.test ENOSTARTTLS
 * UNKNOWN  gone.test  encrypt  tier unknown  the domain does not exist (ENOTFOUND)
 * OK       tls.test  verify  tier encrypted  mx.tls.test TLSv1.3
 * ```
 */
export function compactLine(
  result: ProbeResult,
  level: CheckLevel,
  judged: DomainJudgement,
  paint: Paint,
): string {
  const verdict = judged.verdict;
  const color = verdict === 'ok' ? 'green' : verdict === 'fail' ? 'red' : 'yellow';
  const tier = `tier ${result.tier?.tier ?? 'unknown'}`;
  const head = `${paint(VERDICT_TEXT[verdict].padEnd(7), color)}  ${result.domain}  ${level}  ${tier}`;
  const failing = judged.hosts.filter((h) => !h.ok);
  let why: string;
  if (verdict === 'ok') why = result.hosts.map((h) => `${h.host} ${h.protocol ?? '-'}`).join(', ');
  else if (failing.length > 0) why = failing.map((h) => `${h.host} ${h.code ?? h.reason ?? '?'}`).join(', ');
  else if (result.hosts.length > 0) why = `${judged.code ?? '?'} ${judged.detail ?? ''}`.trim();
  else {
    const dnsError = result.dnsError === undefined ? '' : ` (${result.dnsError})`;
    why = `${RESOLUTION_TEXT[result.resolution]}${dnsError}`;
  }
  return `${head}  ${printable(why)}\n`;
}
