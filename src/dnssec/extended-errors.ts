import type { DnsReply } from './query.js';
import type { ExtendedDnsError } from './types.js';

const EDE_OPTION = 15;

// RFC 8914 §4: the INFO-CODEs that report a DNSSEC validation failure.
const DNSSEC_FAILURES = new Set([1, 2, 5, 6, 7, 8, 9, 10, 11, 12]);

/** The Extended DNS Errors (RFC 8914) in the reply's OPT record. */
export function extendedErrors(reply: DnsReply): ExtendedDnsError[] {
  const errors: ExtendedDnsError[] = [];
  for (const record of reply.additionals ?? []) {
    if (record.type !== 'OPT') continue;
    for (const option of record.options) {
      const data = option.data;
      if ((option.code as number) !== EDE_OPTION || data === undefined || data.length < 2) continue;
      const text = data.subarray(2).toString('utf8').replace(/\0+$/, '');
      errors.push(text === '' ? { code: data.readUInt16BE(0) } : { code: data.readUInt16BE(0), text });
    }
  }
  return errors;
}

/** True when one of the errors says DNSSEC validation failed (bogus, expired signature, …). */
export function reportsBogus(errors: readonly ExtendedDnsError[]): boolean {
  return errors.some((e) => DNSSEC_FAILURES.has(e.code));
}
