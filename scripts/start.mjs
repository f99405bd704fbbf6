// npm start: build what is stale, then serve the API and the H5 build on embedded PGlite with
// demo data (or on DATABASE_URL). Pass --rebuild to force the H5 build.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawn } from 'node:child_process';
import { run } from './run.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(root);

run('npm', ['run', 'build', '-w', 'shared']);
run('npm', ['run', 'build', '-w', 'cloud']);
const h5 = path.join(root, 'miniapp', 'dist', 'h5', 'index.html');
if (process.argv.includes('--rebuild') || !fs.existsSync(h5)) run('npm', ['run', 'build:h5', '-w', 'miniapp']);

// npm start is the demo, and says so explicitly: with NODE_ENV unset the API refuses to serve its
// placeholder secrets unless DEMO_MODE=true. NODE_ENV=production npm start is no demo (and needs
// real secrets and DATABASE_URL).
const env = { ...process.env };
if (env.NODE_ENV !== 'production') env.DEMO_MODE ??= 'true';
const child = spawn(process.execPath, [path.join(root, 'cloud', 'dist', 'main.js')], { stdio: 'inherit', env });
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
child.on('exit', (code) => process.exit(code ?? 0));
