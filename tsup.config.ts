import { defineConfig, type Options } from 'tsup';

type Plugin = NonNullable<Options['plugins']>[number];

/**
 * nodemailer before 10 has no `exports` map: under Node's ESM resolver `nodemailer/lib/smtp-connection`
 * is a directory and fails (ERR_UNSUPPORTED_DIR_IMPORT). `nodemailer/lib/<module>/index.js` names the
 * file in 6.9 to 9 and matches the `./lib/*.js` export of 10, in ESM and CJS alike.
 */
const nodemailerFiles: Plugin = {
  name: 'nodemailer-files',
  renderChunk(code) {
    return { code: code.replace(/(["'])(nodemailer\/lib\/[a-z-]+)\1/g, '$1$2/index.js$1') };
  },
};

// One entry per public subpath; the exports map in package.json mirrors this list. No source maps:
// they would point at sources the package does not ship (and were two thirds of its size).
export default defineConfig([
  {
    entry: {
      index: 'src/index.ts',
      'nodemailer/index': 'src/transport/index.ts',
      'probe/index': 'src/probe/index.ts',
      'inbound/index': 'src/inbound/index.ts',
      'mta-sts/index': 'src/mta-sts/index.ts',
      'testing/index': 'src/testing/index.ts',
      'stores/file/index': 'src/stores/file/index.ts',
      'policy-file/index': 'src/policy-file/index.ts',
      'dane/index': 'src/dane/index.ts',
      'dnssec/index': 'src/dnssec/index.ts',
      'postfix/index': 'src/postfix/index.ts',
      'stores/postgres/index': 'src/stores/postgres/index.ts',
    },
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: false,
    clean: true,
    target: 'node20',
    splitting: true,
    treeshake: true,
    plugins: [nodemailerFiles],
  },
  {
    // Split so that the test network `--dns-fixture` needs is a chunk loaded only with that option.
    entry: { bin: 'src/cli/bin.ts' },
    format: ['cjs'],
    outDir: 'dist/cli',
    sourcemap: false,
    splitting: true,
    target: 'node20',
    banner: { js: '#!/usr/bin/env node' },
    plugins: [nodemailerFiles],
  },
]);
