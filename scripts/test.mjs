// npm test: the whole suite. Database suites always run on embedded PGlite, and also on real
// PostgreSQL when TEST_DATABASE_URL is set (.ci/run sets it).
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { run } from './run.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(root);

const pg = process.env.TEST_DATABASE_URL;
process.stdout.write(
  `Database backends: PGlite${pg ? ` + PostgreSQL (${pg.replace(/\/\/[^@]*@/, '//')})` : ' only (set TEST_DATABASE_URL to add a real PostgreSQL)'}\n`,
);
// Types and lint first: they fail in seconds where the suites take minutes.
run('npm', ['run', 'typecheck']);
run('npm', ['run', 'lint']);
run('npm', ['run', 'build', '-w', 'cloud']);
// PGlite loads its parts with dynamic import(), which jest's vm allows only with vm modules on.
const env = {
  ...process.env,
  NODE_OPTIONS:
    `${process.env.NODE_OPTIONS ?? ''} --experimental-vm-modules --disable-warning=ExperimentalWarning`.trim(),
};
run('npx', ['jest', '--ci', ...process.argv.slice(2)], { env });
