// `npm run bench`: every benchmark in one run. Each prints figures measured side by side and the
// ratios against its targets; none of them is a test, and none fails the build.
const suites: Record<string, () => Promise<{ main: () => Promise<void> }>> = {
  policy: () => import('./policy.js'),
  tier: () => import('./tier.js'),
  whitelist: () => import('./whitelist.js'),
  transport: () => import('./transport.js'),
  published: () => import('./published.js'),
  postfix: () => import('./postfix.js'),
  postgres: () => import('./postgres.js'),
};

const only = process.argv.slice(2);
for (const [name, load] of Object.entries(suites)) {
  if (only.length > 0 && !only.includes(name)) continue;
  const started = Date.now();
  await (await load()).main();
  console.log(`(${name}: ${((Date.now() - started) / 1000).toFixed(1)} s)\n`);
}
