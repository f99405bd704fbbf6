import { ProgressBar } from '../common/progress';
import { loadConfig } from '../config/config';
import { openDatabase } from '../db/open';
import { ownershipWarmerOver } from '../invest';
import { CycleService, BullmqDispatcher, InProcessDispatcher, ModelRepository, NodeMap } from '../scoring';

/**
 * npm run cycle [-- --chunk-size N]: runs a scoring cycle now (or resumes the one a crash left
 * running) and shows its progress. With REDIS_URL set, chunks go to BullMQ and `npm run worker`
 * processes score them; otherwise they run here.
 */
async function main() {
  const config = loadConfig();
  const i = process.argv.indexOf('--chunk-size');
  const chunkSize = i >= 0 ? Number(process.argv[i + 1]) : 5000;
  const db = await openDatabase(config);
  await new ModelRepository(db).ensureDefaultModel();
  const nodes = new NodeMap(config.CYCLE_NODES);
  const cycles = new CycleService(db, nodes, config.CYCLE_BUCKET_GROUPS);
  const warmer = ownershipWarmerOver(db, config.OWNERSHIP_WARM_DEPTH, nodes.nodes.length);
  if (warmer) cycles.follow(warmer);
  const dispatcher = config.REDIS_URL
    ? new BullmqDispatcher(cycles, config.REDIS_URL, config.QUEUE_PREFIX)
    : new InProcessDispatcher(cycles);
  const started = Date.now();
  const p = await cycles.startOrResume({ trigger: 'manual', chunkSize });
  process.stderr.write(
    `评分周期 ${p.id}（模型 v${p.modelVersion}，截至 ${p.asOf}，${p.totalChunks} 个分块，${config.REDIS_URL ? 'BullMQ' : '本进程'}）\n`,
  );
  const bar = new ProgressBar('评分', p.totalChunks);
  const done = await dispatcher.run(p.id, (x) => bar.update(x.doneChunks, `${x.entitiesDone} 户`));
  bar.done(`${done.entitiesDone} 户`);
  const secs = (Date.now() - started) / 1000;
  process.stdout.write(
    `${JSON.stringify({ ...done, seconds: secs, entitiesPerSecond: Math.round(done.entitiesDone / secs) })}\n`,
  );
  if (dispatcher instanceof InProcessDispatcher && cycles.followed) {
    // The follow-ups (ADR 0026: ownership warming) after the scoring's figures; stopped on Ctrl-C.
    process.stderr.write('评分完成；正在预存股权穿透结果（Ctrl-C 可中止，下次评分周期继续）\n');
    process.once('SIGINT', () => void dispatcher.close());
    await dispatcher.followUps();
  }
  await dispatcher.close();
  await db.close();
}

main().catch((e) => {
  process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
