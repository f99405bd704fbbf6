import 'reflect-metadata';
import path from 'node:path';
import { bootstrap } from './bootstrap';
import { ConfigError, loadConfig, REPO_ROOT, type AppConfig } from './config/config';
import { openDatabase } from './db/open';
import { ModelRepository } from './scoring';
import { formatDemoIdentities, seedDemoIdentities } from './seed/demo-identities';
import { PiiVault } from './pii';
import { chinaDate } from './common/china-time';
import { ensureDemoCase, ensureDemoData, ensureDemoXinyiPlus } from './seed/demo';
import { ensureDemoHistory } from './seed/demo-history';
import { ensureSiteDemo } from './site';
import { startFakeWechat } from './wechat';

async function main() {
  let config: AppConfig = loadConfig(process.env, { serving: true });
  let fakeWechat: Awaited<ReturnType<typeof startFakeWechat>> | null = null;
  if (config.DEMO_MODE) {
    // Demo mode plays WeChat's server APIs with the fake server, so sign-in works with no appid.
    fakeWechat = await startFakeWechat({
      port: config.FAKE_WECHAT_PORT,
      appId: config.WECHAT_APP_ID,
      appSecret: config.WECHAT_APP_SECRET,
    });
    config = { ...config, WECHAT_BASE_URL: fakeWechat.url };
  }
  const db = await openDatabase(config);
  await new ModelRepository(db).ensureDefaultModel();
  let demo = '';
  if (config.DEMO_MODE) {
    const vault = PiiVault.fromConfig(config);
    const now = new Date();
    const seeded = await ensureDemoData(db, vault, chinaDate(now), (s) => process.stdout.write(`${s}\n`), now);
    demo = formatDemoIdentities(await seedDemoIdentities(db, vault, config));
    // A past for 跟踪评估 and a queue for the reviewer: two cycles and decided and open applications.
    if (seeded) await ensureDemoHistory(db, config, now);
    await ensureDemoCase(db, vault, chinaDate(new Date()));
    await ensureDemoXinyiPlus(db, chinaDate(new Date()));
    await ensureSiteDemo(db, config);
  }
  const app = await bootstrap(config, db, { staticDir: path.join(REPO_ROOT, 'miniapp', 'dist', 'h5') });
  app.enableShutdownHooks();
  if (fakeWechat) {
    const fake = fakeWechat;
    process.once('beforeExit', () => void fake.close());
  }
  await app.listen(config.PORT, config.HOST);
  const base = `http://${config.HOST}:${config.PORT}`;
  const where = db.backend === 'postgres' ? 'PostgreSQL (DATABASE_URL)' : `PGlite (${config.PGLITE_DIR})`;
  process.stdout.write(
    [
      `信用+精准招商 API on ${where}`,
      `  H5 app:   ${base}/`,
      `  API:      ${base}/api`,
      `  OpenAPI:  ${base}/api/openapi.json`,
      ...(fakeWechat ? [`  WeChat:   fake server at ${fakeWechat.url} (demo mode)`] : []),
      '',
      demo,
    ].join('\n'),
  );
}

main().catch((e) => {
  const text = e instanceof ConfigError ? e.message : e instanceof Error ? (e.stack ?? e.message) : String(e);
  process.stderr.write(`${text}\n`);
  process.exit(1);
});
