import { execFile } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { formatTlsa, tlsaAssociationData } from '../../src/dane/index.js';
import { queryOnce } from './dns-probe.js';
import {
  type ForegroundProcess,
  freePort,
  type ServerGate,
  startForeground,
  systemServerGate,
  tempDir,
  waitUntil,
} from './system-servers.js';

const run = promisify(execFile);

/**
 * The binaries of the DNSSEC test stack: nsd (authoritative), unbound (validating resolver) and the
 * ldns tools that make keys, sign zones and print the DS trust anchor.
 */
export function dnssecGate(): ServerGate {
  return systemServerGate('DNSSEC stack (nsd, unbound, ldns)', {
    nsd: ['/usr/sbin/nsd'],
    unbound: ['/usr/sbin/unbound'],
    'ldns-keygen': ['/usr/bin/ldns-keygen'],
    'ldns-signzone': ['/usr/bin/ldns-signzone'],
    'ldns-key2ds': ['/usr/bin/ldns-key2ds'],
  });
}

/** One resource record of a test zone. */
export interface ZoneRecord {
  /** Relative to the zone (`mx`, `_25._tcp.mx`, `@` for the apex) or absolute (`mx.dane.test`). */
  readonly name: string;
  readonly type: 'MX' | 'A' | 'AAAA' | 'TLSA' | 'TXT' | 'CNAME';
  /** Presentation form: `10 mx.dane.test`, `127.0.0.1`, `3 1 1 ab…` (see {@link tlsaValue}), TXT text unquoted. */
  readonly value: string;
  /** @default 300 */
  readonly ttl?: number;
  /** Corrupt the RRSIG over this RRset after signing, so a validating resolver finds it bogus. */
  readonly tamper?: boolean;
}

/** A child zone of `test.`: signed (a DS in `test.`, a secure delegation) or unsigned (insecure delegation). */
export interface ZoneSpec {
  /** A name directly below `test`, e.g. `dane.test`. */
  readonly name: string;
  readonly signed: boolean;
  readonly records: readonly ZoneRecord[];
}

/** A running nsd + unbound pair serving the zones of a spec. */
export interface DnssecStack {
  /** The validating resolver (unbound), `127.0.0.1:port`. */
  readonly resolver: string;
  /** The authoritative server (nsd), `127.0.0.1:port`: it does not validate and never sets AD. */
  readonly authoritative: string;
  /** The DS record of `test.` that unbound uses as its trust anchor. */
  readonly trustAnchor: string;
  /** What both servers logged, for a failing test's message. */
  output(): string;
  /** Stops unbound and nsd by their PIDs and removes the state directory. */
  stop(): Promise<void>;
}

/**
 * The records of a test domain with one MX host: the MX (`label` in the zone), the host's A record
 * 127.0.0.1 when the host lies in `zone`, and its TLSA records at `_25._tcp.<host>`.
 */
export function mxDomainRecords(
  label: string,
  host: string,
  tlsa: readonly string[] = [],
  zone = 'dane.test',
): ZoneRecord[] {
  return [
    { name: label, type: 'MX', value: `10 ${host}` },
    ...(host.endsWith(`.${zone}`) ? [{ name: host, type: 'A' as const, value: '127.0.0.1' }] : []),
    ...tlsa.map((value) => ({ name: `_25._tcp.${host}`, type: 'TLSA' as const, value })),
  ];
}

/** The TLSA presentation value (`usage selector matchingType hex`) for a PEM certificate. */
export function tlsaValue(pem: string, usage: number, selector: number, matchingType: number): string {
  const cert = new X509Certificate(pem);
  return formatTlsa({
    usage,
    selector,
    matchingType,
    data: tlsaAssociationData(cert, selector, matchingType),
  });
}

const SOA = (zone: string) => `${zone}. 300 IN SOA ns.test. hostmaster.test. 1 3600 600 86400 300`;

