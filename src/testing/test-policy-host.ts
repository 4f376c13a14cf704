import type { ServerResponse } from 'node:http';
import { createServer } from 'node:https';
import type { Socket } from 'node:net';
import { createSecureContext, type SecureContext, type TLSSocket } from 'node:tls';
import { checkPolicyHostOptions, policyAnswer, policyDomainArgument } from './check-policy-host.js';
import type { TestCa, TestCertificate } from './test-ca.js';
import { defaultTestCa, presetCertificate } from './test-mx-certificate.js';
import type {
  TestPolicyCertificate,
  TestPolicyHost,
  TestPolicyHostOptions,
  TestPolicyRequest,
  TestPolicyResponse,
} from './test-policy-host-types.js';

const PATH = '/.well-known/mta-sts.txt';
// Issuing a certificate takes a good part of a second; every host of the process shares them.
const CONTEXTS = new WeakMap<TestCa, Map<string, SecureContext>>();
const FALLBACKS = new WeakMap<TestCa, TestCertificate>();
const PREFIX = 'mta-sts.';

function policyDomain(servername: string | undefined): string | undefined {
  const name = servername?.toLowerCase();
  return name?.startsWith(PREFIX) ? name.slice(PREFIX.length) : undefined;
}

function certificateFor(name: string, preset: TestPolicyCertificate, ca: TestCa) {
  if (preset === 'cn-only') return ca.issue({ names: [], commonName: name });
  return presetCertificate(name, preset, ca);
}

function trickle(res: ServerResponse, body: Buffer, timers: Set<NodeJS.Timeout>): void {
  let offset = 0;
  const timer = setInterval(() => {
    res.write(body.length === 0 ? ' ' : body.subarray(offset % body.length, (offset % body.length) + 1));
    offset++;
  }, 50);
  timers.add(timer);
  res.on('close', () => {
    clearInterval(timer);
    timers.delete(timer);
  });
}

/**
 * Starts a loopback HTTPS server that serves MTA-STS policy files by SNI: a client asking for
 * `mta-sts.<domain>` gets that domain's certificate (by preset) and answer (status, type, body, or a
 * stall). Other paths and unknown names get `404`. Route `mta-sts.<domain>` to it with the `connect`
 * hook or `createTestNetwork`'s `hosts`, and trust `ca.cert`. Options of the wrong kind throw
 * `EPOLICY`.
 *
 * @example
 * ```ts
 * const policyHost = await startTestPolicyHost({
 *   policies: { 'mandant.test': 'version: STSv1\nmode: enforce\nmx: mx.mandant.test\nmax_age: 86400\n' },
 * });
 * const network = createTestNetwork({
 *   domains: { '_mta-sts.mandant.test': { txt: ['v=STSv1; id=1'] } },
 *   hosts: { 'mta-sts.mandant.test': policyHost },
 * });
 * ```
 */
export async function startTestPolicyHost(input: TestPolicyHostOptions = {}): Promise<TestPolicyHost> {
  const options = checkPolicyHostOptions(input);
  const ca = options.ca ?? defaultTestCa();
  const policies = new Map<string, TestPolicyResponse>(options.policies);
  let contexts = CONTEXTS.get(ca);
  if (contexts === undefined) {
    contexts = new Map();
    CONTEXTS.set(ca, contexts);
  }
  const shared = contexts;
  const requests: TestPolicyRequest[] = [];
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  let handshakes = 0;

  const contextFor = (name: string): SecureContext => {
    const answer = policies.get(policyDomain(name) ?? '');
    const preset = answer?.certificate ?? 'valid';
    const names = answer?.certificateNames;
    const key = `${name}|${preset}|${names?.join(',') ?? ''}`;
    let context = shared.get(key);
    if (context === undefined) {
      const issued = names === undefined ? certificateFor(name, preset, ca) : ca.issue({ names });
      context = createSecureContext(issued);
      shared.set(key, context);
    }
    return context;
  };

  const fallback = FALLBACKS.get(ca) ?? presetCertificate('localhost', 'valid', ca);
  FALLBACKS.set(ca, fallback);
  const server = createServer({
    key: fallback.key,
    cert: fallback.cert,
    SNICallback: (name, callback) => callback(null, contextFor(name)),
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.on('secureConnection', () => handshakes++);
  server.on('request', (req, res) => {
    const servername = (req.socket as TLSSocket).servername || undefined;
    requests.push({ servername, method: req.method ?? '', path: req.url ?? '', host: req.headers.host });
    const domain = policyDomain(servername);
    const answer = domain === undefined ? undefined : policies.get(domain);
    if (answer === undefined || req.url !== PATH) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
      return;
    }
    if (answer.stall === 'response') return;
    const headers: Record<string, string> = { ...answer.headers };
    const type = answer.contentType === undefined ? 'text/plain' : answer.contentType;
    if (type !== null) headers['content-type'] = type;
    const body = Buffer.from(answer.body ?? '');
    if (answer.stall === 'cut') {
      res.writeHead(answer.status ?? 200, { ...headers, 'content-length': String(body.length) });
      res.write(body.subarray(0, Math.floor(body.length / 2)), () => res.socket?.destroy());
      return;
    }
    if (answer.stall === 'trickle') {
      res.writeHead(answer.status ?? 200, headers);
      trickle(res, body, timers);
      return;
    }
    res.writeHead(answer.status ?? 200, headers).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;

  return {
    host: '127.0.0.1',
    port,
    ca,
    requests,
    get handshakes() {
      return handshakes;
    },
    requestsFor: (domain) => {
      const name = policyDomainArgument('domain', domain);
      return requests.filter((r) => policyDomain(r.servername) === name);
    },
    setPolicy(domain, answer) {
      policies.set(policyDomainArgument('domain', domain), policyAnswer('response', answer));
    },
    async close() {
      for (const timer of timers) clearInterval(timer);
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
