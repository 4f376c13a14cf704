import { createSocket } from 'node:dgram';
import packet from 'dns-packet';

/** A hostile or broken DNS peer on 127.0.0.1 (UDP only). */
export interface DnsPeer {
  readonly address: string;
  /** Datagrams received. */
  readonly received: number;
  close(): Promise<void>;
}

/**
 * A UDP DNS peer: `silent` never answers; `misanswering` answers every query with a reply that does
 * not match it (another id, then another question), as an off-path spoofer would.
 */
export async function startDnsPeer(behaviour: 'silent' | 'misanswering'): Promise<DnsPeer> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', () => resolve()));
  let received = 0;
  socket.on('message', (message, client) => {
    received++;
    if (behaviour === 'silent') return;
    const query = packet.decode(message);
    const question = query.questions?.[0] ?? { name: 'x.test', type: 'A' as const };
    const reply = (id: number, name: string) =>
      packet.encode({
        type: 'response',
        id,
        flags: packet.RECURSION_DESIRED | packet.RECURSION_AVAILABLE | packet.AUTHENTIC_DATA,
        questions: [{ ...question, name }],
        answers: [{ type: 'A', name, ttl: 300, data: '192.0.2.66' }],
      });
    socket.send(reply(((query.id ?? 0) + 1) % 65536, question.name), client.port, client.address);
    socket.send(reply(query.id ?? 0, `spoofed.${question.name}`), client.port, client.address);
  });
  return {
    address: `127.0.0.1:${socket.address().port}`,
    get received() {
      return received;
    },
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}
