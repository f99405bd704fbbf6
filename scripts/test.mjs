// npm test: the whole suite. Database suites always run on embedded PGlite, and also on real
// PostgreSQL when TEST_DATABASE_URL is set (.ci/run sets it). Under CI=true every outside service
// is required: checked here first, and each suite fails rather than skips without it
// (cloud/src/testing/services.ts).
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath, URL } from 'node:url';
import { run } from './run.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(root);

const CHROMIUM = '/usr/bin/chromium';
const onCi = process.env.CI === 'true' || process.env.CI === '1';

/** Resolves with an error message, or null when `url`'s server answers (Redis: PING → +PONG). */
function reach(url, { ping = false } = {}) {
  return new Promise((resolve) => {
    let u;
    try {
      u = new URL(url);
    } catch {
      return resolve(`not a URL: ${url}`);
    }
    const socket = net.connect({ host: u.hostname, port: Number(u.port) || (ping ? 6379 : 5432) });
    const done = (error) => {
      socket.destroy();
      resolve(error);
    };
    socket.setTimeout(3000, () => done(`no answer from ${u.host} within 3 s`));
    socket.on('error', (e) => done(`${u.host}: ${e.message}`));
    socket.on('connect', () => (ping ? socket.write('PING\r\n') : done(null)));
    socket.on('data', (d) => done(d.toString().startsWith('+PONG') ? null : `${u.host} did not answer PING`));
    socket.on('close', () => done(`${u.host} closed the connection`));
  });
}

async function checkServices() {
  const problems = [];
  const { TEST_DATABASE_URL: pg, TEST_REDIS_URL: redis } = process.env;
  if (!pg) problems.push('PostgreSQL: TEST_DATABASE_URL is not set (e.g. postgres://postgres@127.0.0.1:5432/test)');
  else {
    const e = await reach(pg);
    if (e) problems.push(`PostgreSQL: TEST_DATABASE_URL unreachable: ${e}`);
  }
  if (!redis) problems.push('Redis: TEST_REDIS_URL is not set (e.g. redis://127.0.0.1:6379)');
  else {
    const e = await reach(redis, { ping: true });
    if (e) problems.push(`Redis: TEST_REDIS_URL unreachable: ${e}`);
  }
  if (!fs.existsSync(CHROMIUM)) problems.push(`Chromium: ${CHROMIUM} is missing (apt-get install chromium)`);
  if (problems.length) {
    process.stderr.write(
      `✗ CI=true: the suites need every outside service, and a missing one would fail them:\n  ${problems.join('\n  ')}\n`,
    );
    process.exit(1);
  }
}

if (onCi) await checkServices();
const pg = process.env.TEST_DATABASE_URL;
process.stdout.write(
  `Database backends: PGlite${pg ? ` + PostgreSQL (${pg.replace(/\/\/[^@]*@/, '//')})` : ' only (set TEST_DATABASE_URL to add a real PostgreSQL)'}\n`,
);
// Types and lint first: they fail in seconds where the suites take minutes.
run('npm', ['run', 'typecheck']);
run('npm', ['run', 'lint']);
// For the suite that still runs a build (the outbox relay's process, test/rights/outbox.e2e.ts). Worker
// threads and the other processes the suites start run the sources (cloud/src/common/worker-path.ts).
run('npm', ['run', 'build', '-w', 'cloud']);
// PGlite loads its parts with dynamic import(), which jest's vm allows only with vm modules on.
const env = {
  ...process.env,
  NODE_OPTIONS:
    `${process.env.NODE_OPTIONS ?? ''} --experimental-vm-modules --disable-warning=ExperimentalWarning`.trim(),
};
run('npx', ['jest', '--ci', ...process.argv.slice(2)], { env });
