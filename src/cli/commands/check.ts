import { createProber, type ProbeResult, type ProberOptions } from '../../probe/index.js';
import { COMMON_OPTIONS, parseChoice, parseCommandArgs, parsePositiveInt } from '../args.js';
import { certificateVerified, hostCode } from '../check-codes.js';
import { compactLine } from '../check-compact.js';
import { formatCheckResult, formatSummary } from '../check-format.js';
import { parseEhloName, parsePort, readCaFile } from '../check-options.js';
import { type CheckLevel, checkExitCode, verdictOf } from '../check-verdict.js';
import { CliError } from '../cli-error.js';
import { painter } from '../color.js';
import { loadDnsFixture } from '../dns-fixture.js';
import { collectDomains } from '../domain-list.js';
import type { CliIo, ExitCode } from '../io.js';
import { resolvePath } from '../load-inputs.js';
import { printableJson } from '../printable.js';
import { createProgress } from '../progress.js';
import type { CommandSpec } from '../spec.js';
import { CHECK_HELP } from './check-help.js';

const NAME = 'check';
const LEVELS: readonly CheckLevel[] = ['encrypt', 'verify'];

async function run(args: readonly string[], io: CliIo): Promise<ExitCode> {
  const { values, positionals } = parseCommandArgs(NAME, args, {
    ...COMMON_OPTIONS,
    level: { type: 'string' },
    json: { type: 'boolean' },
    compact: { type: 'boolean' },
    file: { type: 'string' },
    port: { type: 'string' },
    'ehlo-name': { type: 'string' },
    'dns-fixture': { type: 'string' },
    ca: { type: 'string' },
    timeout: { type: 'string' },
    concurrency: { type: 'string' },
    progress: { type: 'boolean' },
  });
  const level = parseChoice(NAME, 'level', values.level, LEVELS) ?? 'encrypt';
  const compact = values.compact === true;
  if (compact && values.json) throw new CliError('EUSAGE', '--compact and --json exclude each other', NAME);
  const port = parsePort(values.port);
  const ehloName = parseEhloName(values['ehlo-name']);
  const timeout = parsePositiveInt(NAME, 'timeout', values.timeout);
  const concurrency = parsePositiveInt(NAME, 'concurrency', values.concurrency) ?? 8;
  const file = values.file;
  const domains = await collectDomains(
    positionals,
    file,
    file === undefined ? undefined : resolvePath(io, file),
  );
  if (domains.length === 0) throw new CliError('EUSAGE', 'name at least one domain (or --file)', NAME);

  const fixture = values['dns-fixture'];
  const network = fixture === undefined ? undefined : await loadDnsFixture(resolvePath(io, fixture));
  const ca = values.ca === undefined ? undefined : await readCaFile(resolvePath(io, values.ca), values.ca);
  const options: ProberOptions = {
    maxConnections: concurrency,
    ...(network === undefined ? {} : { resolver: network.resolver, connect: network.connect }),
    ...(port === undefined ? {} : { port }),
    ...(ehloName === undefined ? {} : { ehloName }),
    ...(timeout === undefined
      ? {}
      : { timeouts: { connect: timeout, greeting: timeout, reply: timeout, handshake: timeout } }),
    ...(ca === undefined ? {} : { ca }),
  };
  const prober = createProber(options); // validates the options before any connection

  const paint = painter(io.stdout, io.env);
  const progress = createProgress(io.stderr, domains.length, values.progress === true);
  const results: ProbeResult[] = await Promise.all(
    domains.map(async (domain) => {
      const result = await prober.probe(domain);
      // --compact streams what needs attention at once; the domains that pass follow at the end.
      if (compact && verdictOf(result, level) !== 'ok') {
        progress.clear();
        io.stdout.write(compactLine(result, level, verdictOf(result, level), paint));
      }
      progress.tick(domain);
      return result;
    }),
  );
  progress.done();

  const verdicts = results.map((r) => verdictOf(r, level));
  const code = checkExitCode(verdicts);
  if (compact) {
    for (const [i, r] of results.entries()) {
      if (verdicts[i] === 'ok') io.stdout.write(compactLine(r, level, 'ok', paint));
    }
    io.stdout.write(formatSummary(verdicts, level));
  } else if (values.json) {
    const domainsJson = results.map((result, i) => ({
      verdict: verdicts[i],
      ...result,
      hosts: result.hosts.map((host) => ({
        ...host,
        // The library's words next to the probe's: the recipient code and certificateVerified.
        code: hostCode(host) ?? null,
        ...(host.certificate === undefined ? {} : { certificateVerified: certificateVerified(host) }),
      })),
    }));
    io.stdout.write(`${printableJson({ level, exitCode: code, domains: domainsJson })}\n`);
  } else {
    io.stdout.write(
      results.map((r, i) => formatCheckResult(r, level, verdicts[i] ?? 'unknown', paint)).join('\n'),
    );
    if (results.length > 1) io.stdout.write(`\n${formatSummary(verdicts, level)}`);
  }
  return code;
}

/** `forced-tls check`: the TLS of domains' mail servers, per MX host. */
export const checkCommand: CommandSpec = {
  name: NAME,
  summary: "check the TLS of domains' mail servers, per MX host (like checktls)",
  help: CHECK_HELP,
  run,
};
