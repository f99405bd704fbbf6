import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { IngestReport } from '@heihe/shared';
import type { Database } from '../db/database';
import type { PiiVault } from '../pii/pii';
import { Scorer } from '../scoring/scorer';
import type { FilePrepareJob, FilePrepareMessage } from './file-prepare.worker';
import { Ingestor, type PreparedChunk, type RawLine } from './ingestor';

/** The worker runs compiled code: under ts-jest (sources in src/) it is the build in dist/. */
const PREPARE_WORKER = __filename.endsWith('.ts')
  ? path.resolve(__dirname, '../../dist/ingest/file-prepare.worker.js')
  : path.join(__dirname, 'file-prepare.worker.js');

export interface IngestRunOptions {
  chunkSize: number;
  /** Re-score the entities each chunk changed (the dynamic half of the method). Default true. */
  rescore?: boolean;
  onChunk?: (rowsDone: number) => void;
}

/**
 * One delivery, however it arrives (file, HTTP, demo seed): rows are buffered into chunks, each
 * chunk is applied in one transaction, and the entities it changed are re-scored right after.
 */
export class IngestRun {
  private readonly ingestor: Ingestor;
  private readonly scorer: Scorer;
  private buffer: RawLine[] = [];
  private rows = 0;
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
  }

  static async start(db: Database, vault: PiiVault, sourceName: string, opts: IngestRunOptions): Promise<IngestRun> {
    const ingestor = new Ingestor(db, vault);
    return new IngestRun(db, vault, await ingestor.startBatch(sourceName), opts, ingestor);
  }

  async push(line: RawLine): Promise<void> {
    this.buffer.push(line);
    if (this.buffer.length >= this.opts.chunkSize) await this.flush();
  }

  async flush(): Promise<void> {
    if (!this.buffer.length) return;
    const prepared = this.ingestor.prepare(this.buffer);
    this.buffer = [];
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
   * A whole delivery file: a worker thread reads and prepares its chunks (the CPU half) while this
   * thread writes them in order, so the two halves overlap on two cores. `onBytes` reports progress.
   */
  async pushFile(file: string, onBytes?: (bytesRead: number) => void): Promise<void> {
    await this.flush();
    const job: FilePrepareJob = {
      file,
      chunkSize: this.opts.chunkSize,
      keys: this.vault.forWorker(),
      ahead: 2,
    };
    const worker = new Worker(PREPARE_WORKER, { workerData: job });
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
      await this.scorer.rescore(r.changedEntityIds, 'ingest');
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
