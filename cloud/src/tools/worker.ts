import { loadConfig } from '../config/config';
import { openDatabase } from '../db/open';
import { ownershipWarmerOver } from '../invest';
import { CycleService, BullmqDispatcher, NodeMap } from '../scoring';

/** npm run worker: takes scoring-cycle chunks from BullMQ (REDIS_URL) until stopped. */
async function main() {
  const config = loadConfig();
  if (!config.REDIS_URL) {
    process.stderr.write('REDIS_URL 未设置：没有任务队列时，评分周期在 npm run cycle 的进程内运行\n');
    process.exit(2);
  }
  if (!config.DATABASE_URL) {
    process.stderr.write('DATABASE_URL 未设置：多个进程不能共用嵌入式 PGlite 数据库\n');
    process.exit(2);
  }
  const db = await openDatabase(config, { poolSize: 4 });
  const nodes = new NodeMap(config.CYCLE_NODES);
  const cycles = new CycleService(db, nodes, config.CYCLE_BUCKET_GROUPS);
  const warmer = ownershipWarmerOver(db, config.OWNERSHIP_WARM_DEPTH, nodes.nodes.length);
  if (warmer) cycles.follow(warmer);
  const stopping = new AbortController();
  const worker = BullmqDispatcher.startWorker(cycles, config.REDIS_URL, {
    stop: stopping.signal,
    concurrency: 1,
    prefix: config.QUEUE_PREFIX,
    node: config.CYCLE_NODE,
  });
  worker.on('completed', (job, n) =>
    process.stdout.write(`${cycles.worker} ${job.name} ${job.data.cycleId}/${job.data.chunkNo}: ${n}\n`),
  );
  worker.on('failed', (job, err) =>
    process.stderr.write(
      `${cycles.worker} ${job?.name} ${job?.data.cycleId}/${job?.data.chunkNo} failed: ${err.message}\n`,
    ),
  );
  const stop = async () => {
    stopping.abort();
    await worker.close();
    await db.close();
    process.exit(0);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  process.stdout.write(`worker ${cycles.worker} ready\n`);
}

main().catch((e) => {
  process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
