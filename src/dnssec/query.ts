import { randomInt } from 'node:crypto';
import packet from 'dns-packet';
import type { DnssecRecordType } from './types.js';

/** One query as sent: its id, question and wire form (without the TCP length prefix). */
export interface DnsQuery {
  readonly id: number;
  readonly name: string;
  readonly type: DnssecRecordType;
  readonly wire: Buffer;
}

/**
 * A recursive query with EDNS0 and the DO bit (RFC 3225): RD set, CD clear (the resolver must
 * validate), a random id, one question.
 */
export function createQuery(name: string, type: DnssecRecordType, udpPayloadSize: number): DnsQuery {
  const id = randomInt(0, 65536);
  const wire = packet.encode({
    type: 'query',
    id,
    flags: packet.RECURSION_DESIRED,
    questions: [{ name, type, class: 'IN' }],
    additionals: [
      {
        type: 'OPT',
        name: '.',
        udpPayloadSize,
        extendedRcode: 0,
        ednsVersion: 0,
        flags: packet.DNSSEC_OK,
        flag_do: true,
        options: [],
      },
    ],
  });
  return { id, name, type, wire };
}

/** A decoded reply, with the header fields the types of `dns-packet` leave out. */
export type DnsReply = packet.DecodedPacket & { readonly rcode?: string; readonly opcode?: string };

/**
 * Decodes `buffer` and returns it when it is the reply to `query`: a response (QR) to a standard
 * query with the same id and exactly the same question (name compared case-insensitively, type,
 * class IN). Anything else, undecodable bytes included, gives `undefined`.
 */
export function replyTo(query: DnsQuery, buffer: Buffer): DnsReply | undefined {
  let reply: DnsReply;
  try {
    reply = packet.decode(buffer) as DnsReply;
  } catch {
    return undefined;
  }
  const question = reply.questions?.[0];
  const matches =
    reply.flag_qr &&
    reply.id === query.id &&
    reply.opcode === 'QUERY' &&
    reply.questions?.length === 1 &&
    question !== undefined &&
    question.name.toLowerCase().replace(/\.$/, '') === query.name &&
    question.type === query.type &&
    (question.class ?? 'IN') === 'IN';
  return matches ? reply : undefined;
}
