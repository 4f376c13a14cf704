import { formatTlsa, type TlsaRecord, tlsaUsability } from '../dane/index.js';
import type { ProbeTlsa } from './dane-types.js';

/**
 * A TLSA record as JSON-safe report data: its fields, the data in hex, the presentation form and
 * whether SMTP may use it (RFC 7672 §3.1).
 *
 * @example
 * ```ts
 * probeTlsa({ usage: 3, selector: 1, matchingType: 1, data }); // { usage: 3, …, text: '3 1 1 8a5b…', usable: true, usability: 'usable' }
 * ```
 */
export function probeTlsa(record: TlsaRecord): ProbeTlsa {
  const usability = tlsaUsability(record);
  return {
    usage: record.usage,
    selector: record.selector,
    matchingType: record.matchingType,
    data: Buffer.from(record.data).toString('hex'),
    text: formatTlsa(record),
    usable: usability === 'usable',
    usability,
  };
}
