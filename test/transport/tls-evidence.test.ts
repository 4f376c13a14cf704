import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { connect, createServer, type Server, type TLSSocket } from 'node:tls';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultTestCa } from '../../src/testing/index.js';
import { checkEvidence, readEvidence } from '../../src/transport/session/tls-evidence.js';

const servers: Server[] = [];
const sockets: TLSSocket[] = [];
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
});

/** A real TLS server on loopback whose certificate (from the trusted test CA) names `names`. */
async function tlsServer(names: string[]): Promise<number> {
  const server = createServer(defaultTestCa().issue({ names }), (socket) => socket.on('error', () => {}));
  servers.push(server);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return (server.address() as AddressInfo).port;
}

/** Connects the way a caller-supplied `checkServerIdentity: () => undefined` would have: no name check. */
async function connectWithoutNameCheck(port: number, servername: string): Promise<TLSSocket> {
  const socket = connect({
    host: '127.0.0.1',
    port,
    servername,
    ca: defaultTestCa().cert,
    checkServerIdentity: () => undefined,
  });
  sockets.push(socket);
  await once(socket, 'secureConnect');
  return socket;
}

const verify = { level: 'verify' as const, minVersion: 'TLSv1.2' as const, fingerprints: [] };

describe('TLS evidence: the name check cannot be switched off by options', () => {
  it('a trusted chain for the wrong name is not certificateVerified, and verify refuses it with ECERTNAME', async () => {
    const port = await tlsServer(['other.kanzlei.test']);
    const socket = await connectWithoutNameCheck(port, 'relay.kanzlei.test');
    expect(socket.authorized).toBe(true); // what the socket alone would have claimed
    const evidence = readEvidence(socket, 'relay.kanzlei.test');
    expect(evidence).toMatchObject({
      certificateVerified: false,
      authorizationError: 'ERR_TLS_CERT_ALTNAME_INVALID',
    });
    expect(checkEvidence(evidence, verify)?.code).toBe('ECERTNAME');
  });

  it('checks the servername when one is given, and accepts a certificate that names it', async () => {
    const port = await tlsServer(['relay.kanzlei.test']);
    const socket = await connectWithoutNameCheck(port, 'relay.kanzlei.test');
    expect(readEvidence(socket, '127.0.0.1', 'relay.kanzlei.test')?.certificateVerified).toBe(true);
    expect(readEvidence(socket, '127.0.0.1')?.certificateVerified).toBe(false);
    expect(checkEvidence(readEvidence(socket, 'relay.kanzlei.test'), verify)).toBeUndefined();
  });
});
