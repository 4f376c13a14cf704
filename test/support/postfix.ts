// A private Postfix for integration tests: its own config, queue and data directories and
// maillog_file under a temp dir, listening on 127.0.0.1 only, started as root without systemd
// (`postfix -c DIR start`) and stopped with `postfix -c DIR stop` (or by the master's PID from
// its pid file) — never by name. No DNS: every destination is routed by transport_maps to a
// loopback test MX as [localhost]:PORT, and host names are looked up natively (/etc/hosts).
import { execFile, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort, IN_CI, type ServerGate, systemServerGate, tempDir, waitUntil } from './system-servers.js';

const run = promisify(execFile);

const binaries = systemServerGate('Postfix', {
  postfix: ['/usr/sbin/postfix'],
  postqueue: ['/usr/sbin/postqueue'],
  postsuper: ['/usr/sbin/postsuper'],
  swaks: ['/usr/bin/swaks'],
});

// swaks speaks STARTTLS only with Perl's Net::SSLeay (Debian: libnet-ssleay-perl).
function swaksTls(): ServerGate {
  if (!binaries.available) return binaries;
  const probe = spawnSync('/usr/bin/perl', ['-MNet::SSLeay', '-e', '1']);
  if (probe.status === 0) return binaries;
  const reason = 'Postfix tests skipped: swaks cannot do STARTTLS without Net::SSLeay (libnet-ssleay-perl)';
  if (IN_CI) throw new Error(`${reason} — under CI (FORCED_TLS_CI=1) these tests must run`);
  console.warn(reason);
  return { available: false, reason, paths: binaries.paths };
}

/** Postfix, postqueue, postsuper and a TLS-capable swaks; skips locally when absent, fails under CI. */
export const postfixGate: ServerGate = swaksTls();

/** Settings of one private Postfix. */
export interface PrivatePostfixOptions {
  /** Port of the socketmap server under test (TLS policy table and transport table). */
  readonly socketmapPort: number;
  /** Destination domain → transport_maps result, e.g. `{ 'plain.test': 'smtp:[localhost]:2525' }`. */
  readonly routes: Readonly<Record<string, string>>;
  /** PEM of the CA the smtp client trusts (`smtp_tls_CAfile`). */
  readonly caCert: string;
  /** Also consult the socketmap transport table (`forcedtls-transport`) before the routes. @default true */
  readonly transportMap?: boolean;
  /** master.cf lines appended (e.g. the generated ftls-* transports). */
  readonly masterCf?: string;
  /** main.cf lines appended. */
  readonly mainCf?: readonly string[];
  /** Inbound: smtpd offers STARTTLS with this certificate and asks the policy service at RCPT. */
  readonly inbound?: { readonly policyServicePort: number; readonly key: string; readonly cert: string };
}

/** The result of one swaks run. */
export interface SwaksResult {
  readonly code: number;
  readonly output: string;
  /** The queue id from `250 … queued as ID`, when the message was accepted. */
  readonly queueId: string | undefined;
}

/** One recipient entry of `postqueue -j`. */
export interface QueueRecipient {
  readonly address: string;
  readonly delay_reason?: string;
}

/** One message of `postqueue -j`. */
export interface QueueEntry {
  readonly queue_name: string;
  readonly queue_id: string;
  readonly sender: string;
  readonly recipients: readonly QueueRecipient[];
}

/** A running private Postfix. */
export interface PrivatePostfix {
  readonly dir: string;
  readonly configDir: string;
  /** Port of its smtpd on 127.0.0.1. */
  readonly smtpPort: number;
  /** Sends one message with swaks; `tls` issues STARTTLS first. */
  send(from: string, to: readonly string[], options?: { tls?: boolean }): Promise<SwaksResult>;
  /** `postqueue -j` output, raw and parsed. */
  queueJson(): Promise<string>;
  queue(): Promise<QueueEntry[]>;
  /** Polls `postqueue -j` (flushing the deferred queue each time unless `flush` is false) until `ready` holds. */
  waitForQueue(
    ready: (queue: QueueEntry[]) => boolean,
    timeoutMs?: number,
    flush?: boolean,
  ): Promise<QueueEntry[]>;
  /** `postqueue -f`: deliver the deferred queue now, without waiting for retry timers. */
  flush(): Promise<void>;
  /** The maillog so far. */
  maillog(): string;
  reload(): Promise<void>;
  stop(): Promise<void>;
}

