import type { ProbeResult } from '../probe/index.js';
import { hostCode } from './check-codes.js';
import { RESOLUTION_TEXT, VERDICT_TEXT } from './check-format.js';
import { type CheckLevel, type CheckVerdict, hostMeets } from './check-verdict.js';
import type { Paint } from './color.js';

/**
 * One line per domain for `check --compact`: the verdict, the domain, the level, then what decided it.
 * A failing or unknown domain names each MX host below the level with the library's code
 * (`mx1.example.de ENOSTARTTLS, mx2.example.de ETIMEOUT`), or the DNS outcome; an OK domain its hosts'
 * TLS versions.
 *
 * @example
 * ```text
 * FAIL     plain.test  encrypt  mx.plain.test ENOSTARTTLS
 * UNKNOWN  gone.test  encrypt  the domain does not exist (ENOTFOUND)
 * OK       tls.test  verify  mx.tls.test TLSv1.3
 * ```
 */
export function compactLine(
  result: ProbeResult,
  level: CheckLevel,
  verdict: CheckVerdict,
  paint: Paint,
): string {
  const color = verdict === 'ok' ? 'green' : verdict === 'fail' ? 'red' : 'yellow';
  const head = `${paint(VERDICT_TEXT[verdict].padEnd(7), color)}  ${result.domain}  ${level}`;
  const failing = result.hosts.filter((h) => !hostMeets(h, level));
  let why: string;
  if (verdict === 'ok') why = result.hosts.map((h) => `${h.host} ${h.protocol ?? '-'}`).join(', ');
  else if (failing.length > 0) why = failing.map((h) => `${h.host} ${hostCode(h) ?? h.status}`).join(', ');
  else {
    const dnsError = result.dnsError === undefined ? '' : ` (${result.dnsError})`;
    why = `${RESOLUTION_TEXT[result.resolution]}${dnsError}`;
  }
  return `${head}  ${why}\n`;
}
