#!/usr/bin/env node
// Main-package budget for the WeChat build. WeChat refuses to upload a main package over 2 MB;
// we hold it to 1 MB so the first open stays fast on a weak 4G signal.
// Usage: node scripts/check-size.mjs [weappOutputDir]   (default: dist/weapp next to this script)
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const MAIN_BUDGET_BYTES = 1_048_576;
// DevTools does not upload these, so they do not count toward a package.
const NOT_UPLOADED = [/\.map$/, /\.LICENSE\.txt$/, /^project(\.private)?\.config\.json$/];

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(process.argv[2] ?? path.join(here, '..', 'dist', 'weapp'));

function filesUnder(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(full) : [full];
  });
}

let appJson;
try {
  appJson = JSON.parse(readFileSync(path.join(root, 'app.json'), 'utf8'));
} catch (error) {
  console.error(`check-size: no weapp build at ${root} (${error.message}). Run the weapp build first.`);
  process.exit(2);
}

const subRoots = (appJson.subPackages ?? appJson.subpackages ?? []).map((p) => p.root.replace(/^\/+|\/+$/g, ''));
const sizes = new Map([['main', 0], ...subRoots.map((r) => [r, 0])]);

for (const file of filesUnder(root)) {
  const rel = path.relative(root, file).split(path.sep).join('/');
  if (NOT_UPLOADED.some((re) => re.test(path.basename(rel)))) continue;
  const owner = subRoots.find((r) => rel === r || rel.startsWith(`${r}/`)) ?? 'main';
  sizes.set(owner, sizes.get(owner) + statSync(file).size);
}

const print = (line) => process.stdout.write(`${line}\n`);
const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;
const total = [...sizes.values()].reduce((a, b) => a + b, 0);
print(`weapp package sizes (${root}):`);
for (const [name, bytes] of sizes) {
  print(`  ${name.padEnd(24)} ${kb(bytes).padStart(10)}`);
}
print(`  ${'total'.padEnd(24)} ${kb(total).padStart(10)}`);

const main = sizes.get('main');
if (main > MAIN_BUDGET_BYTES) {
  console.error(`check-size: main package is ${kb(main)}, over the ${kb(MAIN_BUDGET_BYTES)} budget.`);
  process.exit(1);
}
print(`check-size: main package ${kb(main)} is within the ${kb(MAIN_BUDGET_BYTES)} budget.`);