function owner(name: string, zone: string): string {
  if (name === '@' || name === '') return `${zone}.`;
  if (name === zone || name.endsWith(`.${zone}`)) return `${name}.`;
  return `${name}.${zone}.`;
}

function rdata(record: ZoneRecord): string {
  if (record.type === 'CNAME') return record.value.endsWith('.') ? record.value : `${record.value}.`;
  if (record.type === 'MX') {
    const [preference, exchange = '.'] = record.value.split(/\s+/);
    return `${preference} ${exchange.endsWith('.') ? exchange : `${exchange}.`}`;
  }
  if (record.type === 'TXT') return (record.value.match(/.{1,255}/g) ?? ['']).map((s) => `"${s}"`).join(' ');
  return record.value;
}

function zoneText(zone: string, records: readonly ZoneRecord[], extra: readonly string[] = []): string {
  const lines = [SOA(zone), `${zone}. 300 IN NS ns.test.`, ...extra];
  for (const r of records) lines.push(`${owner(r.name, zone)} ${r.ttl ?? 300} IN ${r.type} ${rdata(r)}`);
  return `${lines.join('\n')}\n`;
}

/** Signs `<zone>.zone` in `dir` with a fresh ECDSA P-256 ZSK and KSK; returns the KSK's DS line. */
async function signZone(dir: string, zone: string): Promise<string> {
  const keygen = async (...flags: string[]) =>
    (await run('ldns-keygen', ['-a', 'ECDSAP256SHA256', ...flags, zone], { cwd: dir })).stdout.trim();
  const zsk = await keygen();
  const ksk = await keygen('-k');
  await run('ldns-signzone', ['-n', '-f', `${zone}.signed`, `${zone}.zone`, zsk, ksk], { cwd: dir });
  return (await run('ldns-key2ds', ['-n', '-2', `${ksk}.key`], { cwd: dir })).stdout.trim();
}

/** Flips one character of the signature of each RRSIG covering a tampered RRset. */
async function tamper(dir: string, zone: string, records: readonly ZoneRecord[]): Promise<void> {
  const targets = records.filter((r) => r.tamper).map((r) => [owner(r.name, zone), r.type] as const);
  if (targets.length === 0) return;
  const file = join(dir, `${zone}.signed`);
  const lines = (await readFile(file, 'utf8')).split('\n').map((line) => {
    const fields = line.split(/\s+/);
    const hit = targets.some(
      ([name, type]) => fields[0] === name && fields[3] === 'RRSIG' && fields[4] === type,
    );
    if (!hit) return line;
    const signature = fields.at(-1)!;
    const i = Math.floor(signature.length / 2);
    return [
      ...fields.slice(0, -1),
      signature.slice(0, i) + (signature[i] === 'A' ? 'B' : 'A') + signature.slice(i + 1),
    ].join('\t');
  });
  await writeFile(file, lines.join('\n'));
}

function nsdConf(dir: string, port: number, zones: readonly ZoneSpec[]): string {
  const zoneBlocks = [{ name: 'test', signed: true }, ...zones].map(
    (z) => `zone:\n  name: "${z.name}"\n  zonefile: "${z.name}.${z.signed ? 'signed' : 'zone'}"\n`,
  );
  return [
    'server:',
    `  ip-address: 127.0.0.1@${port}`,
    `  port: ${port}`,
    '  username: ""',
    '  database: ""',
    `  zonesdir: "${dir}"`,
    `  pidfile: "${join(dir, 'nsd.pid')}"`,
    `  xfrdfile: "${join(dir, 'xfrd.state')}"`,
    `  zonelistfile: "${join(dir, 'zone.list')}"`,
    '  server-count: 1',
    '  do-ip6: no',
    '  verbosity: 1',
    'remote-control:',
    '  control-enable: no',
    ...zoneBlocks,
  ].join('\n');
}

