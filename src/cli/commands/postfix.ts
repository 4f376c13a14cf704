import { masterCfTransports } from '../../postfix/index.js';
import { COMMON_OPTIONS, parseChoice, parseCommandArgs, requireOption } from '../args.js';
import { CliError } from '../cli-error.js';
import { type CliIo, EXIT, type ExitCode } from '../io.js';
import { loadPolicy } from '../load-inputs.js';
import type { CommandSpec } from '../spec.js';
import { postfixQueue } from './postfix-queue.js';
import { postfixServe } from './postfix-serve.js';

const NAME = 'postfix';

const HELP = `Usage: forced-tls postfix <serve|queue|master-cf> [options]

The same policy and whitelist in Postfix (docs/postfix.md).

  forced-tls postfix serve --policy <file> [--whitelist <file>] --socketmap 127.0.0.1:PORT
                           [--policy-service 127.0.0.1:PORT] [options]
    One long-running process: the TLS policy table and the transport table for
    smtp_tls_policy_maps / transport_maps (socketmap) and the inbound policy service for
    check_policy_service. Logs JSON lines on stdout. Reloads the policy file on change or
    SIGHUP (a bad file keeps the old policy); sees whitelist changes on the next lookup;
    stops on SIGTERM.
    --socketmap <addr>         HOST:PORT (loopback) or unix:PATH
    --policy-service <addr>    HOST:PORT (loopback) or unix:PATH
    --map-name <name>          TLS policy table name (default forcedtls)
    --transport-map-name <n>   transport table name (default forcedtls-transport)
    --postfix-version <v>      replies only use attributes this Postfix knows (default 3.7)
    --next-hop <hop=domain>    decide a transport next-hop as that domain, e.g.
                               [10.0.0.5]:25=partner.de (repeatable)
    --transport-nexthop <hop>  next-hop of routed recipients (default: their domain)
    --transport-prefix <p>     prefix of the master.cf transports (default ftls)
    --reject-as <how>          permanent (530 5.7.0, default) or temporary (450 4.7.0)
    --lookup-timeout <ms>      deadline of one lookup or decision (default 5000)
    --log <what>               all (default), decisions (no OK lookups) or errors
    --mta-sts <file>           look up MTA-STS (system DNS, HTTPS), cache the policies in <file>;
                               an enforce policy is answered "secure match=<its MX patterns>"
    --dnssec-server <addr>     a validating resolver on loopback, HOST:PORT (repeatable): usable
                               TLSA records are answered "dane-only", bogus DNSSEC "TEMP";
                               Postfix needs smtp_dns_support_level = dnssec

  forced-tls postfix queue --policy <file> [--whitelist <file>] [--config-dir <dir> | --input <file>]
    One JSON line per queued recipient waiting for TLS (recipient, sender, queue id, MX, code,
    mayWhitelist, whitelisted, de/en text), from "postqueue -j" (or a file of its output).
    Exit code 2 when there is at least one.

  forced-tls postfix master-cf --policy <file> [--transport-prefix <p>] [--chroot y|n]
    The master.cf lines of the transports the transport table routes to.
`;

async function masterCf(args: readonly string[], io: CliIo): Promise<ExitCode> {
  const { values } = parseCommandArgs('postfix master-cf', args, {
    ...COMMON_OPTIONS,
    policy: { type: 'string' },
    'transport-prefix': { type: 'string' },
    chroot: { type: 'string' },
    'postfix-version': { type: 'string' },
  });
  const chroot = parseChoice('postfix master-cf', 'chroot', values.chroot, ['y', 'n', '-'] as const);
  const policy = await loadPolicy(io, requireOption('postfix master-cf', 'policy', values.policy));
  io.stdout.write(
    masterCfTransports(policy, {
      ...(values['transport-prefix'] === undefined ? {} : { transportPrefix: values['transport-prefix'] }),
      ...(chroot === undefined ? {} : { chroot }),
      ...(values['postfix-version'] === undefined ? {} : { postfixVersion: values['postfix-version'] }),
    }),
  );
  return EXIT.ok;
}

const SUBCOMMANDS: Readonly<Record<string, (args: readonly string[], io: CliIo) => Promise<ExitCode>>> = {
  serve: postfixServe,
  queue: postfixQueue,
  'master-cf': masterCf,
};

async function run(args: readonly string[], io: CliIo): Promise<ExitCode> {
  const [sub, ...rest] = args;
  const handler = sub === undefined ? undefined : SUBCOMMANDS[sub];
  if (handler === undefined) {
    const what = sub === undefined ? 'missing subcommand' : `unknown subcommand ${JSON.stringify(sub)}`;
    throw new CliError('EUSAGE', `${what}: use serve, queue or master-cf`, NAME);
  }
  return handler(rest, io);
}

/** `forced-tls postfix serve|queue|master-cf`. */
export const postfixCommand: CommandSpec = {
  name: NAME,
  summary: 'serve the policy to Postfix (socketmap, policy service), list queued TLS refusals',
  help: HELP,
  run,
};
