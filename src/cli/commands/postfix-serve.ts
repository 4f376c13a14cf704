import type { Policy } from '../../policy/index.js';
import {
  createPolicyDelegationServer,
  createSocketmapServer,
  createTlsPolicyTable,
  createTransportTable,
  formatSocketmapReply,
  type PolicyDelegationServer,
  routedRequirements,
  type SocketmapLookupEvent,
  type SocketmapServer,
  transportName,
} from '../../postfix/index.js';
import { createWhitelist, FileWhitelistStore } from '../../whitelist/index.js';
import { COMMON_OPTIONS, parseChoice, parseCommandArgs, parsePositiveInt, requireOption } from '../args.js';
import { CliError } from '../cli-error.js';
import { type CliIo, EXIT, type ExitCode } from '../io.js';
import { resolvePath } from '../load-inputs.js';
import { parseListen, parseNextHops, showAddress } from './postfix-args.js';
import { watchPolicy } from './postfix-policy-watch.js';
import { publishedResolvers } from './postfix-published.js';

const NAME = 'postfix serve';
const LOG_LEVELS = ['all', 'decisions', 'errors'] as const;

interface Answer {
  readonly decision?: { level: string; source: string; rule?: { pattern: string }; entry?: { id: string } };
  readonly transport?: string;
  readonly basis?: string;
  readonly published?: {
    mtaSts: {
      status: string;
      resolution?: { mode: string; source: string; id?: string };
      rechecked?: boolean;
    };
    dane: { status: string };
  };
  readonly error?: string;
  readonly whitelistError?: string;
}

// What the recipient publishes, in one line: the MTA-STS mode and where it came from, the DANE state.
function publishedLine(answer: Answer): Record<string, unknown> {
  const p = answer.published;
  if (p === undefined) return {};
  const r = p.mtaSts.resolution;
  const mtaSts = r === undefined ? p.mtaSts.status : { mode: r.mode, source: r.source, id: r.id ?? null };
  return {
    basis: answer.basis ?? null,
    mtaSts,
    ...(p.mtaSts.rechecked === true ? { mtaStsRechecked: true } : {}),
    dane: p.dane.status,
  };
}

function lookupLine(event: SocketmapLookupEvent): Record<string, unknown> {
  const answer = event.answer as Answer;
  const d = answer.decision;
  return {
    event: 'lookup',
    at: event.at,
    map: event.map,
    key: event.key,
    reply: formatSocketmapReply(event.reply),
    ms: Math.round(event.durationMs * 1000) / 1000,
    ...(d === undefined
      ? {}
      : { level: d.level, source: d.source, rule: d.rule?.pattern ?? null, entry: d.entry?.id ?? null }),
    ...(answer.transport === undefined ? {} : { transport: answer.transport }),
    ...publishedLine(answer),
    ...(answer.error === undefined ? {} : { error: answer.error }),
    ...(answer.whitelistError === undefined ? {} : { whitelistError: answer.whitelistError }),
  };
}

