import { spawn, type ChildProcess } from 'node:child_process';
import { nodeArgs } from '../../cloud/src/common/worker-path';
import { PiiVault } from '../../cloud/src/pii/pii';
import { CycleService } from '../../cloud/src/scoring/cycle';
import { BullmqDispatcher } from '../../cloud/src/scoring/cycle.dispatch';
import { seedDemo } from '../../cloud/src/seed/seed';
import { requireService } from '../../cloud/src/testing/services';
import { createTestDatabase, type TestDatabase } from '../../cloud/src/testing/test-db';

const redisUrl = process.env.TEST_REDIS_URL;
const pgUrl = process.env.TEST_DATABASE_URL;
const ENTITIES = 60;

/** `npm run worker`, from the sources under test (worker-path), never a build that may be older. */
function startWorker(env: NodeJS.ProcessEnv): Promise<ChildProcess> {
  const child = spawn(process.execPath, nodeArgs('tools/worker'), {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('ready')) resolve(child);
    });
    child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    child.on('exit', (code) => reject(new Error(`worker exited ${code}: ${out}`)));
  });
}

// Needs the real services: several processes cannot share embedded PGlite, and BullMQ needs Redis.
const suite = 'the BullMQ worker suite';
const runs = [requireService('redis', Boolean(redisUrl), suite), requireService('postgres', Boolean(pgUrl), suite)];
(runs.every(Boolean) ? describe : describe.skip)('a cycle split across two worker processes through BullMQ', () => {
  let t: TestDatabase;
  const workers: ChildProcess[] = [];
  const prefix = `t${process.pid}${Date.now()}`;

  beforeAll(async () => {
    t = await createTestDatabase('postgres');
    await seedDemo(t.db, new PiiVault('11'.repeat(32), '22'.repeat(32)), {
      entities: ENTITIES,
      seed: 5,
      asOf: '2026-11-01',
      rescore: false,
    });
    const env = { DATABASE_URL: t.url, REDIS_URL: redisUrl, QUEUE_PREFIX: prefix, NODE_ENV: 'test' };
    workers.push(...(await Promise.all([startWorker(env), startWorker(env)])));
  }, 120_000);

  afterAll(async () => {
    for (const w of workers) w.kill('SIGTERM');
    await t?.drop();
  });

  it('scores every entity exactly once, with chunks taken by both workers', async () => {
    const cycles = new CycleService(t.db);
    const sut = new BullmqDispatcher(cycles, redisUrl!, prefix);
    const p = await cycles.startOrResume({ trigger: 'test', chunkSize: 4 });

    const done = await sut.run(p.id);
    await sut.close();

    expect(done).toMatchObject({ status: 'done', entitiesDone: ENTITIES, doneChunks: Math.ceil(ENTITIES / 4) });
    const [e] = await t.db.query<{ n: number; d: number }>(
      `SELECT count(*)::int AS n, count(DISTINCT entity_id)::int AS d FROM evaluation WHERE cycle_id = $1`,
      [p.id],
    );
    expect(e).toEqual({ n: ENTITIES, d: ENTITIES });
    const byWorker = await t.db.query<{ worker: string; chunks: number }>(
      `SELECT worker, count(*)::int AS chunks FROM cycle_chunk WHERE cycle_id = $1 GROUP BY worker`,
      [p.id],
    );
    expect(byWorker).toHaveLength(2);
    expect(byWorker.every((w) => w.worker !== cycles.worker)).toBe(true);
  }, 120_000);
});
