import 'reflect-metadata';
import path from 'node:path';
import { bootstrap } from './bootstrap';
import { loadConfig, REPO_ROOT } from './config/config';
import { openDatabase } from './db/open';
import { PiiVault } from './pii/pii';
import { chinaDate } from './scoring/china-time';
import { ensureDemoData } from './seed/demo';

async function main() {
  const config = loadConfig();
  const db = await openDatabase(config);
  if (config.DEMO_MODE) {
    const vault = new PiiVault(config.PII_ENCRYPTION_KEY, config.PII_HASH_KEY);
    await ensureDemoData(db, vault, chinaDate(new Date()), (s) => process.stdout.write(`${s}\n`));
  }
  const app = await bootstrap(config, db, { staticDir: path.join(REPO_ROOT, 'miniapp', 'dist', 'h5') });
  app.enableShutdownHooks();
  await app.listen(config.PORT, config.HOST);
  const base = `http://${config.HOST}:${config.PORT}`;
  const where = db.backend === 'postgres' ? 'PostgreSQL (DATABASE_URL)' : `PGlite (${config.PGLITE_DIR})`;
  process.stdout.write(
    [
      `信用+精准招商 API on ${where}`,
      `  API:      ${base}/api`,
      `  OpenAPI:  ${base}/api/openapi.json`,
      `  H5 app:   ${base}/`,
      '',
    ].join('\n'),
  );
}

main().catch((e) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
