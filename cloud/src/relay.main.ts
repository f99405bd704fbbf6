import { loadConfig } from './config/config';
import { openDatabase } from './db/open';
import { relayOver } from './outbox';
import { relayBuckets, relayRegistry } from './relay';
import { HttpWechatApi } from './wechat';

/**
 * npm run outbox:relay — a relay process of its own (several may run: they share the work through
 * row locks and leases). Start the API with OUTBOX_RELAY_ENABLED=false when relays run apart. With
 * CYCLE_NODE set it polls that node's buckets of CYCLE_NODES only (ADR 0027 step 3); every bucket
 * otherwise. DATABASE_URL is the coordinator's (on Citus, the one URL): the internal handlers write
 * coordinator tables (cases, audit, watch alerts, the result feed).
 */
async function main() {
  const config = loadConfig(process.env, { serving: true });
  if (!config.DATABASE_URL) {
    process.stderr.write('DATABASE_URL 未设置：独立的投递进程不能与 API 共用嵌入式 PGlite 数据库\n');
    process.exit(2);
  }
  const ranges = relayBuckets(config);
  const db = await openDatabase(config, { poolSize: 2 });
  const wechat = new HttpWechatApi({
    baseUrl: config.WECHAT_BASE_URL,
    appId: config.WECHAT_APP_ID,
    appSecret: config.WECHAT_APP_SECRET,
    timeoutMs: config.WECHAT_TIMEOUT_MS,
  });
  // One relay per range of the node's buckets (a node may own several).
  const registry = relayRegistry(db, config, wechat);
  const relays = ranges.map((r) => relayOver(db, config, registry, (line) => process.stderr.write(`${line}\n`), r));
  for (const relay of relays) relay.start(config.OUTBOX_POLL_MS);
  const stop = async () => {
    await Promise.all(relays.map((relay) => relay.stop()));
    await db.close();
    process.exit(0);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  const served = ranges.map((r) => `${r.from}-${r.to}`).join(',');
  process.stdout.write(`outbox relay ${process.pid} ready (buckets ${served})\n`);
}

main().catch((e) => {
  process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