const MASTER_CF = `pickup  unix n - n 60 1 pickup
cleanup unix n - n - 0 cleanup
qmgr    unix n - n 300 1 qmgr
tlsmgr  unix - - n 1000? 1 tlsmgr
rewrite unix - - n - - trivial-rewrite
bounce  unix - - n - 0 bounce
defer   unix - - n - 0 bounce
trace   unix - - n - 0 bounce
verify  unix - - n - 1 verify
flush   unix n - n 1000? 0 flush
proxymap unix - - n - - proxymap
smtp    unix - - n - - smtp
relay   unix - - n - - smtp
showq   unix n - n - - showq
error   unix - - n - - error
retry   unix - - n - - error
discard unix - - n - - discard
anvil   unix - - n - 1 anvil
scache  unix - - n - 1 scache
postlog unix-dgram n - n - 1 postlogd
`;

function postfixIds(): { uid: number; gid: number } {
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith('postfix:'));
  const [, , uid, gid] = line?.split(':') ?? [];
  if (uid === undefined || gid === undefined) throw new Error('no postfix user in /etc/passwd');
  return { uid: Number(uid), gid: Number(gid) };
}

function mainCf(dir: string, options: PrivatePostfixOptions): string {
  const inline = Object.entries(options.routes)
    .map(([domain, result]) => `{${domain} = ${result}}`)
    .join(', ');
  const socketmap = `socketmap:inet:127.0.0.1:${options.socketmapPort}`;
  const transport = options.transportMap === false ? '' : `${socketmap}:forcedtls-transport, `;
  const lines = [
    'compatibility_level = 3.6',
    `queue_directory = ${dir}/spool`,
    `data_directory = ${dir}/data`,
    `maillog_file = ${dir}/maillog`,
    `maillog_file_prefixes = ${dir}`,
    'myhostname = pfx.forced-tls.test',
    'mydestination =',
    'inet_interfaces = 127.0.0.1',
    'inet_protocols = ipv4',
    'mynetworks = 127.0.0.0/8',
    'alias_maps =',
    'alias_database =',
    'local_recipient_maps =',
    'smtpd_relay_restrictions = permit_mynetworks, reject_unauth_destination',
    `transport_maps = ${transport}inline:{ ${inline} }`,
    // The main.cf default stays opportunistic: everything stricter comes from the policy table.
    'smtp_tls_security_level = may',
    `smtp_tls_CAfile = ${dir}/ca.pem`,
    `smtp_tls_policy_maps = ${socketmap}:forcedtls`,
    'smtp_tls_fingerprint_digest = sha256',
    'smtp_tls_loglevel = 1',
    // No DNS at all: next-hops are [localhost]:PORT, resolved from /etc/hosts.
    'smtp_dns_support_level = disabled',
    'smtp_host_lookup = native',
    'smtp_connect_timeout = 5s',
    'minimal_backoff_time = 30s',
    'maximal_backoff_time = 60s',
    'queue_run_delay = 30s',
    'delay_warning_time = 0',
  ];
  if (options.inbound !== undefined) {
    lines.push(
      `smtpd_tls_cert_file = ${dir}/smtpd-cert.pem`,
      `smtpd_tls_key_file = ${dir}/smtpd-key.pem`,
      'smtpd_tls_security_level = may',
      `smtpd_recipient_restrictions = check_policy_service inet:127.0.0.1:${options.inbound.policyServicePort}`,
      'smtpd_policy_service_timeout = 10s',
    );
  }
  lines.push(...(options.mainCf ?? []));
  return `${lines.join('\n')}\n`;
}

