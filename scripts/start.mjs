// npm start: build what is stale, then serve the API, the H5 build and the staff console on embedded
// PGlite with demo data (or on DATABASE_URL). Pass --rebuild to force the H5 and console builds.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawn } from 'node:child_process';
import readline from 'node:readline';
import { run } from './run.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(root);

run('npm', ['run', 'build', '-w', 'shared']);
run('npm', ['run', 'build', '-w', 'cloud']);

/** The newest modification time of the files under `dir` (0 when it does not exist). */
function newest(dir) {
  if (!fs.existsSync(dir)) return 0;
  const stat = fs.statSync(dir);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(0, ...fs.readdirSync(dir).map((f) => (f === 'node_modules' ? 0 : newest(path.join(dir, f)))));
}
// The H5 app bundles the mini program's and shared's sources: rebuilt when either is newer.
const h5 = path.join(root, 'miniapp', 'dist', 'h5', 'index.html');
const h5Sources = ['miniapp/src', 'miniapp/config', 'miniapp/package.json', 'shared/src'].map((p) =>
  path.join(root, p),
);
const h5Stale = !fs.existsSync(h5) || Math.max(...h5Sources.map(newest)) > fs.statSync(h5).mtimeMs;
if (process.argv.includes('--rebuild') || h5Stale) run('npm', ['run', 'build:h5', '-w', 'miniapp']);
// The console bundles shared's sources and its generated API types, so those count as its sources.
const consoleIndex = path.join(root, 'web', 'dist', 'console', 'index.html');
const consoleSources = ['web/console', 'web/src', 'web/package.json', 'shared/src'].map((p) => path.join(root, p));
const consoleStale =
  !fs.existsSync(consoleIndex) || Math.max(...consoleSources.map(newest)) > fs.statSync(consoleIndex).mtimeMs;
const webBuilt = process.argv.includes('--rebuild') || consoleStale;
if (webBuilt) run('npm', ['run', 'build', '-w', 'web']);
// The public site (/site/): its server renderer and assets, from web/site and shared's sources.
const siteRender = path.join(root, 'web', 'dist', 'site', 'server', 'render.cjs');
const siteSources = ['web/site', 'web/package.json', 'shared/src'].map((p) => path.join(root, p));
const siteStale = !fs.existsSync(siteRender) || Math.max(...siteSources.map(newest)) > fs.statSync(siteRender).mtimeMs;
if (!webBuilt && siteStale) run('npm', ['run', 'build:site', '-w', 'web']);

// npm start is the demo, and says so explicitly: with NODE_ENV unset the API refuses to serve its
// placeholder secrets unless DEMO_MODE=true. NODE_ENV=production npm start is no demo (and needs
// real secrets and DATABASE_URL).
const env = { ...process.env };
if (env.NODE_ENV !== 'production') env.DEMO_MODE ??= 'true';
const child = spawn(process.execPath, [path.join(root, 'cloud', 'dist', 'main.js')], {
  stdio: ['inherit', 'pipe', 'inherit'],
  env,
});
// The API prints its URLs and the demo accounts; the console's URL and how the demo reviewer signs
// in to it go beside them.
let consoleUrl = null;
readline.createInterface({ input: child.stdout }).on('line', (line) => {
  process.stdout.write(`${line}\n`);
  const app = /^\s*H5 app:\s+(\S+?)\/?$/.exec(line);
  if (app) {
    consoleUrl = `${app[1]}/console/`;
    process.stdout.write(`  Console:  ${consoleUrl}\n`);
    process.stdout.write(`  Site:     ${app[1]}/site/  (信用中国（黑河）)\n`);
  }
  const reviewer = /^\s*reviewer\s+(demo-reviewer) \/ (\S+)/.exec(line);
  if (reviewer && consoleUrl)
    process.stdout.write(
      `    → 工作台 ${consoleUrl} 用户名 ${reviewer[1]}，密码 ${reviewer[2]}，` +
        `动态口令：npm run admin -- totp-now --username ${reviewer[1]}\n`,
    );
});
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
child.on('exit', (code) => process.exit(code ?? 0));
