import { Inject, Injectable } from '@nestjs/common';
import type { IngestReport } from '@heihe/shared';
import { Config, type AppConfig } from '../config/config';
import { Database } from '../db/database';
import { PiiVault } from '../pii/pii';
import { Ingestor } from './ingestor';

@Injectable()
export class IngestService {
  private readonly ingestor: Ingestor;

  constructor(
    db: Database,
    vault: PiiVault,
    @Inject(Config.token) private readonly config: AppConfig,
  ) {
    this.ingestor = new Ingestor(db, vault);
  }

  /** An HTTP delivery: one batch, applied in chunks; lines are 1-based positions in `rows`. */
  async ingestRows(sourceName: string, rows: unknown[]): Promise<IngestReport> {
    const batchId = await this.ingestor.startBatch(sourceName);
    const size = this.config.INGEST_CHUNK_SIZE;
    for (let i = 0; i < rows.length; i += size) {
      const chunk = rows.slice(i, i + size).map((raw, j) => ({ line: i + j + 1, raw }));
      await this.ingestor.applyChunk(batchId, chunk);
    }
    return this.ingestor.finishBatch(batchId, 'done');
  }
}
