// Socketmap lookups/s and p99 latency over 10 persistent connections (what Postfix's smtp
// processes do), policy-delegation requests/s, and — where Debian's postfix-mta-sts-resolver is
// installed — the same load against it answering cached lookups. The load runs in its own
// process (bench/postfix-load.mjs), so server and client do not share one event loop.
import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createConnection } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createPolicy } from '../src/policy/policy.js';
import {
  createPolicyDelegationServer,
  createSocketmapServer,
  createTlsPolicyTable,
  createTransportTable,
} from '../src/postfix/index.js';
import { serializeWhitelistFile } from '../src/whitelist/file-format.js';
import { FileWhitelistStore } from '../src/whitelist/file-store.js';
import type { WhitelistEntry } from '../src/whitelist/types.js';
import { createWhitelist } from '../src/whitelist/whitelist.js';

const run = promisify(execFile);
const CONNECTIONS = 10;
const DURATION_MS = 3000;
const DOMAINS = 1000;
const ENTRIES = 10_000;
const LOAD = new URL('./postfix-load.mjs', import.meta.url).pathname;
const RESOLVER = '/usr/bin/mta-sts-daemon';

interface Load {
  readonly answered: number;
  readonly perSecond: number;
  readonly p50: number;
  readonly p99: number;
}

async function load(
  port: number,
  mode: 'socketmap' | 'policy',
  keys: readonly string[],
  dir: string,
): Promise<Load> {
  const file = join(dir, `${mode}-${port}.json`);
  await writeFile(file, JSON.stringify(keys));
  const { stdout } = await run(process.execPath, [
    LOAD,
    String(port),
    mode,
    String(CONNECTIONS),
    String(DURATION_MS),
    file,
  ]);
  return JSON.parse(stdout) as Load;
}

function show(label: string, r: Load): string {
  const rate = Math.round(r.perSecond).toLocaleString('en');
  return `  ${label.padEnd(44)} ${rate.padStart(8)}/s  p50 ${r.p50.toFixed(3)} ms  p99 ${r.p99.toFixed(3)} ms`;
}

function verdict(r: Load): string {
  const ok = r.perSecond >= 50_000 && r.p99 < 1;
  return `(targets ≥ 50,000/s, p99 < 1 ms) — ${ok ? 'meets' : 'misses'}`;
}

function entries(): WhitelistEntry[] {
  return Array.from({ length: ENTRIES }, (_, i) => ({
    id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    direction: 'outbound',
    scope: 'domain',
    value: `mandant${i}.de`,
    reason: 'Mandant hat der unverschlüsselten Übermittlung schriftlich zugestimmt',
    approvedBy: 'Dr. Erika Berater',
    createdAt: '2026-11-01T09:00:00.000Z',
  }));
}

function waitForPort(port: number, ms: number): Promise<void> {
  const end = Date.now() + ms;
  return new Promise((resolve, reject) => {
    const attempt = () => {
      const socket = createConnection({ host: '127.0.0.1', port }, () => {
        socket.destroy();
        resolve();
      });
      socket.on('error', () => {
        if (Date.now() > end) reject(new Error(`nothing listens on ${port}`));
        else setTimeout(attempt, 100);
      });
    };
    attempt();
  });
}

