// Packs the package as npm would publish it and builds fresh consumers that install the tarball.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** A fresh temporary directory. */
export function scratch(prefix) {
  return mkdtempSync(join(tmpdir(), `forced-tls-${prefix}-`));
}

/** Runs a command, returns its stdout; its stderr goes to ours. Throws on a non-zero exit. */
export function run(cmd, args, options = {}) {
  return execFileSync(cmd, args, {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 64 * 1024 * 1024,
    ...options,
  });
}

/** `npm pack` into `dir`: the tarball path, the packed file paths and the sizes. */
export function pack(dir) {
  const out = run('npm', ['pack', '--json', '--pack-destination', dir], { cwd: ROOT });
  // Lifecycle scripts may print before npm's JSON.
  const [info] = JSON.parse(out.slice(out.indexOf('[\n')));
  return {
    tarball: join(dir, info.filename),
    files: info.files.map((f) => f.path),
    size: info.size,
    unpackedSize: info.unpackedSize,
  };
}

/** A consumer project in `dir` (package.json with `fields`) with `packages` installed from npm. */
export function consumer(dir, packages, fields = {}) {
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify({ name: 'consumer', version: '1.0.0', private: true, ...fields }, null, 2),
  );
  // Never --legacy-peer-deps: the peer ranges must let an app install as it is.
  run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', ...packages], { cwd: dir });
  return dir;
}

/** Runs the repository's TypeScript compiler on a consumer's tsconfig. */
export function tsc(project) {
  return run(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', project], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}
