import type { DnssecStatus } from '../dane/index.js';
import { extendedErrors, reportsBogus } from './extended-errors.js';
import type { DnsReply } from './query.js';
import { denialTtl, replyRecords } from './reply-records.js';
import type { DnssecAnswer, DnssecFailure, DnssecRecordMap, DnssecRecordType } from './types.js';

/** Where a reply came from, for the answer. */
export interface ReplySource {
  readonly name: string;
  readonly type: DnssecRecordType;
  readonly server: string;
  readonly transport: 'udp' | 'tcp';
}

/** A `bogus`/`failed` answer with no records. */
export function failedAnswer<T>(
  question: { readonly name: string; readonly type: DnssecRecordType },
  failure: DnssecFailure,
  message: string,
  extra: Partial<Pick<DnssecAnswer<T>, 'rcode' | 'server' | 'transport' | 'extendedErrors'>> = {},
  status: DnssecStatus = 'failed',
): DnssecAnswer<T> {
  return Object.freeze({
    name: question.name,
    type: question.type,
    status,
    kind: 'error',
    records: Object.freeze([]),
    ttl: 0,
    cached: false,
    failure,
    message,
    ...extra,
  });
}

function rcodeOf(reply: DnsReply): string {
  const opt = reply.additionals?.find((a) => a.type === 'OPT');
  const extended = opt !== undefined && opt.type === 'OPT' ? opt.extendedRcode : 0;
  // An extended rcode (RFC 6891 §6.1.3) puts 8 more bits above the header's 4.
  return extended > 0 ? `RCODE_${(extended << 4) | rcodeNumber(reply.rcode)}` : (reply.rcode ?? 'UNKNOWN');
}

function freezeRecord<R>(record: R): R {
  return typeof record === 'object' && record !== null ? Object.freeze(record) : record;
}

const RCODES = ['NOERROR', 'FORMERR', 'SERVFAIL', 'NXDOMAIN', 'NOTIMP', 'REFUSED'];
const rcodeNumber = (name: string | undefined): number => Math.max(0, RCODES.indexOf(name ?? ''));

/**
 * What a reply says, as an answer: NOERROR and NXDOMAIN are `secure` with the AD bit and `insecure`
 * without; SERVFAIL is `bogus` when an Extended DNS Error reports a DNSSEC failure, else `failed`;
 * every other rcode is `failed`. Records are read only from NOERROR replies.
 */
export function interpretReply<T extends DnssecRecordType>(
  reply: DnsReply,
  source: ReplySource,
): DnssecAnswer<DnssecRecordMap[T]> {
  const rcode = rcodeOf(reply);
  const errors = extendedErrors(reply);
  const from = { server: source.server, transport: source.transport, rcode };
  const withErrors = errors.length > 0 ? { ...from, extendedErrors: Object.freeze(errors) } : from;
  if (rcode !== 'NOERROR' && rcode !== 'NXDOMAIN') {
    const bogus = rcode === 'SERVFAIL' && reportsBogus(errors);
    const failure: DnssecFailure =
      rcode === 'SERVFAIL' ? 'servfail' : rcode === 'REFUSED' ? 'refused' : 'rcode';
    const detail = errors.map((e) => ` (EDE ${e.code}${e.text === undefined ? '' : `: ${e.text}`})`).join('');
    const message = `${source.server} answered ${rcode}${detail} for ${source.name} ${source.type}`;
    return failedAnswer(source, failure, message, withErrors, bogus ? 'bogus' : 'failed');
  }
  const found = replyRecords(reply.answers ?? [], source.name, source.type as T);
  const records = rcode === 'NOERROR' ? found.records : [];
  const kind = records.length > 0 ? 'records' : rcode === 'NXDOMAIN' ? 'nxdomain' : 'nodata';
  const ttl = kind === 'records' ? found.ttl : Math.min(found.ttl, denialTtl(reply.authorities ?? []));
  return Object.freeze({
    name: source.name,
    type: source.type,
    status: reply.flag_ad ? 'secure' : 'insecure',
    kind,
    records: Object.freeze(records.map(freezeRecord)),
    ttl: Number.isFinite(ttl) ? ttl : 0,
    cached: false,
    ...(found.canonicalName === source.name ? {} : { canonicalName: found.canonicalName }),
    ...withErrors,
  });
}
