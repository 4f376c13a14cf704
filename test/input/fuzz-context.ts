import { X509Certificate } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, createServer, type PeerCertificate, type TLSSocket } from 'node:tls';
import * as root from '../../src/index.js';
import * as probe from '../../src/probe/index.js';
import * as testing from '../../src/testing/index.js';

// What the samples of every entry point share: a temporary directory, a fixed time, a policy, DNS
// that answers nothing and a connect hook to a closed loopback port, so no call leaves the machine.

/** Holds the files the fuzz suite writes; removed at the end. */
export const dir = mkdtempSync(join(tmpdir(), 'forced-tls-fuzz-'));
export const NOW = new Date('2026-11-27T00:00:00.000Z');
export const ENTRY = {
  id: '0d5c5e43-8f0e-4a43-9c57-2b7f2f7c1e6a',
  direction: 'outbound',
  scope: 'domain',
  value: 'mandant.example',
  reason: 'Einwilligung liegt vor',
  approvedBy: 'StB Muster',
  createdAt: '2026-01-01T00:00:00.000Z',
} as const;

const refuse = async () => {
  throw testing.dnsError('ENOTFOUND', 'queryMx', 'fuzz.invalid');
};
/** A resolver whose every lookup fails with ENOTFOUND. */
export const OFFLINE = { resolveMx: refuse, resolve4: refuse, resolve6: refuse, resolveTxt: refuse };
/** Port 9 (discard) on loopback: nothing listens there. */
export const CLOSED_PORT = 9;
export const CLOSED = () => ({ host: '127.0.0.1', port: CLOSED_PORT });
export const QUICK = { connect: 500, greeting: 500, tls: 500, reply: 500 };

export const policy = root.createPolicy({
  outbound: {
    default: 'encrypt',
    rules: [
      { match: '*.versicherung.example', level: 'verify', whitelistable: false },
      { match: 'vorstand@bank.example', level: 'verify', minVersion: 'TLSv1.3' },
    ],
  },
  inbound: { rules: [{ match: 'bank.example', level: 'encrypt' }] },
});
export const index = root.createWhitelistIndex([{ ...ENTRY }]);
export const prober = probe.createProber({
  resolver: OFFLINE,
  connect: CLOSED,
  ehloName: 'mail.kanzlei.example',
});
export const requirement = { level: 'encrypt', minVersion: 'TLSv1.2', fingerprints: [] } as const;

/** A real TLS session on loopback: the client socket, its peer's certificate and chain. */
export interface TlsPeer {
  readonly socket: TLSSocket;
  readonly peer: PeerCertificate;
  readonly leaf: X509Certificate;
  close(): Promise<void>;
}

/** Opens a TLS session to a loopback server presenting a test certificate for `mx.mandant.test`. */
export async function openTlsPeer(): Promise<TlsPeer> {
  const issued = testing.defaultTestCa().issue({ names: ['mx.mandant.test', 'mta-sts.mandant.test'] });
  const server = createServer({ key: issued.key, cert: issued.cert }, (s) => s.on('error', () => {}));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  const socket = connect({
    host: '127.0.0.1',
    port,
    servername: 'mx.mandant.test',
    rejectUnauthorized: false,
  });
  await new Promise<void>((resolve, reject) => socket.once('secureConnect', resolve).once('error', reject));
  return {
    socket,
    peer: socket.getPeerCertificate(),
    leaf: new X509Certificate(issued.cert),
    async close() {
      socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
