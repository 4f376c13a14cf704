// npm lifecycle: `prepack` makes the README's relative links absolute to the versioned package (see
// lib/readme-links.mjs) and keeps the original; `postpack` puts the original back.
//   node scripts/readme-links.mjs prepack|postpack
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { absoluteLinks, packageBase } from './lib/readme-links.mjs';

const root = new URL('../', import.meta.url);
const readme = new URL('README.md', root);
const saved = new URL('.tmp/README.md.orig', root);
const pkg = JSON.parse(readFileSync(new URL('package.json', root), 'utf8'));

const step = process.argv[2];
if (step === 'prepack') {
  mkdirSync(new URL('.tmp/', root), { recursive: true });
  // A left-over copy means the last pack did not finish: it is the original, keep it.
  if (!existsSync(saved)) copyFileSync(readme, saved);
  writeFileSync(readme, absoluteLinks(readFileSync(saved, 'utf8'), packageBase(pkg)));
} else if (step === 'postpack') {
  if (existsSync(saved)) {
    copyFileSync(saved, readme);
    rmSync(saved);
  }
} else {
  console.error('usage: node scripts/readme-links.mjs prepack|postpack');
  process.exit(1);
}