// postfix-mta-sts-resolver with a SQLite cache filled beforehand: every lookup is a fresh cache hit
// (cache_grace longer than the run), no DNS and no HTTPS. Its internal LRU cache cannot be filled
// without the network. Version 1.1.2 only listens with reuse_port: true (false fails at start).
async function resolverLoad(dir: string, domains: readonly string[]): Promise<Load | string> {
  if (!existsSync(RESOLVER))
    return 'postfix-mta-sts-resolver is not installed (apt-get install postfix-mta-sts-resolver)';
  const db = join(dir, 'sts-cache.db');
  const rows = domains.map((d) => [
    d,
    `id-${d}`,
    JSON.stringify({ mode: 'enforce', mx: [`mx.${d}`], max_age: 86400 }),
  ]);
  const script = [
    'import sqlite3, sys, json, time',
    'db = sqlite3.connect(sys.argv[1])',
    'db.execute("create table if not exists sts_policy_cache (domain text, ts integer, pol_id text, pol_body text)")',
    'db.execute("create unique index if not exists sts_policy_domain on sts_policy_cache (domain)")',
    'now = int(time.time())',
    'db.executemany("insert into sts_policy_cache values (?, ?, ?, ?)", [(d, now, i, b) for d, i, b in json.load(open(sys.argv[2]))])',
    'db.commit()',
  ].join('\n');
  await writeFile(join(dir, 'rows.json'), JSON.stringify(rows));
  await run('python3', ['-c', script, db, join(dir, 'rows.json')]);
  const port = 20000 + Math.floor(Math.random() * 20000);
  const config = join(dir, 'mta-sts-daemon.yml');
  await writeFile(
    config,
    `host: 127.0.0.1\nport: ${port}\nreuse_port: true\ncache_grace: 86400\ncache:\n  type: sqlite\n  options:\n    filename: ${db}\n`,
  );
  const daemon = spawn(RESOLVER, ['-c', config, '-v', 'error'], { stdio: 'ignore' });
  try {
    await waitForPort(port, 15_000);
    return await load(
      port,
      'socketmap',
      domains.map((d) => `postfix ${d}`),
      dir,
    );
  } finally {
    if (daemon.pid !== undefined && daemon.exitCode === null) process.kill(daemon.pid, 'SIGTERM');
    await new Promise((resolve) =>
      daemon.exitCode === null ? daemon.once('exit', resolve) : resolve(undefined),
    );
  }
}

export async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'forced-tls-bench-postfix-'));
  try {
    const domains = Array.from({ length: DOMAINS }, (_, i) => `partner${i}.de`);
    const policy = createPolicy({
      outbound: {
        default: 'encrypt',
        rules: [
          ...domains.slice(0, 500).map((match) => ({ match, level: 'verify' as const })),
          ...domains.slice(500, 600).map((d) => ({ match: `vorstand@${d}`, level: 'verify' as const })),
        ],
      },
      inbound: { rules: domains.slice(0, 200).map((match) => ({ match, level: 'encrypt' as const })) },
    });
    const path = join(dir, 'whitelist.json');
    await writeFile(path, serializeWhitelistFile(entries()));
    const whitelist = createWhitelist(new FileWhitelistStore(path));
    await whitelist.snapshot();
    const keys = domains.map((d, i) => (i % 2 === 0 ? d : `mandant${i}.de`));

    const server = createSocketmapServer({
      maps: {
        forcedtls: createTlsPolicyTable({ policy, whitelist }),
        // The same entries as an index built once: no revision check per batch of lookups.
        fixed: createTlsPolicyTable({ policy, whitelist: await whitelist.snapshot() }),
        'forcedtls-transport': createTransportTable({ policy, whitelist }),
      },
    });
    const bound = await server.listen({ host: '127.0.0.1', port: 0 });
    const port = 'port' in bound ? bound.port : 0;
    const tls = await load(
      port,
      'socketmap',
      keys.map((k) => `forcedtls ${k}`),
      dir,
    );
    const fixed = await load(
      port,
      'socketmap',
      keys.map((k) => `fixed ${k}`),
      dir,
    );
    const transport = await load(
      port,
      'socketmap',
      keys.map((k) => `forcedtls-transport vorstand@${k}`),
      dir,
    );
    await server.close();

    const service = createPolicyDelegationServer({ policy, whitelist });
    const serviceBound = await service.listen({ host: '127.0.0.1', port: 0 });
    const inbound = await load(
      'port' in serviceBound ? serviceBound.port : 0,
      'policy',
      domains.map((d) => `client@${d}`),
      dir,
    );
    await service.close();
    const resolver = await resolverLoad(dir, domains);

    const load1 = loadavg()[0]!.toFixed(1);
    console.log(
      `postfix: ${CONNECTIONS} persistent connections, one request in flight each, ${DURATION_MS / 1000} s, ` +
        `load average ${load1} on this machine's cores; ` +
        `${DOMAINS} domains, policy with ${policy.rules.length} rules, file whitelist with ${ENTRIES.toLocaleString('en')} entries`,
    );
    console.log(`${show('socketmap TLS policy lookups (forced-tls)', tls)} ${verdict(tls)}`);
    console.log(show('  the same, whitelist as a fixed index (no stat)', fixed));
    console.log(show('socketmap transport lookups (forced-tls)', transport));
    console.log(show('policy-delegation requests (forced-tls)', inbound));
    if (typeof resolver === 'string') console.log(`  postfix-mta-sts-resolver: not measured: ${resolver}`);
    else console.log(show('postfix-mta-sts-resolver 1.1.2, SQLite cache hits', resolver));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
