import { readFileSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The version from forced-tls's own `package.json`, found by walking up from `start` (the running
 * script: `dist/cli/bin.cjs` or `src/cli/bin.ts`). Returns `'unknown'` when none is found.
 */
export function findPackageVersion(start: string): string {
  let dir: string;
  try {
    dir = dirname(realpathSync(start));
  } catch {
    return 'unknown';
  }
  for (let depth = 0; depth < 6; depth++) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Record<string, unknown>;
      if (pkg['name'] === 'forced-tls' && typeof pkg['version'] === 'string') return pkg['version'];
    } catch {
      // no package.json here, or not readable: keep walking up
    }
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return 'unknown';
}
