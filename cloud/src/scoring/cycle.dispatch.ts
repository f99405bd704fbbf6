import { Queue, Worker } from 'bullmq';
import type { CycleProgress, CycleService } from './cycle';

export const CYCLE_QUEUE = 'scoring-cycle';

interface ChunkJob {
  cycleId: number;
  chunkNo: number;
}

/** Where a cycle's chunks run: in this process, or across worker processes through a job system. */
export abstract class ChunkDispatcher {
  /** Hands every pending chunk of the cycle to the workers and resolves when the cycle is done. */
  abstract run(cycleId: number, onProgress?: (p: CycleProgress) => void): Promise<CycleProgress>;
  abstract close(): Promise<void>;
}

/**
 * No job system configured: chunks run here, two at a time, so one chunk's reading and writing in
 * the database overlaps the other's scoring in this process.
 */
export class InProcessDispatcher extends ChunkDispatcher {
  constructor(
    private readonly cycles: CycleService,
    private readonly concurrency = 2,
  ) {
    super();
  }

  async run(cycleId: number, onProgress?: (p: CycleProgress) => void): Promise<CycleProgress> {
    const pending = await this.cycles.pendingChunks(cycleId);
    const lane = async () => {
      for (let n = pending.shift(); n !== undefined; n = pending.shift()) {
        await this.cycles.runChunk(cycleId, n);
        if (onProgress) onProgress(await this.cycles.progress(cycleId));
      }
    };
    await Promise.all(Array.from({ length: this.concurrency }, lane));
    await this.cycles.closeIfComplete(cycleId);
    return this.cycles.progress(cycleId);
  }

  async close(): Promise<void> {}
}

function connection(redisUrl: string) {
  const u = new URL(redisUrl);
  return {
    host: u.hostname,
    port: Number(u.port || 6379),
    db: u.pathname.length > 1 ? Number(u.pathname.slice(1)) : 0,
    password: u.password || undefined,
    maxRetriesPerRequest: null,
  };
}

/**
 * BullMQ on Redis: one job per chunk, with a stable job id (cycle:chunk) so enqueuing a resumed
 * cycle again adds nothing twice. Any number of `npm run worker` processes take the jobs; a job
 * whose worker died is retried, and runChunk skips a chunk that already committed.
 */
export class BullmqDispatcher extends ChunkDispatcher {
  private readonly queue: Queue<ChunkJob>;

  constructor(
    private readonly cycles: CycleService,
    redisUrl: string,
    private readonly prefix = 'heihe',
  ) {
    super();
    this.queue = new Queue<ChunkJob>(CYCLE_QUEUE, { connection: connection(redisUrl), prefix });
  }

  async run(cycleId: number, onProgress?: (p: CycleProgress) => void): Promise<CycleProgress> {
    const pending = await this.cycles.pendingChunks(cycleId);
    await this.queue.addBulk(
      pending.map((chunkNo) => ({
        name: 'chunk',
        data: { cycleId, chunkNo },
        opts: {
          jobId: `${cycleId}-${chunkNo}`,
          attempts: 5,
          backoff: { type: 'exponential', delay: 1000 },
          removeOnComplete: 1000,
          removeOnFail: 1000,
        },
      })),
    );
    for (;;) {
      const p = await this.cycles.progress(cycleId);
      onProgress?.(p);
      if (p.status === 'done') return p;
      // Every chunk committed, but the worker that would have closed the cycle died first.
      if (p.doneChunks >= p.totalChunks && (await this.cycles.closeIfComplete(cycleId))) continue;
      await new Promise((r) => setTimeout(r, 250));
    }
  }

  async close(): Promise<void> {
    await this.queue.close();
  }

  /** A worker taking chunk jobs; `concurrency` chunks at once in this process. */
  static startWorker(
    cycles: CycleService,
    redisUrl: string,
    opts: { concurrency?: number; prefix?: string } = {},
  ): Worker<ChunkJob> {
    return new Worker<ChunkJob>(CYCLE_QUEUE, async (job) => cycles.runChunk(job.data.cycleId, job.data.chunkNo), {
      connection: connection(redisUrl),
      prefix: opts.prefix ?? 'heihe',
      concurrency: opts.concurrency ?? 1,
    });
  }
}
