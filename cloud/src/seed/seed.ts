import type { Database } from '../db/database';
import { Ingestor } from '../ingest/ingestor';
import type { PiiVault } from '../pii/pii';
import { generateDemoRows, type DemoOptions } from './generator';

export interface SeedResult {
  rows: number;
  inserted: number;
  rejected: number;
}

/** Loads demo data through the same ingestion path a real delivery takes. */
export async function seedDemo(
  db: Database,
  vault: PiiVault,
  opts: DemoOptions & { chunkSize?: number; onProgress?: (entitiesDone: number) => void },
): Promise<SeedResult> {
  const ingestor = new Ingestor(db, vault);
  const batchId = await ingestor.startBatch(`demo-seed-${opts.seed}`);
  const size = opts.chunkSize ?? 5000;
  let line = 0;
  let entities = 0;
  let chunk: { line: number; raw: unknown }[] = [];
  const out: SeedResult = { rows: 0, inserted: 0, rejected: 0 };
  const flush = async () => {
    const r = await ingestor.applyChunk(batchId, chunk);
    out.rows += chunk.length;
    out.inserted += r.inserted;
    out.rejected += r.rejected;
    chunk = [];
    opts.onProgress?.(entities);
  };
  for (const row of generateDemoRows(opts)) {
    if (row.type === 'registration') entities++;
    chunk.push({ line: ++line, raw: row });
    if (chunk.length >= size && row.type === 'registration') await flush();
  }
  if (chunk.length) await flush();
  await ingestor.finishBatch(batchId, 'done');
  return out;
}
