// Package checks on the built dist/: every public subpath loads through both import() and
// require(); then the packed tarball is judged as npm would publish it — its files, its README
// links, fresh consumers (TypeScript with node10 resolution, CommonJS with checkJs), the production
// dependency tree of a consumer, the CLI's module loading — and by publint and arethetypeswrong.
import { execFileSync } from 'node:child_process';
import { copyFileSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { consumer, pack, ROOT, run, scratch, tsc } from './lib/pack.mjs';
import { isPacked, markdownLinks, packageBase, packedPath } from './lib/readme-links.mjs';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const require = createRequire(import.meta.url);
const subpaths = Object.keys(pkg.exports).filter((s) => !s.endsWith('.json'));
let failed = 0;
const fail = (what) => {
  failed++;
  console.error(`FAIL ${what}`);
};
const ok = (what) => console.log(`ok ${what}`);

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
    ok(`${specifier}: ${esmKeys.length} exports`);
  } catch (error) {
    fail(`${specifier}: ${error.message}`);
  }
}
// The ESM and CJS builds are separate module instances: an error from one must still be
// recognized by the other's guard.
{
  const esm = await import(pkg.name);
  const cjs = require(pkg.name);
  try {
    cjs.createPolicy({ outbound: { default: 'nope' } });
    fail('createPolicy accepted an invalid level');
  } catch (error) {
    if (!esm.isForcedTlsError(error) || error instanceof esm.ForcedTlsError) {
      fail('isForcedTlsError across ESM and CJS');
    } else {
      ok('isForcedTlsError recognizes a CJS error in ESM');
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
if (typeof schema !== 'object') fail('policy.schema.json');

// --- the packed tarball -------------------------------------------------------------------------
const work = scratch('package');
const packed = pack(work);
console.log(`packed ${packed.files.length} files, ${packed.size} bytes (${packed.unpackedSize} unpacked)`);
{
  const required = [
    'LICENSE',
    'CHANGELOG.md',
    'README.md',
    'package.json',
    'docs/transport.md',
    'docs/cli.md',
  ];
  const missing = required.filter((f) => !packed.files.includes(f));
  if (!packed.files.some((f) => f.startsWith('examples/'))) missing.push('examples/');
  if (missing.length > 0) fail(`the package lacks ${missing.join(', ')}`);
  else ok('the package carries LICENSE, CHANGELOG.md, docs/ and examples/');
  const unwanted = packed.files.filter((f) => /\.map$|^docs\/api\/|^src\/|^test\//.test(f));
  if (unwanted.length > 0) fail(`the package ships ${unwanted.join(', ')}`);
  else ok('no source maps, generated API pages, sources or tests in the package');
}

// README links on the registry page: absolute to the versioned package and to a packed file.
// Relative links between the shipped docs resolve next to them on the same package URL.
{
  run('tar', ['-xzf', packed.tarball, '-C', work]);
  const base = packageBase(pkg);
  const readme = readFileSync(join(work, 'package/README.md'), 'utf8');
  const dead = [];
  for (const target of markdownLinks(readme)) {
    if (target.startsWith('#') || (/^https?:/.test(target) && !target.startsWith(base))) continue;
    if (!target.startsWith(base)) dead.push(`${target} (relative: dead on the registry page)`);
    else if (!isPacked(packedPath(target, 'README.md', base), packed.files))
      dead.push(`${target} (not packed)`);
  }
  for (const doc of packed.files.filter((f) => /^docs\/.*\.md$/.test(f))) {
    const text = readFileSync(join(work, 'package', doc), 'utf8');
    for (const target of markdownLinks(text)) {
      const path = packedPath(target, doc, base);
      if (path !== undefined && !isPacked(path, packed.files)) dead.push(`${doc}: ${target}`);
    }
  }
  if (dead.length > 0) fail(`dead links in the package:\n  ${dead.join('\n  ')}`);
  else ok(`every README link points at a file in ${base}; docs links resolve inside the package`);
}

// --- a fresh consumer of the tarball --------------------------------------------------------------
{
  const dir = join(work, 'consumer');
  const version = (name) => `${name}@${require(`${name}/package.json`).version}`;
  // What an app using every subpath has: its nodemailer and smtp-server (the peers) and @types/node.
  consumer(dir, [packed.tarball, version('nodemailer'), version('smtp-server'), version('@types/node')], {
    type: 'commonjs',
  });
  for (const file of ['node10.ts', 'checkjs.cjs'])
    copyFileSync(join(ROOT, 'scripts/consumers', file), join(dir, file));
  const common = { target: 'es2022', lib: ['es2022'], types: ['node'], strict: true, noEmit: true };
  const configs = {
    'node10 TypeScript consumer (module commonjs)': {
      compilerOptions: {
        ...common,
        module: 'commonjs',
        moduleResolution: 'node10',
        esModuleInterop: true,
        resolveJsonModule: true,
        exactOptionalPropertyTypes: true,
        skipLibCheck: false,
      },
      files: ['node10.ts'],
    },
    'checkJs CommonJS consumer': {
      compilerOptions: { ...common, module: 'node16', allowJs: true, checkJs: true, skipLibCheck: true },
      files: ['checkjs.cjs'],
    },
  };
  for (const [name, config] of Object.entries(configs)) {
    const file = join(dir, `tsconfig.${name.split(' ')[0]}.json`);
    writeFileSync(file, JSON.stringify(config, null, 2));
    try {
      tsc(file);
      ok(name);
    } catch (error) {
      fail(`${name}:\n${error.stdout ?? ''}${error.stderr ?? ''}`);
    }
  }

  // No test-only package in what the library brings into an app: nothing in forced-tls's own
  // dependency tree is one of this repository's devDependencies (other than the peers) or node-forge.
  const tree = JSON.parse(run('npm', ['ls', '--omit=dev', '--all', '--json'], { cwd: dir }));
  const names = new Set();
  const walk = (node) => {
    for (const [name, child] of Object.entries(node.dependencies ?? {})) {
      names.add(name);
      walk(child);
    }
  };
  walk(tree.dependencies?.[pkg.name] ?? {});
  const testOnly = new Set([...Object.keys(pkg.devDependencies), 'node-forge']);
  for (const peer of Object.keys(pkg.peerDependencies)) testOnly.delete(peer);
  const found = [...names].filter((n) => testOnly.has(n) || n.startsWith('@types/'));
  if (found.length > 0) fail(`npm ls --omit=dev of a consumer lists test-only packages: ${found.join(', ')}`);
  else
    ok(
      `npm ls --omit=dev: forced-tls brings ${names.size} packages (${[...names].sort().join(', ')}), none test-only`,
    );

  // The CLI loads no test code: record every module file the bin loads for its commands' help.
  const trace = join(work, 'trace.cjs');
  writeFileSync(
    trace,
    `const Module = require('node:module');
const seen = new Set();
const resolve = Module._resolveFilename;
Module._resolveFilename = function (...args) { const f = resolve.apply(this, args); seen.add(f); return f; };
process.on('exit', () => require('node:fs').writeFileSync(process.env.TRACE_OUT, [...seen].join('\\n')));`,
  );
  const bin = join(dir, 'node_modules/forced-tls/dist/cli/bin.cjs');
  const loaded = new Set();
  for (const args of [
    ['--help'],
    ['check', '--help'],
    ['explain', '--help'],
    ['whitelist', '--help'],
    ['--version'],
  ]) {
    const out = join(work, 'trace.txt');
    execFileSync(process.execPath, ['-r', trace, bin, ...args], {
      cwd: dir,
      env: { ...process.env, TRACE_OUT: out },
      stdio: 'ignore',
    });
    for (const f of readFileSync(out, 'utf8').split('\n')) loaded.add(f);
  }
  const testCode = [...loaded].filter((f) => {
    if (/node-forge|[\\/]testing[\\/]|testing-[A-Z0-9]+\.cjs$/.test(f)) return true;
    return f.endsWith('.cjs') && /function startTestMx|function createTestCa/.test(readFileSync(f, 'utf8'));
  });
  if (testCode.length > 0) fail(`the CLI loads test code: ${testCode.join(', ')}`);
  else ok(`the CLI loads no test code (${loaded.size} modules for help and --version)`);
}

const check = (cmd, args) => {
  try {
    execFileSync(cmd, args, { stdio: 'inherit' });
  } catch {
    fail(`${cmd} ${args.join(' ')}`);
  }
};
rmSync(work, { recursive: true, force: true });
check('npx', ['--no-install', 'publint', '--strict']);
// Every resolution mode (node10, node16 CJS and ESM, bundler), no rule ignored.
check('npx', ['--no-install', 'attw', '--pack', '.']);
if (failed > 0) {
  console.error(`${failed} package check(s) failed`);
  process.exit(1);
}
console.log('package checks passed');
