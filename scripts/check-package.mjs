// Package checks on the built dist/: every public subpath loads through both import() and
// require(), then publint and arethetypeswrong judge the packed package.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const require = createRequire(import.meta.url);
const subpaths = Object.keys(pkg.exports).filter((s) => !s.endsWith('.json'));
let failed = 0;
for (const subpath of subpaths) {
  const specifier = subpath === '.' ? pkg.name : `${pkg.name}${subpath.slice(1)}`;
  try {
    const esm = await import(specifier);
    const cjs = require(specifier);
    const esmKeys = Object.keys(esm)
      .filter((k) => k !== 'default' && k !== 'module.exports')
      .sort();
    const cjsKeys = Object.keys(cjs).sort();
    if (esmKeys.join() !== cjsKeys.join())
      throw new Error(`ESM and CJS exports differ: ${esmKeys} / ${cjsKeys}`);
    console.log(`ok ${specifier}: ${esmKeys.length} exports`);
  } catch (error) {
    failed++;
    console.error(`FAIL ${specifier}: ${error.message}`);
  }
}
// The ESM and CJS builds are separate module instances: an error from one must still be
// recognized by the other's guard.
{
  const esm = await import(pkg.name);
  const cjs = require(pkg.name);
  try {
    cjs.createPolicy({ outbound: { default: 'nope' } });
    failed++;
  } catch (error) {
    if (!esm.isForcedTlsError(error) || error instanceof esm.ForcedTlsError) {
      failed++;
      console.error('FAIL isForcedTlsError across ESM and CJS');
    } else {
      console.log('ok isForcedTlsError recognizes a CJS error in ESM');
    }
  }
}
// `pg` is an optional peer dependency: importing any entry point, forced-tls/stores/postgres
// included, must not load it (only a PostgreSQL store given a connection string does, on first use).
// An ESM import of a CommonJS package also goes through require.cache, so one check covers both.
{
  const probe = `
    const { createRequire } = require('node:module');
    const subpaths = ${JSON.stringify(subpaths)};
    (async () => {
      for (const s of subpaths) {
        const id = s === '.' ? '${pkg.name}' : '${pkg.name}' + s.slice(1);
        await import(id);
        require(id);
      }
      const pg = Object.keys(require.cache).filter((k) => /[\\/]node_modules[\\/]pg[\\/]/.test(k));
      if (pg.length > 0) { console.error('pg was loaded: ' + pg[0]); process.exit(1); }
    })().catch((e) => { console.error(e); process.exit(1); });`;
  try {
    execFileSync(process.execPath, ['-e', probe], { stdio: 'inherit' });
    console.log(`ok no entry point loads pg (${subpaths.length} subpaths)`);
  } catch {
    failed++;
    console.error('FAIL an entry point loads pg at import');
  }
}
const schema = require(`${pkg.name}/policy.schema.json`);
if (typeof schema !== 'object') failed++;

const run = (cmd, args) => {
  try {
    execFileSync(cmd, args, { stdio: 'inherit' });
  } catch {
    failed++;
  }
};
run('npx', ['--no-install', 'publint', '--strict']);
run('npx', ['--no-install', 'attw', '--pack', '.', '--profile', 'node16']);
if (failed > 0) {
  console.error(`${failed} package check(s) failed`);
  process.exit(1);
}
console.log('package checks passed');
