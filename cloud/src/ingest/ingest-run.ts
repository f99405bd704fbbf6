import type { IngestReport } from '@heihe/shared';
import type { Database } from '../db/database';
import type { PiiVault } from '../pii/pii';
import { Scorer } from '../scoring/scorer';
import { Ingestor, type PreparedChunk, type RawLine } from './ingestor';

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
    vault: PiiVault,
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
    await this.inflight;
    this.inflight = this.apply(prepared);
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
