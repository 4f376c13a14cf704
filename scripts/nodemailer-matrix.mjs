// The supported nodemailer majors, each exercised (run after `npm run build`):
//   node scripts/nodemailer-matrix.mjs [--all] [major …]      majors: 6.9 7 8 9 10 (default: all)
// Per major:
//   1. a scratch copy of that nodemailer (temp dir) and the transport suite (test/transport, with the
//      STARTTLS downgrade and injection tests) run against it in one vitest process
//      (FORCED_TLS_NODEMAILER, see vitest.config.ts) — skipped for the major installed here, which
//      `npm test` already ran, unless --all;
//   2. a fresh consumer that installs the packed tarball with that nodemailer (never
//      --legacy-peer-deps), type-checks the wrap example against that nodemailer's types (bundled
//      since 10, @types/nodemailer before) and runs it, plus a require() of every subpath.
import { copyFileSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { consumer, pack, ROOT, run, scratch, tsc } from './lib/pack.mjs';

const require = createRequire(import.meta.url);
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));

/** Each supported major, oldest first: what to install, and the types a TypeScript app uses with it. */
const MAJORS = new Map([
  ['6.9', { nodemailer: 'nodemailer@~6.9.0', types: '@types/nodemailer@6' }],
  ['7', { nodemailer: 'nodemailer@7', types: '@types/nodemailer@7' }],
  ['8', { nodemailer: 'nodemailer@8', types: '@types/nodemailer@8' }],
  // No @types/nodemailer 9 was published: a TypeScript app on 9 uses the 8 types.
  ['9', { nodemailer: 'nodemailer@9', types: '@types/nodemailer@8' }],
  ['10', { nodemailer: 'nodemailer@10' }],
]);

const args = process.argv.slice(2);
const all = args.includes('--all');
const chosen = args.filter((a) => !a.startsWith('--'));
const majors = chosen.length > 0 ? chosen : [...MAJORS.keys()];
for (const m of majors) {
  if (!MAJORS.has(m)) throw new Error(`unknown major ${m} (one of ${[...MAJORS.keys()].join(', ')})`);
}
if (!existsSync(join(ROOT, 'dist/index.js'))) throw new Error('dist/ is missing: run npm run build first');

const installedMajor = require('nodemailer/package.json').version.split('.')[0];
const typesNode = `@types/node@${require('@types/node/package.json').version}`;
const tsxLoader = pathToFileURL(require.resolve('tsx/esm')).href;
const work = scratch('nodemailer-matrix');
const packed = pack(work);
const results = [];
let failed = 0;

function step(major, name, action) {
  const started = Date.now();
  let outcome = 'ok';
  try {
    const note = action();
    if (typeof note === 'string') outcome = note;
  } catch (error) {
    failed++;
    outcome = 'FAILED';
    console.error(
      `FAIL nodemailer ${major} ${name}\n${error.stdout ?? ''}${error.stderr ?? ''}${error.message}`,
    );
  }
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  results.push({ major, name, outcome, seconds });
  console.log(
    `${outcome === 'FAILED' ? 'FAIL' : 'ok'} nodemailer ${major}: ${name} (${outcome}, ${seconds} s)`,
  );
}

for (const major of majors) {
  const spec = MAJORS.get(major);
  let version = '?';

  step(major, 'transport suite', () => {
    const copy = consumer(join(work, `nodemailer-${major}`), [spec.nodemailer]);
    const dir = join(copy, 'node_modules/nodemailer');
    version = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).version;
    if (major.split('.')[0] === installedMajor && !all) return `${version}: run by npm test (installed)`;
    run(process.execPath, [join(ROOT, 'node_modules/vitest/vitest.mjs'), 'run', 'test/transport'], {
      cwd: ROOT,
      env: { ...process.env, FORCED_TLS_NODEMAILER: dir },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    return version;
  });

  step(major, 'consumer: install, types, wrap example', () => {
    const dir = join(work, `consumer-${major}`);
    const packages = [packed.tarball, spec.nodemailer, typesNode, ...(spec.types ? [spec.types] : [])];
    consumer(dir, packages, { type: 'module' });
    copyFileSync(join(ROOT, 'examples/wrap-existing-transporter.ts'), join(dir, 'wrap.ts'));
    copyFileSync(join(ROOT, 'scripts/consumers/nodemailer-types.ts'), join(dir, 'nodemailer-types.ts'));
    const compilerOptions = {
      target: 'es2022',
      strict: true,
      noEmit: true,
      types: ['node'],
      skipLibCheck: true,
    };
    // The example and the type probe as an ES module (nodenext), the probe also under node10.
    const configs = {
      'tsconfig.json': {
        compilerOptions: { ...compilerOptions, module: 'nodenext', exactOptionalPropertyTypes: true },
        files: ['wrap.ts', 'nodemailer-types.ts'],
      },
      'tsconfig.node10.json': {
        compilerOptions: {
          ...compilerOptions,
          module: 'commonjs',
          moduleResolution: 'node10',
          esModuleInterop: true,
        },
        files: ['nodemailer-types.ts'],
      },
    };
    for (const [file, config] of Object.entries(configs)) {
      writeFileSync(join(dir, file), JSON.stringify(config));
      tsc(join(dir, file));
    }
    const out = run(process.execPath, ['--import', tsxLoader, 'wrap.ts'], { cwd: dir, timeout: 60_000 });
    for (const expected of [
      /delivered via smtp\.kanzlei\.test over TLSv1\.[23]/,
      /ETLSREQUIRED: nothing was sent/,
    ]) {
      if (!expected.test(out)) throw new Error(`the wrap example printed no ${expected}:\n${out}`);
    }
    // The relay without STARTTLS saw nothing but EHLO and STARTTLS: no AUTH, MAIL or message.
    if (!/commands the plaintext relay received: EHLO STARTTLS$/m.test(out)) {
      throw new Error(`the plaintext relay received more than EHLO STARTTLS:\n${out}`);
    }
    const subpaths = Object.keys(pkg.exports).filter((s) => !s.endsWith('.json'));
    const requires = subpaths.map((s) => `require('${pkg.name}${s === '.' ? '' : s.slice(1)}')`).join(';');
    run(process.execPath, ['-e', requires], { cwd: dir });
    return `${version}${spec.types ? ` with ${spec.types}` : ''}`;
  });
}

rmSync(work, { recursive: true, force: true });
console.log('\nnodemailer matrix:');
for (const r of results)
  console.log(`  ${r.major.padEnd(4)} ${r.name.padEnd(40)} ${r.seconds.padStart(6)} s  ${r.outcome}`);
const total = results.reduce((sum, r) => sum + Number(r.seconds), 0);
console.log(`  total ${total.toFixed(0)} s`);
if (failed > 0) {
  console.error(`${failed} matrix step(s) failed`);
  process.exit(1);
}