function unboundConf(dir: string, port: number, nsdPort: number, anchor: string, zones: readonly ZoneSpec[]) {
  const stubs = ['test', ...zones.map((z) => z.name)].map(
    (name) => `stub-zone:\n  name: "${name}."\n  stub-addr: 127.0.0.1@${nsdPort}\n`,
  );
  return [
    'server:',
    `  interface: 127.0.0.1@${port}`,
    `  port: ${port}`,
    '  username: ""',
    '  chroot: ""',
    `  directory: "${dir}"`,
    '  pidfile: ""',
    '  do-daemonize: no',
    '  use-syslog: no',
    '  logfile: ""',
    '  verbosity: 1',
    '  val-log-level: 2',
    '  num-threads: 1',
    '  do-ip6: no',
    '  do-not-query-localhost: no',
    '  module-config: "validator iterator"',
    '  local-zone: "test." nodefault',
    `  trust-anchor: "${anchor}"`,
    '  root-hints: ""',
    '  access-control: 127.0.0.0/8 allow',
    '  ede: yes',
    '  qname-minimisation: no',
    '  target-fetch-policy: "0 0 0 0 0"',
    'remote-control:',
    '  control-enable: no',
    ...stubs,
  ].join('\n');
}

/**
 * Starts a DNSSEC hierarchy on loopback: a signed `test.` zone (its DS is unbound's trust anchor)
 * delegating to each zone of `zones`, signed ones with a DS (secure), unsigned ones without (an
 * insecure delegation). Records marked `tamper` get a corrupted RRSIG (bogus). nsd serves every zone,
 * unbound validates; both run in the foreground on free ports with their state in a temp directory.
 *
 * @example
 * ```ts
 * const stack = await startDnssecStack([{ name: 'dane.test', signed: true, records: [{ name: '@', type: 'MX', value: '10 mx.dane.test' }] }]);
 * const dnssec = createDnssecResolver({ servers: [stack.resolver] });
 * ```
 */
export async function startDnssecStack(zones: readonly ZoneSpec[]): Promise<DnssecStack> {
  const dir = await tempDir('dnssec');
  const processes: ForegroundProcess[] = [];
  const output = () => processes.map((p) => p.output()).join('\n');
  try {
    const delegations: string[] = ['ns.test. 300 IN A 127.0.0.1'];
    for (const zone of zones) {
      await writeFile(join(dir.path, `${zone.name}.zone`), zoneText(zone.name, zone.records));
      delegations.push(`${zone.name}. 300 IN NS ns.test.`);
      if (!zone.signed) continue;
      delegations.push(await signZone(dir.path, zone.name));
      await tamper(dir.path, zone.name, zone.records);
    }
    await writeFile(join(dir.path, 'test.zone'), zoneText('test', [], delegations));
    const anchor = await signZone(dir.path, 'test');
    const [nsdPort, unboundPort] = [await freePort(), await freePort()];
    await writeFile(join(dir.path, 'nsd.conf'), nsdConf(dir.path, nsdPort, zones));
    await writeFile(
      join(dir.path, 'unbound.conf'),
      unboundConf(dir.path, unboundPort, nsdPort, anchor, zones),
    );
    processes.push(startForeground('nsd', ['-d', '-c', join(dir.path, 'nsd.conf')], { cwd: dir.path }));
    await waitUntil(
      async () => (await queryOnce(nsdPort, 'test', 'SOA', false))?.rcode === 'NOERROR',
      5000,
      output,
    );
    processes.push(
      startForeground('unbound', ['-d', '-c', join(dir.path, 'unbound.conf')], { cwd: dir.path }),
    );
    await waitUntil(
      async () => (await queryOnce(unboundPort, 'test', 'SOA', true))?.flag_ad === true,
      5000,
      output,
    );
    return {
      resolver: `127.0.0.1:${unboundPort}`,
      authoritative: `127.0.0.1:${nsdPort}`,
      trustAnchor: anchor,
      output,
      stop: async () => {
        for (const p of processes.reverse()) await p.stop();
        await dir.remove();
      },
    };
  } catch (error) {
    for (const p of processes.reverse()) await p.stop();
    await dir.remove();
    throw error;
  }
}
