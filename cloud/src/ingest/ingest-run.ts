import type { IngestReport } from '@heihe/shared';
import { SystemClock, type Clock } from '../common/clock';
import { startWorker } from '../common/worker-path';
import type { Database } from '../db/database';
import type { PiiVault } from '../pii';
import { Scorer } from '../scoring';
import type { FilePrepareJob, FilePrepareMessage } from './file-prepare.worker';
import { Ingestor, type PreparedChunk, type RawLine } from './ingestor';
import { deliveryKey, RepeatedKeys } from './prepare';

export interface IngestRunOptions {
  chunkSize: number;
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
  private buffer: RawLine[] = [];
  private rows = 0;
  /** How the delivery is coming: one file, one array, or streamed rows. */
  private feed?: 'push' | 'pushRows' | 'pushFile';
  /** Streamed rows: each key seen, with the chunk it went into. */
  private readonly streamedKeys = new Map<string, number>();
  private chunks = 0;
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

  /** One streamed row. Repeats within its chunk are resolved there (see the class). */
  async push(line: RawLine): Promise<void> {
    this.feeding('push');
    const key = line.error ? undefined : deliveryKey(line.raw);
    if (key !== undefined) {
      const chunk = this.streamedKeys.get(key);
      if (chunk !== undefined && chunk < this.chunks)
        throw new Error(
          `IngestRun.push: line ${line.line} repeats a source key already written in an earlier chunk; ` +
            'deliver rows whose keys may repeat with pushRows or pushFile',
        );
      this.streamedKeys.set(key, this.chunks);
    }
    this.buffer.push(line);
    if (this.buffer.length >= this.opts.chunkSize) await this.flush();
  }

  /** A whole delivery held in memory (HTTP): its repeats are resolved across its chunks. */
  async pushRows(lines: RawLine[]): Promise<void> {
    this.feeding('pushRows');
    const superseded = RepeatedKeys.of(lines);
    for (let i = 0; i < lines.length; i += this.opts.chunkSize)
      await this.enqueue(this.ingestor.prepare(lines.slice(i, i + this.opts.chunkSize), superseded));
  }

  async flush(): Promise<void> {
    if (!this.buffer.length) return;
    const prepared = this.ingestor.prepare(this.buffer);
    this.buffer = [];
    this.chunks++;
    await this.enqueue(prepared);
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
