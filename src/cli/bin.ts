import { runCli } from './main.js';
import { findPackageVersion } from './version.js';

// The executable `forced-tls`: the real process around the in-process `runCli`.
const version = findPackageVersion(process.argv[1] ?? '.');
runCli(
  process.argv.slice(2),
  { stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd() },
  {
    version,
  },
).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    // runCli reports every error itself; this is the last resort and still prints one line.
    process.stderr.write(`error EINTERNAL: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
