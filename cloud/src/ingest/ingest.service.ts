import { Inject, Injectable } from '@nestjs/common';
import type { IngestReport } from '@heihe/shared';
import { Clock } from '../common/clock';
import { Config, type AppConfig } from '../config/config';
import { Database } from '../db/database';
import { PiiVault } from '../pii';
import { IngestRun } from './ingest-run';

@Injectable()
export class IngestService {
  constructor(
    private readonly db: Database,
    private readonly vault: PiiVault,
    @Inject(Config.token) private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  /** An HTTP delivery: one batch; lines are 1-based positions in `rows`. */
  async ingestRows(sourceName: string, rows: unknown[]): Promise<IngestReport> {
    const run = await IngestRun.start(this.db, this.vault, sourceName, {
      chunkSize: this.config.INGEST_CHUNK_SIZE,
      bucketGroups: this.config.INGEST_BUCKET_GROUPS,
      clock: this.clock,
    });
    await run.pushRows(rows.map((raw, i) => ({ line: i + 1, raw })));
    return run.finish();
  }
}
