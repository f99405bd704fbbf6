import { UnrecoverableError, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { PiiVault } from '../pii';
import { seedDemo } from '../seed/seed';
import { requireService } from '../testing/services';
import { createTestDatabase, type TestDatabase } from '../testing/test-db';
import { CycleService } from './cycle';
import { BullmqDispatcher, CYCLE_QUEUE, nodeQueuePrefix } from './cycle.dispatch';
import { NodeMap } from './cycle.nodes';

const redisUrl = process.env.TEST_REDIS_URL;
const ENTITIES = 40;

// BullMQ needs a real Redis; the database may be PGlite (one process).
(requireService('redis', Boolean(redisUrl), 'the per-node queue suite') ? describe : describe.skip)(
  'one BullMQ queue per database node',
  () => {
    let t: TestDatabase;
    const prefix = `tnodes${process.pid}${Date.now()}`;
    const nodes = new NodeMap('x=0-2047,y=2048-4095');

    beforeAll(async () => {
      t = await createTestDatabase('pglite');
      await seedDemo(t.db, new PiiVault('11'.repeat(32), '22'.repeat(32)), {
        entities: ENTITIES,
        seed: 5,
        asOf: '2026-11-01',
        rescore: false,
      });
    }, 120_000);
    afterAll(async () => {
      const redis = new Redis(redisUrl!);
      const keys = await redis.keys(`${prefix}:*`);
      if (keys.length) await redis.del(...keys);
      await redis.quit();
      await t.drop();
    }, 60_000);

    it("sends the chunks of a node's buckets to that node's queue only, under hash-tagged keys, and its workers score them", async () => {
      const cycles = new CycleService(t.db, nodes);
      const dispatcher = new BullmqDispatcher(cycles, redisUrl!, prefix);
      const workers = ['x', 'y'].map((node) => BullmqDispatcher.startWorker(cycles, redisUrl!, { prefix, node }));
      const taken = new Map<string, number[]>([
        ['x', []],
        ['y', []],
      ]);
      try {
        for (const w of workers) await w.pause();
        const p = await cycles.startOrResume({ trigger: 'test', chunkSize: 4 });
        await dispatcher.enqueue(p.id);

        const chunks = await t.db.query<{ n: number; from_bucket: number; to_bucket: number }>(
          `SELECT chunk_no AS n, from_bucket, to_bucket FROM cycle_chunk WHERE cycle_id = $1 ORDER BY chunk_no`,
          [p.id],
        );
        const expected = (node: string) =>
          chunks
            .filter((c) => nodes.nodeOf(c.from_bucket) === node)
            .map((c) => c.n)
            .sort((a, b) => a - b);
        expect(expected('x').length).toBeGreaterThan(0);
        expect(expected('y').length).toBeGreaterThan(0);
        for (const c of chunks) expect(nodes.nodeOf(c.to_bucket)).toBe(nodes.nodeOf(c.from_bucket));
        for (const node of ['x', 'y']) {
          const jobs = await dispatcher.queueOf(node).getJobs(['waiting', 'paused', 'prioritized', 'delayed']);
          expect(jobs.map((j) => j.data.chunkNo).sort((a, b) => a - b)).toEqual(expected(node));
        }
        // Each queue's keys carry its node as a Redis Cluster hash tag.
        const redis = new Redis(redisUrl!);
        try {
          const keys = await redis.keys(`${prefix}:*`);
          expect(keys.length).toBeGreaterThan(0);
          for (const k of keys)
            expect(
              k.startsWith(`${nodeQueuePrefix(prefix, 'x')}:`) || k.startsWith(`${nodeQueuePrefix(prefix, 'y')}:`),
            ).toBe(true);
          expect(keys.some((k) => k.includes('{x}'))).toBe(true);
          expect(keys.some((k) => k.includes('{y}'))).toBe(true);
        } finally {
          await redis.quit();
        }

        workers.forEach((w, i) => w.on('completed', (job) => taken.get(['x', 'y'][i]!)!.push(job.data.chunkNo)));
        for (const w of workers) w.resume();
        const done = await dispatcher.run(p.id);
        expect(done).toMatchObject({ status: 'done', entitiesDone: ENTITIES });
        // The cycle closes in the last chunk's job, just before BullMQ reports that job completed.
        for (let i = 0; i < 100 && taken.get('x')!.length + taken.get('y')!.length < chunks.length; i++)
          await new Promise((r) => setTimeout(r, 50));
        expect(taken.get('x')!.sort((a, b) => a - b)).toEqual(expected('x'));
        expect(taken.get('y')!.sort((a, b) => a - b)).toEqual(expected('y'));
      } finally {
        await Promise.all(workers.map((w) => w.close()));
        await dispatcher.close();
        await cycles.close();
      }
    }, 120_000);

    it('a resume re-runs the pending chunks whose jobs ended: failed for good (their node was down) or completed by a commit the node lost', async () => {
      const cycles = new CycleService(t.db, nodes);
      const dispatcher = new BullmqDispatcher(cycles, redisUrl!, prefix);
      const p = await cycles.startOrResume({ trigger: 'test', chunkSize: 4 });
      await dispatcher.enqueue(p.id);
      const xChunks = (await cycles.pendingChunkBuckets(p.id)).filter((c) => nodes.nodeOf(c.fromBucket) === 'x');
      expect(xChunks.length).toBeGreaterThan(1);
      // Node x's jobs all end without their chunk: the first fails for good, the others complete as if
      // their commit had been lost.
      const ended: string[] = [];
      const broken = new Worker(
        CYCLE_QUEUE,
        async (job) => {
          if (job.data.chunkNo === xChunks[0]!.chunkNo) throw new UnrecoverableError('数据库不可达');
          return 0;
        },
        {
          connection: {
            host: new URL(redisUrl!).hostname,
            port: Number(new URL(redisUrl!).port || 6379),
            maxRetriesPerRequest: null,
          },
          prefix: nodeQueuePrefix(prefix, 'x'),
        },
      );
      broken.on('failed', (job) => ended.push(`failed ${job?.data.chunkNo}`));
      broken.on('completed', (job) => ended.push(`completed ${job.data.chunkNo}`));
      for (let i = 0; i < 200 && ended.length < xChunks.length; i++) await new Promise((r) => setTimeout(r, 50));
      await broken.close();
      expect(ended).toHaveLength(xChunks.length);
      expect(await cycles.pendingChunks(p.id)).toHaveLength((await cycles.progress(p.id)).totalChunks);

      const workers = ['x', 'y'].map((node) => BullmqDispatcher.startWorker(cycles, redisUrl!, { prefix, node }));
      try {
        let timer: NodeJS.Timeout | undefined;
        const done = await Promise.race([
          dispatcher.run(p.id),
          new Promise<never>((_, reject) => {
            timer = setTimeout(() => reject(new Error('the cycle did not finish')), 30_000);
          }),
        ]).finally(() => clearTimeout(timer));
        expect(done).toMatchObject({ status: 'done', entitiesDone: ENTITIES });
        const [n] = await t.db.query<{ evaluations: number }>(
          `SELECT count(*)::int AS evaluations FROM evaluation WHERE cycle_id = $1`,
          [p.id],
        );
        expect(n!.evaluations).toBe(ENTITIES);
      } finally {
        await Promise.all(workers.map((w) => w.close()));
        await dispatcher.close();
        await cycles.close();
      }
    }, 120_000);

    it("follows every chunk once all of its node's chunks are scored, as jobs behind theirs, on the node owning it (ADR 0026)", async () => {
      const events: string[] = [];
      const followed = new Map<string, number[]>();
      const follower = (node: string) => ({
        name: 'record',
        afterChunk: async (c: { fromBucket: number; toBucket: number; from: number; to: number }) => {
          events.push(`follow ${node}`);
          followed.set(node, [...(followed.get(node) ?? []), c.from]);
          return 'recorded';
        },
      });
      // One service per node, as one worker process per node has.
      const services = ['x', 'y'].map((node) => new CycleService(t.db, nodes).follow(follower(node)));
      const dispatcher = new BullmqDispatcher(services[0]!, redisUrl!, `${prefix}f`);
      const workers = ['x', 'y'].map((node, i) =>
        BullmqDispatcher.startWorker(services[i]!, redisUrl!, { prefix: `${prefix}f`, node }),
      );
      workers.forEach((w, i) =>
        w.on('completed', (job) => job.name === 'chunk' && events.push(`chunk ${['x', 'y'][i]}`)),
      );
      try {
        for (const w of workers) await w.pause();
        const p = await services[0]!.startOrResume({ trigger: 'test', chunkSize: 4 });
        await dispatcher.enqueue(p.id);
        // Chunk jobs queued after the follow-ups (as a retried chunk job re-enters the queue) are
        // still taken before them: a job without a priority goes first.
        let late = 0;
        for (const node of ['x', 'y'])
          for (const c of (await services[0]!.pendingChunkBuckets(p.id)).filter(
            (k) => nodes.nodeOf(k.fromBucket) === node,
          )) {
            await dispatcher
              .queueOf(node)
              .add('chunk', { cycleId: p.id, chunkNo: c.chunkNo }, { jobId: `late-${c.chunkNo}` });
            late += 1;
          }
        expect(late).toBeGreaterThan(0);
        for (const w of workers) w.resume();
        expect(await dispatcher.run(p.id)).toMatchObject({ status: 'done', entitiesDone: ENTITIES });
        const chunks = await t.db.query<{ from_entity: number; from_bucket: number }>(
          `SELECT from_entity, from_bucket FROM cycle_chunk WHERE cycle_id = $1`,
          [p.id],
        );
        for (let i = 0; i < 200 && events.filter((e) => e.startsWith('follow')).length < chunks.length; i++)
          await new Promise((r) => setTimeout(r, 50));
        for (const node of ['x', 'y']) {
          const mine = chunks.filter((c) => nodes.nodeOf(c.from_bucket) === node).map((c) => c.from_entity);
          expect((followed.get(node) ?? []).sort((a, b) => a - b)).toEqual(mine.sort((a, b) => a - b));
          // Each node's worker took all its chunk jobs, the late ones too, before any follow-up.
          const own = events.filter((e) => e.endsWith(node));
          expect(own.findIndex((e) => e.startsWith('follow'))).toBe(2 * mine.length);
        }
      } finally {
        await Promise.all(workers.map((w) => w.close()));
        await dispatcher.close();
        await Promise.all(services.map((c) => c.close()));
        const redis = new Redis(redisUrl!);
        const keys = await redis.keys(`${prefix}f:*`);
        if (keys.length) await redis.del(...keys);
        await redis.quit();
      }
    }, 120_000);

    it('refuses a worker for a node the map does not name', () => {
      const cycles = new CycleService(t.db, nodes);
      expect(() => BullmqDispatcher.startWorker(cycles, redisUrl!, { prefix, node: 'z' })).toThrow(/CYCLE_NODE z/);
    });
  },
);
