import type { Clock } from '../common/clock';
import type { Database } from '../db/database';
import { IngestRun } from '../ingest';
import type { PiiVault } from '../pii';
import { generateDemoRows, type DemoOptions } from './generator';

export interface SeedResult {
  rows: number;
  inserted: number;
  rejected: number;
  scored: number;
}

/** Loads demo data through the same ingestion path (and dynamic re-score) a real delivery takes. */
export async function seedDemo(
  db: Database,
  vault: PiiVault,
  opts: DemoOptions & {
    chunkSize?: number;
    rescore?: boolean;
    onProgress?: (entitiesDone: number) => void;
    /** The deliveries' system time (default: now). */
    clock?: Clock;
  },
): Promise<SeedResult> {
  let entities = 0;
  const run = await IngestRun.start(db, vault, `demo-seed-${opts.seed}`, {
    chunkSize: opts.chunkSize ?? 5000,
    rescore: opts.rescore,
    clock: opts.clock,
    onChunk: () => opts.onProgress?.(entities),
  });
  let line = 0;
  for (const row of generateDemoRows(opts)) {
    if (row.type === 'registration') entities++;
    await run.push({ line: ++line, raw: row });
  }
  const r = await run.finish();
  return { rows: r.total, inserted: r.inserted, rejected: r.rejected, scored: run.rescored };
}
