import { defineConfig } from 'tsup';

// One entry per public subpath; the exports map in package.json mirrors this list.
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
    sourcemap: true,
    clean: true,
    target: 'node20',
    splitting: true,
    treeshake: true,
  },
  {
    entry: { 'cli/bin': 'src/cli/bin.ts' },
    format: ['cjs'],
    sourcemap: true,
    target: 'node20',
    banner: { js: '#!/usr/bin/env node' },
  },
]);
