import { defineConfig } from 'vitest/config';

// FORCED_TLS_NODEMAILER=<dir of a nodemailer package> runs the tests against that copy instead of the
// installed one (scripts/nodemailer-matrix.mjs sets it once per supported major).
const nodemailer = process.env['FORCED_TLS_NODEMAILER'];

export default defineConfig({
  ...(nodemailer ? { resolve: { alias: [{ find: /^nodemailer(?=\/|$)/, replacement: nodemailer }] } } : {}),
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    pool: 'forks',
  },
});
