#!/usr/bin/env node
// Package budgets for the WeChat build (issue 19). WeChat refuses to upload a main package or a
// subpackage over 2 MB; we hold the main package to 500 KB and each subpackage to 600 KB so the
// first open, and each first tap into a subpackage, stays fast on a weak 4G signal.
// Exits 1 naming every package over its budget, so `npm run build:weapp` fails.
// Usage: node scripts/check-size.mjs [weappOutputDir]   (default: dist/weapp next to this script)
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const MAIN_BUDGET_BYTES = 500 * 1024;
const SUBPACKAGE_BUDGET_BYTES = 600 * 1024;
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

const budgetOf = (name) => (name === 'main' ? MAIN_BUDGET_BYTES : SUBPACKAGE_BUDGET_BYTES);
const over = [...sizes].filter(([name, bytes]) => bytes > budgetOf(name));
for (const [name, bytes] of over) {
  const what = name === 'main' ? 'main package' : `subpackage ${name}`;
  console.error(`check-size: ${what} is ${kb(bytes)}, over the ${kb(budgetOf(name))} budget.`);
}
if (over.length > 0) process.exit(1);
print(
  `check-size: main package within ${kb(MAIN_BUDGET_BYTES)}, each subpackage within ${kb(SUBPACKAGE_BUDGET_BYTES)}.`,
);
