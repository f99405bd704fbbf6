// The console's JS budget (issue 15: the route that opens first ≤ 500 KB gzipped, the rest lazy).
// Reads web/dist/console/.vite/manifest.json (npm run build -w web first) and prints, per route,
// the gzipped size of the JS a browser must load to show it: the entry with its static imports,
// plus the route's lazy chunk with its own static imports.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';

const dist = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'console');
const manifestPath = path.join(dist, '.vite', 'manifest.json');
if (!fs.existsSync(manifestPath)) {
  console.error(`no ${manifestPath}: run npm run build -w web first`);
  process.exit(1);
}
const manifest = JSON.parse(fs.readFileSync(manifestPath, 'utf8'));
const BUDGET = 500 * 1024;

/** A chunk and everything it imports statically (what loads before it runs). */
function closure(key, seen = new Set()) {
  if (seen.has(key)) return seen;
  seen.add(key);
  for (const i of manifest[key]?.imports ?? []) closure(i, seen);
  return seen;
}
const gz = (file) => zlib.gzipSync(fs.readFileSync(path.join(dist, file))).length;
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
const sizeOf = (keys) => [...keys].reduce((sum, k) => sum + gz(manifest[k].file), 0);

const entry = Object.keys(manifest).find((k) => manifest[k].isEntry);
const first = closure(entry);
const routes = [['sign-in (entry)', first]];
for (const k of manifest[entry].dynamicImports ?? []) {
  const name = path.basename(k).replace(/\.[jt]sx?$/, '');
  routes.push([name, closure(k, new Set(first))]);
}
let over = false;
for (const [name, keys] of routes) {
  const size = sizeOf(keys);
  over ||= size > BUDGET;
  process.stdout.write(
    `${name.padEnd(18)} ${kb(size).padStart(10)} gzipped JS${size > BUDGET ? '  OVER BUDGET' : ''}\n`,
  );
}
const all = Object.values(manifest).filter((c) => c.file.endsWith('.js'));
process.stdout.write(
  `all chunks         ${kb(all.reduce((s, c) => s + gz(c.file), 0)).padStart(10)} gzipped JS (${all.length} files)\n`,
);
process.exit(over ? 1 : 0);
