import { TLS_LEVELS } from '../../policy/index.js';
import { createProber, type ProbeResult } from '../../probe/index.js';
import { COMMON_OPTIONS, parseChoice, parseCommandArgs, parsePositiveInt } from '../args.js';
import { compactLine } from '../check-compact.js';
import { formatCheckResult, formatSummary } from '../check-format.js';
import { checkDomainJson } from '../check-json.js';
import { parseEhloName, parseFingerprints, parsePort, readCaFile } from '../check-options.js';
import { checkSetup } from '../check-setup.js';
import {
  type CheckLevel,
  checkExitCode,
  type DomainJudgement,
  judgeDomain,
  levelsMet,
} from '../check-verdict.js';
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
const LEVELS: readonly CheckLevel[] = TLS_LEVELS;
const NEEDS_DNSSEC: ReadonlySet<CheckLevel> = new Set(['dane', 'dane-only']);

const OPTIONS = {
  ...COMMON_OPTIONS,
  level: { type: 'string' },
  fingerprint: { type: 'string', multiple: true },
  'dnssec-server': { type: 'string', multiple: true },
  'no-mta-sts': { type: 'boolean' },
  'no-bsi-profile': { type: 'boolean' },
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
} as const;

interface Checked {
  readonly result: ProbeResult;
  readonly judged: DomainJudgement;
  /** encrypt, verify, qualified: those the domain satisfies. */
  readonly meets: readonly CheckLevel[];
}

async function run(args: readonly string[], io: CliIo): Promise<ExitCode> {
  const { values, positionals } = parseCommandArgs(NAME, args, OPTIONS);
  const level = parseChoice(NAME, 'level', values.level, LEVELS) ?? 'encrypt';
  const compact = values.compact === true;
  if (compact && values.json) throw new CliError('EUSAGE', '--compact and --json exclude each other', NAME);
  const pins = parseFingerprints(values.fingerprint);
  if (level === 'fingerprint' && pins.length === 0) {
    throw new CliError('EUSAGE', '--level fingerprint needs at least one --fingerprint', NAME);
  }
  const dnssecServers = values['dnssec-server'] ?? [];
  if (NEEDS_DNSSEC.has(level) && dnssecServers.length === 0) {
    throw new CliError(
      'EUSAGE',
      `--level ${level} needs --dnssec-server: without a DNSSEC-validating resolver DANE is not checked`,
      NAME,
    );
  }
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
  const setup = checkSetup({
    ...(network === undefined ? {} : { network }),
    ...(port === undefined ? {} : { port }),
    ...(ehloName === undefined ? {} : { ehloName }),
    ...(timeout === undefined ? {} : { timeout }),
    concurrency,
    ...(ca === undefined ? {} : { ca }),
    dnssecServers,
    mtaSts: values['no-mta-sts'] !== true,
    bsiProfile: values['no-bsi-profile'] !== true,
  });
  try {
    const prober = createProber(setup.options); // validates the options before any connection
    const paint = painter(io.stdout, io.env);
    const progress = createProgress(io.stderr, domains.length, values.progress === true);
    const checked: Checked[] = await Promise.all(
      domains.map(async (domain) => {
        const result = await prober.probe(domain);
        const [judged, meets] = await Promise.all([
          judgeDomain(result, level, pins),
          levelsMet(result, pins),
        ]);
        // --compact streams what needs attention at once; the domains that pass follow at the end.
        if (compact && judged.verdict !== 'ok') {
          progress.clear();
          io.stdout.write(compactLine(result, level, judged, paint));
        }
        progress.tick(domain);
        return { result, judged, meets };
      }),
    );
    progress.done();

    const verdicts = checked.map((c) => c.judged.verdict);
    const code = checkExitCode(verdicts);
    if (compact) {
      for (const { result, judged } of checked) {
        if (judged.verdict === 'ok') io.stdout.write(compactLine(result, level, judged, paint));
      }
      io.stdout.write(formatSummary(verdicts, level));
    } else if (values.json) {
      const domainsJson = checked.map(({ result, judged, meets }) => checkDomainJson(result, judged, meets));
      io.stdout.write(`${printableJson({ level, exitCode: code, domains: domainsJson })}\n`);
    } else {
      io.stdout.write(
        checked
          .map(({ result, judged, meets }) => formatCheckResult(result, level, judged, meets, paint))
          .join('\n'),
      );
      if (checked.length > 1) io.stdout.write(`\n${formatSummary(verdicts, level)}`);
    }
    return code;
  } finally {
    await setup.close();
  }
}

/** `forced-tls check`: the TLS of domains' mail servers, per MX host. */
export const checkCommand: CommandSpec = {
  name: NAME,
  summary: "check the TLS of domains' mail servers, per MX host (like checktls)",
  help: CHECK_HELP,
  run,
};
