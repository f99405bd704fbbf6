// Runs `prisma generate` without Prisma's native engines (root postinstall → npm run prisma:generate -w cloud).
// PRISMA_SCHEMA_ENGINE_BINARY points at a stub that prints an error and exits 1, so the CLI does
// not try to download the engine, and any command that really needs it fails instead of
// silently "succeeding". Exits with prisma's status.
import { spawnSync } from 'node:child_process';
import { chmodSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const cloudDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const stub = path.join(cloudDir, 'tools', 'no-schema-engine.sh');
chmodSync(stub, 0o755); // an archive or a checkout without modes must not break the stub

let prismaCli;
try {
  prismaCli = createRequire(path.join(cloudDir, 'package.json')).resolve('prisma/build/index.js');
} catch (err) {
  console.error(`prisma-generate: cannot find the prisma CLI (${err.message}). Is npm install complete?`);
  process.exit(1);
}

const result = spawnSync(process.execPath, [prismaCli, 'generate', '--schema', 'prisma/schema.prisma'], {
  cwd: cloudDir,
  stdio: 'inherit',
  env: {
    ...process.env,
    PRISMA_SCHEMA_ENGINE_BINARY: stub,
    CHECKPOINT_DISABLE: '1', // no update check: the network is closed
    PRISMA_HIDE_UPDATE_MESSAGE: '1',
  },
});
if (result.error) {
  console.error(`prisma-generate: could not run prisma: ${result.error.message}`);
  process.exit(1);
}
if (result.status !== 0) {
  console.error(`prisma-generate: prisma generate failed (${result.signal ?? `exit ${result.status}`})`);
  process.exit(result.status || 1);
}
