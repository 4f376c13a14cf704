import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const RELATIVE_IMPORT = /(?:from|import)\s*['"](\.{1,2}\/[^'"]+)\.js['"]/g;

/**
 * Compiles a TypeScript fixture and every local module it imports to plain JavaScript in a fresh
 * temporary directory, and returns the path of the compiled entry. A child started with plain
 * `node` on it boots in a fraction of the time `node --import tsx` needs, which matters when a
 * test starts and kills fifty of them. Packages (tldts, …) resolve through a symlink to the
 * project's node_modules. The caller removes the returned directory's root when done.
 */
export function transpileFixture(entry: string): { readonly script: string; readonly root: string } {
  const out = mkdtempSync(join(tmpdir(), 'forced-tls-fixture-'));
  writeFileSync(join(out, 'package.json'), '{ "type": "module" }\n');
  symlinkSync(join(ROOT, 'node_modules'), join(out, 'node_modules'), 'dir');
  const pending = [resolve(entry)];
  const done = new Set<string>();
  while (pending.length > 0) {
    const file = pending.pop() as string;
    if (done.has(file)) continue;
    done.add(file);
    const source = readFileSync(file, 'utf8');
    const { outputText } = ts.transpileModule(source, {
      compilerOptions: {
        module: ts.ModuleKind.ESNext,
        target: ts.ScriptTarget.ES2022,
        verbatimModuleSyntax: true,
      },
      fileName: file,
    });
    const target = join(out, relative(ROOT, file)).replace(/\.ts$/, '.js');
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, outputText);
    for (const match of source.matchAll(RELATIVE_IMPORT)) {
      pending.push(resolve(dirname(file), `${match[1]}.ts`));
    }
  }
  return { script: join(out, relative(ROOT, resolve(entry))).replace(/\.ts$/, '.js'), root: out };
}
