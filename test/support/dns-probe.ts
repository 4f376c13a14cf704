import { createSocket } from 'node:dgram';
import packet, { type DecodedPacket, type RecordType } from 'dns-packet';

/** A decoded reply with the rcode that the `dns-packet` types leave out. */
export type ProbeReply = DecodedPacket & { readonly rcode?: string };

/**
 * One UDP query to 127.0.0.1:`port` for readiness checks of the test servers (independent of the
 * resolver under test): `recursive` sets RD and the DO bit. Resolves `undefined` after 300 ms.
 */
export function queryOnce(
  port: number,
  name: string,
  type: RecordType,
  recursive: boolean,
): Promise<ProbeReply | undefined> {
  return new Promise((resolve) => {
    const socket = createSocket('udp4');
    const done = (reply: ProbeReply | undefined) => {
      clearTimeout(timer);
      socket.close();
      resolve(reply);
    };
    const timer = setTimeout(() => done(undefined), 300);
    socket.on('error', () => done(undefined));
    socket.on('message', (message) => {
      try {
        done(packet.decode(message) as ProbeReply);
      } catch {
        done(undefined);
      }
    });
    const query = packet.encode({
      type: 'query',
      id: 1,
      flags: recursive ? packet.RECURSION_DESIRED : 0,
      questions: [{ name, type, class: 'IN' }],
      additionals: recursive
        ? [
            {
              type: 'OPT',
              name: '.',
              udpPayloadSize: 1232,
              extendedRcode: 0,
              ednsVersion: 0,
              flags: packet.DNSSEC_OK,
              flag_do: true,
              options: [],
            },
          ]
        : [],
    });
    socket.send(query, port, '127.0.0.1');
  });
}