/** `forced-tls postfix serve`: the socketmap and policy-delegation servers in one process. */
export async function postfixServe(args: readonly string[], io: CliIo): Promise<ExitCode> {
  const { values } = parseCommandArgs(NAME, args, {
    ...COMMON_OPTIONS,
    policy: { type: 'string' },
    whitelist: { type: 'string' },
    socketmap: { type: 'string' },
    'policy-service': { type: 'string' },
    'map-name': { type: 'string' },
    'transport-map-name': { type: 'string' },
    'postfix-version': { type: 'string' },
    'next-hop': { type: 'string', multiple: true },
    'transport-nexthop': { type: 'string' },
    'transport-prefix': { type: 'string' },
    'reject-as': { type: 'string' },
    'lookup-timeout': { type: 'string' },
    log: { type: 'string' },
    'mta-sts': { type: 'string' },
    'dnssec-server': { type: 'string', multiple: true },
  });
  const policyPath = requireOption(NAME, 'policy', values.policy);
  const socketmapAt = parseListen(NAME, 'socketmap', values.socketmap);
  const serviceAt = parseListen(NAME, 'policy-service', values['policy-service']);
  if (socketmapAt === undefined && serviceAt === undefined) {
    throw new CliError('EUSAGE', 'give --socketmap, --policy-service or both', NAME);
  }
  const rejectAs = parseChoice(NAME, 'reject-as', values['reject-as'], ['permanent', 'temporary'] as const);
  const timeoutMs = parsePositiveInt(NAME, 'lookup-timeout', values['lookup-timeout']) ?? 5000;
  const logLevel = parseChoice(NAME, 'log', values.log, LOG_LEVELS) ?? 'all';
  const nextHops = parseNextHops(NAME, values['next-hop']);
  const mapName = values['map-name'] ?? 'forcedtls';
  const transportMapName = values['transport-map-name'] ?? 'forcedtls-transport';

  const log = (line: Record<string, unknown>) =>
    io.stdout.write(`${JSON.stringify({ at: new Date().toISOString(), ...line })}\n`);
  const prefix = values['transport-prefix'];
  const onLoaded = (p: Policy) => {
    const transports = routedRequirements(p).map((r) => transportName(r, prefix));
    log({ event: 'policy_loaded', file: policyPath, rules: p.rules.length, masterCfTransports: transports });
  };
  const store =
    values.whitelist === undefined ? undefined : new FileWhitelistStore(resolvePath(io, values.whitelist));
  const whitelist = store === undefined ? undefined : createWhitelist(store);
  const published = publishedResolvers(io, values['mta-sts'], values['dnssec-server'], log);
  const watched = await watchPolicy(io, policyPath, log, onLoaded);
  const policy = () => watched.current();
  const shared = { policy, ...(whitelist === undefined ? {} : { whitelist }) };
  const servers: (SocketmapServer | PolicyDelegationServer)[] = [];
  const onProtocolError = (server: string) => (e: object) => log({ event: 'protocol_error', server, ...e });

  const stop = async () => {
    watched.close();
    await Promise.all(servers.map((s) => s.close()));
    await store?.close();
    await published.close();
  };
  try {
    if (socketmapAt !== undefined) {
      const tls = createTlsPolicyTable({
        ...shared,
        nextHops,
        ...(values['postfix-version'] === undefined ? {} : { postfixVersion: values['postfix-version'] }),
        ...(published.mtaSts === undefined ? {} : { mtaSts: published.mtaSts }),
        ...(published.dnssec === undefined ? {} : { dnssec: published.dnssec }),
      });
      const transport = createTransportTable({
        ...shared,
        ...(values['transport-nexthop'] === undefined ? {} : { nexthop: values['transport-nexthop'] }),
        ...(prefix === undefined ? {} : { transportPrefix: prefix }),
      });
      const server = createSocketmapServer({
        maps: { [mapName]: tls, [transportMapName]: transport },
        lookupTimeoutMs: timeoutMs,
        onLookup: (e) => {
          const failed = e.reply.status !== 'OK' && e.reply.status !== 'NOTFOUND';
          if (logLevel === 'all' || failed) log(lookupLine(e));
        },
        onProtocolError: onProtocolError('socketmap'),
      });
      servers.push(server);
      const bound = await server.listen(socketmapAt);
      log({
        event: 'listening',
        server: 'socketmap',
        address: showAddress(bound),
        maps: [mapName, transportMapName],
        ...published.described,
      });
    }
    if (serviceAt !== undefined) {
      const server = createPolicyDelegationServer({
        ...shared,
        ...(rejectAs === undefined ? {} : { rejectAs }),
        decisionTimeoutMs: timeoutMs,
        onDecision: (report) => {
          if (logLevel !== 'errors' || report.outcome === 'reject')
            log({ event: 'inbound_decision', ...report });
        },
        onProtocolError: onProtocolError('policy-service'),
      });
      servers.push(server);
      const bound = await server.listen(serviceAt);
      log({ event: 'listening', server: 'policy-service', address: showAddress(bound) });
    }
  } catch (error) {
    await stop();
    throw error;
  }

  await new Promise<void>((resolve) => {
    const onHup = () => void watched.reload('SIGHUP');
    const onStop = (signal: string) => () => {
      process.off('SIGHUP', onHup);
      process.off('SIGTERM', term);
      process.off('SIGINT', int);
      log({ event: 'stopping', signal });
      resolve();
    };
    const term = onStop('SIGTERM');
    const int = onStop('SIGINT');
    process.on('SIGHUP', onHup);
    process.once('SIGTERM', term);
    process.once('SIGINT', int);
  });
  await stop();
  log({ event: 'stopped' });
  return EXIT.ok;
}