/** Starts a private Postfix; stop it with `stop()` in an afterAll. */
export async function startPrivatePostfix(options: PrivatePostfixOptions): Promise<PrivatePostfix> {
  const temp = await tempDir('postfix');
  const dir = temp.path;
  const configDir = join(dir, 'etc');
  const smtpPort = await freePort();
  // The postfix user must reach data_directory and the queue below the (0700) temp dir.
  chmodSync(dir, 0o755);
  for (const sub of ['etc', 'spool', 'data']) mkdirSync(join(dir, sub));
  const { uid, gid } = postfixIds();
  // master.lock lives in data_directory, which must belong to the postfix user.
  chownSync(join(dir, 'data'), uid, gid);
  writeFileSync(join(dir, 'ca.pem'), options.caCert);
  if (options.inbound !== undefined) {
    writeFileSync(join(dir, 'smtpd-cert.pem'), options.inbound.cert);
    writeFileSync(join(dir, 'smtpd-key.pem'), options.inbound.key, { mode: 0o600 });
  }
  writeFileSync(join(configDir, 'main.cf'), mainCf(dir, options));
  writeFileSync(
    join(configDir, 'master.cf'),
    `127.0.0.1:${smtpPort} inet n - n - - smtpd\n${MASTER_CF}${options.masterCf ?? ''}`,
  );
  // Postfix commands wait for a main.cf changed within the last second to settle: make it old.
  const past = new Date(Date.now() - 3_600_000);
  for (const file of ['main.cf', 'master.cf']) utimesSync(join(configDir, file), past, past);
  const postfix = (...args: string[]) => run('/usr/sbin/postfix', ['-c', configDir, ...args]);
  const maillog = () => {
    try {
      return readFileSync(join(dir, 'maillog'), 'utf8');
    } catch {
      return '';
    }
  };
  try {
    await postfix('check');
    await postfix('start');
  } catch (error) {
    const e = error as { message: string; stderr?: string; stdout?: string };
    const detail = `${e.message}\n${e.stdout ?? ''}${e.stderr ?? ''}\n${maillog()}`;
    await temp.remove();
    throw new Error(`postfix did not start: ${detail}`);
  }
  const pidFile = join(dir, 'spool', 'pid', 'master.pid');
  await waitUntil(
    async () => {
      try {
        return Number(readFileSync(pidFile, 'utf8').trim()) > 0 && (await canConnect(smtpPort));
      } catch {
        return false;
      }
    },
    10_000,
    () => `postfix master not up\n${maillog()}`,
  );

  const queueJson = async () =>
    (await run('/usr/sbin/postqueue', ['-c', configDir, '-j'], { maxBuffer: 16 * 1024 * 1024 })).stdout;
  const queue = async () =>
    (await queueJson())
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => JSON.parse(l) as QueueEntry);
  const flush = async () => {
    await run('/usr/sbin/postqueue', ['-c', configDir, '-f']);
  };

  return {
    dir,
    configDir,
    smtpPort,
    async send(from, to, sendOptions = {}) {
      const args = [
        '--server',
        `127.0.0.1:${smtpPort}`,
        '--from',
        from,
        '--to',
        to.join(','),
        '--timeout',
        '10',
      ];
      args.push('--ehlo', 'client.forced-tls.test', '--header', 'Subject: forced-tls postfix test');
      if (sendOptions.tls) args.push('--tls');
      try {
        const { stdout, stderr } = await run('/usr/bin/swaks', args);
        const output = stdout + stderr;
        return { code: 0, output, queueId: /queued as ([0-9A-Za-z]+)/.exec(output)?.[1] };
      } catch (error) {
        const e = error as { code?: number; stdout?: string; stderr?: string };
        return { code: e.code ?? 1, output: `${e.stdout ?? ''}${e.stderr ?? ''}`, queueId: undefined };
      }
    },
    queueJson,
    queue,
    async waitForQueue(ready, timeoutMs = 15_000, flushing = true) {
      let last: QueueEntry[] = [];
      await waitUntil(
        async () => {
          last = await queue();
          if (ready(last)) return true;
          if (flushing) await flush();
          return false;
        },
        timeoutMs,
        () => `queue: ${JSON.stringify(last)}\n${maillog()}`,
      );
      return last;
    },
    flush,
    maillog,
    async reload() {
      await postfix('reload');
    },
    async stop() {
      try {
        await postfix('stop');
      } catch {
        // Fall back to the master's own PID, never to a name.
        try {
          process.kill(Number(readFileSync(pidFile, 'utf8').trim()), 'SIGTERM');
        } catch {
          // already gone
        }
      }
      await waitUntil(
        () => {
          try {
            process.kill(Number(readFileSync(pidFile, 'utf8').trim()), 0);
            return false;
          } catch {
            return true;
          }
        },
        10_000,
        () => 'postfix master still running',
      );
      await temp.remove();
    },
  };
}

async function canConnect(port: number): Promise<boolean> {
  const { connect } = await import('node:net');
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port }, () => {
      socket.destroy();
      resolve(true);
    });
    socket.on('error', () => resolve(false));
  });
}
