import type { IngestReport } from '@heihe/shared';
import { SystemClock, type Clock } from '../common/clock';
import { startWorker } from '../common/worker-path';
import type { Database } from '../db/database';
import type { PiiVault } from '../pii';
import { Scorer } from '../scoring';
import { ChunkCutter } from './cut';
import type { FilePrepareJob, FilePrepareMessage } from './file-prepare.worker';
import { Ingestor, type PreparedChunk, type RawLine } from './ingestor';
import { deliveryKey, RepeatedKeys } from './prepare';

export interface IngestRunOptions {
  chunkSize: number;
  /**
   * How many groups of buckets the delivery is cut by (1..4096; ADR 0024): each chunk's rows are of
   * one group, so it commits on one shard. Default 1: chunks are the delivery's consecutive slices.
   */
  bucketGroups?: number;
  /** Re-score the entities each chunk changed (the dynamic half of the method). Default true. */
  rescore?: boolean;
  onChunk?: (rowsDone: number) => void;
  /** Domain time: the versions' system time and the re-scores' "as of". Default: the system clock. */
  clock?: Clock;
}

/**
 * One delivery, however it arrives (file, HTTP, demo seed): rows are buffered into chunks, each
 * chunk is applied in one transaction, and the entities it changed are re-scored right after.
 *
 * The last row per (source system, source ID) wins: the result is that of the delivery without
 * the rows a later one replaces, which are counted and listed as superseded. A repeat may span
 * chunks, so the whole delivery's repeats are known before its first chunk is written: `pushRows`
 * takes it whole, `pushFile` reads the file's keys first. `push` streams rows of a delivery whose
 * keys repeat at most within a chunk, and refuses a row that repeats an already written key.
 */
export class IngestRun {
  private readonly ingestor: Ingestor;
  private readonly scorer: Scorer;
  private readonly clock: Clock;
  /** Streamed rows waiting for their chunk to fill, per bucket group. */
  private readonly cutter: ChunkCutter;
  private rows = 0;
  /** How the delivery is coming: one file, one array, or streamed rows. */
  private feed?: 'push' | 'pushRows' | 'pushFile';
  /** Streamed rows: each key seen, with the group and the chunk of that group it went into. */
  private readonly streamedKeys = new Map<string, { group: number; chunk: number }>();
  /** The chunk being written; the next one is validated meanwhile, then waits its turn. */
  private inflight: Promise<void> = Promise.resolve();
  rescored = 0;

  private constructor(
    db: Database,
    private readonly vault: PiiVault,
    private readonly batchId: number,
    private readonly opts: IngestRunOptions,
    ingestor: Ingestor,
  ) {
    this.ingestor = ingestor;
    this.scorer = new Scorer(db);
    this.clock = opts.clock ?? new SystemClock();
    this.cutter = new ChunkCutter(opts.chunkSize, opts.bucketGroups);
  }

  static async start(db: Database, vault: PiiVault, sourceName: string, opts: IngestRunOptions): Promise<IngestRun> {
    const ingestor = new Ingestor(db, vault, opts.clock);
    return new IngestRun(db, vault, await ingestor.startBatch(sourceName), opts, ingestor);
  }

  /** A run is one delivery: many `push`es, or one `pushRows`, or one `pushFile`. */
  private feeding(how: 'push' | 'pushRows' | 'pushFile') {
    if (this.feed && (this.feed !== how || how !== 'push'))
      throw new Error(`IngestRun: ${how} after ${this.feed}; a run is one delivery`);
    this.feed = how;
  }

  /**
   * One streamed row. Repeats within its chunk are resolved there (see the class): a row repeating
   * the key of a row still buffered joins that row's chunk, whatever its group.
   */
  async push(line: RawLine): Promise<void> {
    this.feeding('push');
    const key = line.error ? undefined : deliveryKey(line.raw);
    let group = this.cutter.groupOf(line);
    if (key !== undefined) {
      const seen = this.streamedKeys.get(key);
      if (seen !== undefined && seen.chunk < this.cutter.chunkOf(seen.group))
        throw new Error(
          `IngestRun.push: line ${line.line} repeats a source key already written in an earlier chunk; ` +
            'deliver rows whose keys may repeat with pushRows or pushFile',
        );
      if (seen !== undefined) group = seen.group;
      this.streamedKeys.set(key, { group, chunk: this.cutter.chunkOf(group) });
    }
    const full = this.cutter.add(line, group);
    if (full) await this.enqueue(this.ingestor.prepare(full));
  }

  /** A whole delivery held in memory (HTTP): its repeats are resolved across its chunks. */
  async pushRows(lines: RawLine[]): Promise<void> {
    this.feeding('pushRows');
    const superseded = RepeatedKeys.of(lines);
    const cutter = new ChunkCutter(this.opts.chunkSize, this.opts.bucketGroups);
    for (const l of lines) {
      const full = cutter.add(l);
      if (full) await this.enqueue(this.ingestor.prepare(full, superseded));
    }
    for (const rest of cutter.rest()) await this.enqueue(this.ingestor.prepare(rest, superseded));
  }

  /** Writes the streamed rows still buffered, a chunk per group. */
  async flush(): Promise<void> {
    for (const rest of this.cutter.rest()) await this.enqueue(this.ingestor.prepare(rest));
  }

  /** Waits for the chunk being written, then starts writing this one. */
  private async enqueue(prepared: PreparedChunk): Promise<void> {
    await this.inflight;
    this.inflight = this.apply(prepared);
    // Its failure surfaces at the next enqueue or at finish(); not as an unhandled rejection before.
    this.inflight.catch(() => undefined);
  }

  /**
   * A whole delivery file: a worker thread reads its keys, then reads and prepares its chunks (the
   * CPU half) while this thread writes them in order, so the two halves overlap on two cores.
   * `onBytes` reports progress.
   */
  async pushFile(file: string, onBytes?: (bytesRead: number) => void): Promise<void> {
    this.feeding('pushFile');
    const job: FilePrepareJob = {
      file,
      chunkSize: this.opts.chunkSize,
      bucketGroups: this.opts.bucketGroups ?? 1,
      keys: this.vault.forWorker(),
      ahead: 2,
    };
    const worker = startWorker(__dirname, 'file-prepare.worker', { workerData: job });
    try {
      await new Promise<void>((resolve, reject) => {
        let queue = Promise.resolve();
        worker.on('message', (m: FilePrepareMessage) => {
          onBytes?.(m.bytes);
          queue = queue.then(async () => {
            if ('done' in m) return resolve();
            await this.enqueue(m.chunk);
            worker.postMessage('ack');
          });
          queue.catch(reject);
        });
        worker.on('error', reject);
        worker.on('exit', (code) => reject(new Error(`ingestion worker exited with code ${code}`)));
      });
    } finally {
      await worker.terminate();
    }
  }

  private async apply(prepared: PreparedChunk): Promise<void> {
    const r = await this.ingestor.apply(this.batchId, prepared);
    if (this.opts.rescore !== false && r.changedEntityIds.length) {
      await this.scorer.rescore(r.changedEntityIds, 'ingest', this.clock.now());
      this.rescored += r.changedEntityIds.length;
    }
    this.rows += prepared.lines;
    this.opts.onChunk?.(this.rows);
  }

  async finish(): Promise<IngestReport> {
    await this.flush();
    await this.inflight;
    return this.ingestor.finishBatch(this.batchId, 'done');
  }
}
