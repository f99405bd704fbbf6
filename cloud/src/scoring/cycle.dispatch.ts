import { Queue, Worker } from 'bullmq';
import type { CycleProgress, CycleService } from './cycle';

export const CYCLE_QUEUE = 'scoring-cycle';
/** The name of a job that runs the work following a chunk (`CycleService.followChunk`). */
export const FOLLOW_JOB = 'follow';

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
  private following: Promise<void> = Promise.resolve();
  private readonly stop = new AbortController();

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
    if (this.cycles.followed) this.following = this.following.then(() => this.follow(cycleId));
    return this.cycles.progress(cycleId);
  }

  /**
   * The work that follows the chunks, started once every score is in and not waited for by `run`:
   * every chunk of the cycle, since a resumed run does not know which were followed before
   * (following is idempotent). Resolves when it is done or stopped (`close`).
   */
  followUps(): Promise<void> {
    return this.following;
  }

  private async follow(cycleId: number): Promise<void> {
    for (const n of await this.cycles.chunkNumbers(cycleId)) {
      if (this.stop.signal.aborted) return;
      await this.cycles.followChunk(cycleId, n, this.stop.signal).catch((e: unknown) => {
        process.stderr.write(`${this.cycles.worker}: chunk ${cycleId}/${n} follow-up failed: ${String(e)}\n`);
      });
    }
  }

  /** Stops the follow-ups between their steps, and waits for them. */
  async close(): Promise<void> {
    this.stop.abort();
    await this.following.catch(() => undefined);
  }
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
 * The key prefix of `node`'s queue: the node's name as a Redis Cluster hash tag, so that each
 * queue's keys stay in one slot (BullMQ's scripts need that) while the queues of different nodes
 * spread over the cluster (ADR 0020).
 */
export function nodeQueuePrefix(prefix: string, node: string): string {
  return `${prefix}:{${node}}`;
}

/**
 * BullMQ on Redis: one queue per database node (`NodeMap`), one job per chunk in the queue of the
 * node owning its buckets, with a stable job id (cycle-chunk) so enqueuing a resumed cycle again
 * adds nothing twice. `npm run worker` processes take the jobs of their node (`CYCLE_NODE`), with
 * DATABASE_URL pointed at that node; a job whose worker died is retried, and runChunk skips a
 * chunk that already committed.
 */
export class BullmqDispatcher extends ChunkDispatcher {
  private readonly queues = new Map<string, Queue<ChunkJob>>();

  constructor(
    private readonly cycles: CycleService,
    redisUrl: string,
    private readonly prefix = 'heihe',
  ) {
    super();
    for (const node of cycles.nodes.nodes)
      this.queues.set(
        node,
        new Queue<ChunkJob>(CYCLE_QUEUE, { connection: connection(redisUrl), prefix: nodeQueuePrefix(prefix, node) }),
      );
  }

  /** The queue of `node` (the one chunks of its buckets go to). */
  queueOf(node: string): Queue<ChunkJob> {
    const q = this.queues.get(node);
    if (!q) throw new Error(`no queue for node ${node}`);
    return q;
  }

  async run(cycleId: number, onProgress?: (p: CycleProgress) => void): Promise<CycleProgress> {
    await this.enqueue(cycleId);
    for (;;) {
      const p = await this.cycles.progress(cycleId);
      onProgress?.(p);
      if (p.status === 'done') return p;
      // Every chunk committed, but the worker that would have closed the cycle died first.
      if (p.doneChunks >= p.totalChunks && (await this.cycles.closeIfComplete(cycleId))) continue;
      await new Promise((r) => setTimeout(r, 250));
    }
  }

  /** Puts every pending chunk of the cycle in the queue of the node owning its buckets. */
  async enqueue(cycleId: number): Promise<void> {
    const pending = await this.cycles.pendingChunkBuckets(cycleId);
    const byNode = new Map<string, typeof pending>();
    for (const c of pending) {
      // A chunk lies within one node's range (cut so); a map changed since the cut sends it by its first bucket.
      const node = this.cycles.nodes.nodeOf(c.fromBucket);
      byNode.set(node, [...(byNode.get(node) ?? []), c]);
    }
    for (const [node, chunks] of byNode) {
      const queue = this.queueOf(node);
      // A pending chunk whose job has ended is not added again under its id: retry that job. Its
      // node was down longer than the job's attempts, or a crash lost the chunk's commit after the
      // job completed (synchronous_commit is off for chunks). It gets its attempts anew; a chunk
      // done meanwhile is skipped.
      const ids = new Set(chunks.map(({ chunkNo }) => `${cycleId}-${chunkNo}`));
      for (const state of ['failed', 'completed'] as const)
        for (const job of await queue.getJobs(state))
          if (job?.id && ids.has(job.id))
            await job.retry(state, { resetAttemptsMade: true, resetAttemptsStarted: true });
      await queue.addBulk(
        chunks.map(({ chunkNo }) => ({
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
      // The work that follows each chunk (ADR 0026), prioritized behind every chunk's scoring (a
      // job without a priority is taken first).
      if (this.cycles.followed)
        await queue.addBulk(
          chunks.map(({ chunkNo }) => ({
            name: FOLLOW_JOB,
            data: { cycleId, chunkNo },
            opts: {
              jobId: `${cycleId}-${chunkNo}-follow`,
              priority: 1000,
              attempts: 3,
              backoff: { type: 'exponential', delay: 5000 },
              removeOnComplete: 1000,
              removeOnFail: 1000,
            },
          })),
        );
    }
  }

  async close(): Promise<void> {
    await Promise.all([...this.queues.values()].map((q) => q.close()));
  }

  /**
   * A worker taking the chunk jobs of one node (default: the only node, or the first); `concurrency`
   * chunks at once in this process. `stop` ends a follow-up job between its steps (on shutdown).
   */
  static startWorker(
    cycles: CycleService,
    redisUrl: string,
    opts: { concurrency?: number; prefix?: string; node?: string; stop?: AbortSignal } = {},
  ): Worker<ChunkJob> {
    const node = opts.node ?? cycles.nodes.nodes[0]!;
    cycles.nodes.rangesOf(node); // refuses a node CYCLE_NODES does not name
    return new Worker<ChunkJob>(
      CYCLE_QUEUE,
      async (job) =>
        job.name === FOLLOW_JOB
          ? (await cycles.followChunk(job.data.cycleId, job.data.chunkNo, opts.stop)).join('; ')
          : cycles.runChunk(job.data.cycleId, job.data.chunkNo),
      {
        connection: connection(redisUrl),
        prefix: nodeQueuePrefix(opts.prefix ?? 'heihe', node),
        concurrency: opts.concurrency ?? 1,
      },
    );
  }
}
