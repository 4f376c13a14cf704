import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const dir = fileURLToPath(new URL('../../examples/', import.meta.url));
// The demo has its own test (test/cli/demo.test.ts) that also checks what it prints.
const examples = readdirSync(dir).filter((f) => f.endsWith('.ts') && f !== 'demo.ts');

// Every example runs as a user would run it, offline against the test fixtures, and exits 0 by itself.
describe.concurrent('examples', () => {
  it('exist', () => {
    expect(examples.length).toBeGreaterThanOrEqual(4);
  });

  it.each(examples)(
    '%s runs and exits 0',
    async (file) => {
      const { stdout } = await run(process.execPath, ['--import', 'tsx', `${dir}${file}`], {
        timeout: 30_000,
        env: { ...process.env, NODE_NO_WARNINGS: '1' },
      });
      expect(stdout.length).toBeGreaterThan(0);
    },
    40_000,
  );
});
