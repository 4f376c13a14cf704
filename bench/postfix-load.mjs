// Load generator for bench/postfix.ts, run as its own process (its own core): N persistent
// connections, each with one request in flight at a time, as Postfix's smtp and smtpd processes
// ask. Prints one JSON line: requests answered in the measured window, their latencies' p50/p99.
// Usage: node postfix-load.mjs <port> <socketmap|policy> <connections> <ms> <keys.json>
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';

const [port, mode, connections, durationMs, keysFile] = process.argv.slice(2);
const keys = JSON.parse(readFileSync(keysFile, 'utf8'));
const WARMUP_MS = 500;

function frame(key) {
  if (mode === 'policy') {
    return Buffer.from(
      `request=smtpd_access_policy\nprotocol_state=RCPT\nsender=${key}\nrecipient=inbox@kanzlei.test\n` +
        'client_address=127.0.0.1\nencryption_protocol=TLSv1.3\nencryption_cipher=TLS_AES_256_GCM_SHA384\n\n',
    );
  }
  const payload = Buffer.from(`${key}`);
  return Buffer.concat([Buffer.from(`${payload.length}:`), payload, Buffer.from(',')]);
}

// Length of the first complete reply in `buffer`, or 0.
function complete(buffer) {
  if (mode === 'policy') {
    const end = buffer.indexOf('\n\n');
    return end < 0 ? 0 : end + 2;
  }
  const colon = buffer.indexOf(':');
  if (colon < 0) return 0;
  const total = colon + 1 + Number(buffer.subarray(0, colon).toString()) + 1;
  return buffer.length >= total ? total : 0;
}

const latencies = [];
let answered = 0;
let measuring = false;
let stopping = false;

function run(index) {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port: Number(port) });
    let buffer = Buffer.alloc(0);
    let sent = 0;
    let at = 0;
    let i = index;
    const next = () => {
      if (stopping) return socket.end(resolve);
      at = performance.now();
      socket.write(frame(keys[i++ % keys.length]));
      sent++;
    };
    socket.on('connect', next);
    socket.on('error', reject);
    socket.on('data', (chunk) => {
      buffer = buffer.length === 0 ? chunk : Buffer.concat([buffer, chunk]);
      for (let n = complete(buffer); n > 0; n = complete(buffer)) {
        buffer = buffer.subarray(n);
        if (measuring) {
          latencies.push(performance.now() - at);
          answered++;
        }
        next();
      }
    });
    void sent;
  });
}

const runs = Array.from({ length: Number(connections) }, (_, i) => run(i));
setTimeout(() => {
  measuring = true;
  const started = performance.now();
  setTimeout(() => {
    measuring = false;
    const elapsed = performance.now() - started;
    stopping = true;
    Promise.all(runs).then(() => {
      latencies.sort((a, b) => a - b);
      const at = (q) =>
        latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? Number.NaN;
      console.log(
        JSON.stringify({ answered, perSecond: (answered * 1000) / elapsed, p50: at(0.5), p99: at(0.99) }),
      );
    });
  }, Number(durationMs));
}, WARMUP_MS);
