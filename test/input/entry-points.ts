import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parse } from 'jsonc-parser';

// The package's entry points as a consumer sees them: every subpath of package.json's `exports` map
// that is code, mapped to its source barrel through the `paths` of tsconfig.json. A new entry point
// is covered by the fuzz suite as soon as it is in both files.

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const CODE = /\.(?:c|m)?js$/;

function readJson(file: string): unknown {
  return parse(readFileSync(resolve(ROOT, file), 'utf8'));
}

/** Every file a conditional export can resolve to. */
function targets(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (typeof value !== 'object' || value === null) return [];
  return Object.values(value).flatMap(targets);
}

/** One code entry point: its import specifier and its source barrel. */
export interface EntryPoint {
  /** `forced-tls`, `forced-tls/nodemailer`, … */
  readonly specifier: string;
  /** The barrel, relative to the repository root (`./src/transport/index.ts`). */
  readonly source: string;
}

/**
 * The code subpaths of the exports map (a target ending in .js, .cjs or .mjs), each with the source
 * file tsconfig.json maps it to. Throws for a code subpath without a `paths` entry.
 */
export function codeEntryPoints(): EntryPoint[] {
  const pkg = readJson('package.json') as { name: string; exports: Record<string, unknown> };
  const tsconfig = readJson('tsconfig.json') as { compilerOptions: { paths: Record<string, string[]> } };
  const paths = tsconfig.compilerOptions.paths;
  return Object.entries(pkg.exports)
    .filter(([, target]) => targets(target).some((file) => CODE.test(file)))
    .map(([subpath]) => {
      const specifier = subpath === '.' ? pkg.name : `${pkg.name}/${subpath.replace(/^\.\//, '')}`;
      const source = paths[specifier]?.[0];
      if (source === undefined) throw new Error(`tsconfig.json has no paths entry for ${specifier}`);
      return { specifier, source };
    });
}

/** Imports every code entry point's barrel: specifier → module namespace. */
export async function loadEntryPoints(): Promise<Record<string, Readonly<Record<string, unknown>>>> {
  const modules: Record<string, Readonly<Record<string, unknown>>> = {};
  for (const { specifier, source } of codeEntryPoints()) {
    modules[specifier] = (await import(pathToFileURL(resolve(ROOT, source)).href)) as Record<string, unknown>;
  }
  return modules;
}
