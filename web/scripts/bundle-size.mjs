// Prints the gzipped JavaScript a first visit downloads: the entry with its preloaded
// chunks (from dist/index.html), plus each route's own chunks on top of that.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';

const dist = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../dist');
const html = fs.readFileSync(path.join(dist, 'index.html'), 'utf8');
const gz = (file) => zlib.gzipSync(fs.readFileSync(path.join(dist, file))).length;
const initial = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+\.js)"/g)].map((m) => m[1]);
const initialSet = new Set(initial);
const base = initial.reduce((n, f) => n + gz(f), 0);
const kb = (n) => `${(n / 1024).toFixed(1)} kB`;
console.log(`entry + preloaded chunks (${initial.length} files): ${kb(base)} gzipped`);

// Route chunks import their shared chunks statically: follow those imports.
const deps = (file, seen = new Set()) => {
  if (seen.has(file) || initialSet.has(file)) return seen;
  seen.add(file);
  const text = fs.readFileSync(path.join(dist, file), 'utf8');
  for (const m of text.matchAll(/(?:from|import)\s*"\.\/([^"]+\.js)"/g)) deps(`assets/${m[1]}`, seen);
  return seen;
};
const pages = fs.readdirSync(path.join(dist, 'assets')).filter((f) => /-page-.*\.js$/.test(f));
let worst = 0;
for (const page of pages.sort()) {
  const total = base + [...deps(`assets/${page}`)].reduce((n, f) => n + gz(f), 0);
  worst = Math.max(worst, total);
  console.log(`  first visit to ${page.replace(/-[\w-]{8}\.js$/, '').padEnd(20)} ${kb(total)}`);
}
console.log(`largest first visit: ${kb(worst)} gzipped (budget 300 kB)`);
process.exit(worst > 300 * 1024 ? 1 : 0);
