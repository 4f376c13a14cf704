import { createServer, type Socket } from 'node:net';
import { ForcedTlsError } from '../errors/index.js';
import { withDeadline } from './deadline.js';
import {
  createInboundPolicy,
  type InboundPolicyAnswer,
  type InboundPolicyOptions,
} from './inbound-policy.js';
import { type BoundAddress, checkListenAddress, type ListenAddress, listenOn } from './listen.js';
import { type PolicyAttributes, PolicyRequestReader } from './policy-request-reader.js';
import { type ProtocolErrorEvent, ServerConnections } from './server-connections.js';

/** Options of {@link createPolicyDelegationServer}. */
export interface PolicyDelegationServerOptions extends InboundPolicyOptions {
  /** Longest attribute line, in bytes. @default 8192 */
  readonly maxLineLength?: number;
  /** Most attributes in one request. @default 100 */
  readonly maxAttributes?: number;
  /**
   * Deadline of one decision, from the request's end; then `451 4.3.0` is answered. Below
   * Postfix's `smtpd_policy_service_timeout` (100 s). @default 5000
   */
  readonly decisionTimeoutMs?: number;
  /** @default 1000 */
  readonly maxConnections?: number;
  /** Allow a TCP listener on a non-loopback address. @default false */
  readonly allowRemote?: boolean;
  /** Called when a connection is closed for malformed input. */
  readonly onProtocolError?: (event: ProtocolErrorEvent) => void;
}

/** A running (or not yet started) policy-delegation server. */
export interface PolicyDelegationServer {
  /** Starts listening (TCP on loopback unless `allowRemote`, or a unix socket); resolves with the bound address. */
  listen(address: ListenAddress): Promise<BoundAddress>;
  /** Open connections. */
  readonly connections: number;
  /** Stops listening and closes every connection. */
  close(): Promise<void>;
}

function positive(value: number | undefined, fallback: number, path: string): number {
  if (value === undefined) return fallback;
  if (Number.isSafeInteger(value) && value > 0) return value;
  throw new ForcedTlsError('EPOLICY', `${path} must be a positive integer`, { path, value });
}

/**
 * Creates the server for Postfix's policy delegation (`check_policy_service inet:127.0.0.1:PORT`
 * in `smtpd_recipient_restrictions`): each request is decided like the inbound guard decides a
 * `MAIL FROM` (see {@link InboundPolicyOptions}) and answered `action=DUNNO`, `action=530 5.7.0 …`
 * or `action=450 4.7.0 …`. Requests on one connection are answered in order. A request that is
 * not `request=smtpd_access_policy`, or malformed input, closes the connection (Postfix then
 * applies `smtpd_policy_service_default_action`, `451 4.3.5`: fail closed).
 *
 * @example
 * ```ts
 * const server = createPolicyDelegationServer({ policy, whitelist, onDecision: (r) => audit.write(r) });
 * await server.listen({ host: '127.0.0.1', port: 10040 });
 * ```
 */
export function createPolicyDelegationServer(options: PolicyDelegationServerOptions): PolicyDelegationServer {
  const decide = createInboundPolicy(options);
  const limits = {
    maxLineLength: positive(options.maxLineLength, 8192, 'maxLineLength'),
    maxAttributes: positive(options.maxAttributes, 100, 'maxAttributes'),
  };
  const timeoutMs = positive(options.decisionTimeoutMs, 5000, 'decisionTimeoutMs');
  const connections = new ServerConnections(options.onProtocolError, options.clock ?? (() => new Date()));
  const late = (): InboundPolicyAnswer => ({ action: '451 4.3.0 Temporary local problem, try again later' });

  function serve(socket: Socket): void {
    const reader = new PolicyRequestReader(limits);
    let queue: Promise<void> = Promise.resolve();
    socket.on('data', (chunk: Buffer) => {
      const result = reader.push(chunk);
      for (const request of result.requests) {
        const answer = answerOne(request);
        queue = queue.then(async () => {
          const a = await answer;
          if (socket.destroyed) return;
          if (a === undefined) return connections.fail(socket, 'not_an_access_policy_request');
          socket.write(`action=${a.action}\n\n`);
        });
      }
      if (!result.ok) queue = queue.then(() => connections.fail(socket, result.problem));
    });
  }

  function answerOne(request: PolicyAttributes): Promise<InboundPolicyAnswer | undefined> {
    if (request.get('request') !== 'smtpd_access_policy') return Promise.resolve(undefined);
    return withDeadline(decide(request), timeoutMs, late).catch(late);
  }

  const server = createServer((socket) => {
    connections.add(socket);
    serve(socket);
  });
  server.maxConnections = positive(options.maxConnections, 1000, 'maxConnections');
  server.on('error', () => {});
  return {
    listen: async (address) =>
      listenOn(server, checkListenAddress(address, options.allowRemote === true, 'listen')),
    get connections() {
      return connections.size;
    },
    close: () => connections.closeServer(server),
  };
}
