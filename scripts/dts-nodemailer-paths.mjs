// After tsup: the ESM declaration files (dist/**/*.d.ts) name nodemailer's module files
// (`nodemailer/lib/<module>/index.js`). Types for nodemailer before 10 come from @types/nodemailer,
// which has no `exports` map, and under node16/nodenext an ES module cannot import its folder
// (`nodemailer/lib/mailer`). The CommonJS ones (*.d.cts) keep the folder form, which node10
// resolution needs for nodemailer 10 (its typesVersions map `lib/*` to `lib/<module>/index.d.ts`).
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const dist = new URL('../dist/', import.meta.url).pathname;
let changed = 0;
const walk = (dir) => {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) walk(path);
    else if (entry.name.endsWith('.d.ts')) {
      const text = readFileSync(path, 'utf8');
      const fixed = text.replace(/(from\s+)(["'])(nodemailer\/lib\/[a-z-]+)\2/g, '$1$2$3/index.js$2');
      if (fixed !== text) {
        writeFileSync(path, fixed);
        changed++;
      }
    }
  }
};
walk(dist);
console.log(`dts-nodemailer-paths: ${changed} declaration file(s) name nodemailer's module files`);
