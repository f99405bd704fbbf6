import fs from 'node:fs';
import { ProgressBar } from '../common/progress';
import { loadConfig } from '../config/config';
import { openDatabase } from '../db/open';
import { readDeliveryFile } from '../ingest/file-source';
import { Ingestor, type RawLine } from '../ingest/ingestor';
import { PiiVault } from '../pii/pii';

/** npm run ingest -- <file.jsonl|csv>: bulk import with progress; bad rows reported by line and field. */
async function main() {
  const file = process.argv[2];
  if (!file || !fs.existsSync(file)) {
    process.stderr.write('用法：npm run ingest -- <file.jsonl|file.csv>\n');
    process.exit(2);
  }
  const config = loadConfig();
  const db = await openDatabase(config);
  const ingestor = new Ingestor(db, new PiiVault(config.PII_ENCRYPTION_KEY, config.PII_HASH_KEY));
  const size = fs.statSync(file).size;
  const bar = new ProgressBar('导入', size);
  const batchId = await ingestor.startBatch(file);
  let bytes = 0;
  let rows = 0;
  let chunk: RawLine[] = [];
  const started = Date.now();
  const flush = async () => {
    if (!chunk.length) return;
    await ingestor.applyChunk(batchId, chunk);
    rows += chunk.length;
    chunk = [];
    bar.update(bytes, `${rows} 行`);
  };
  for await (const line of readDeliveryFile(file, (b) => (bytes = b))) {
    chunk.push(line);
    if (chunk.length >= config.INGEST_CHUNK_SIZE) await flush();
  }
  await flush();
  const report = await ingestor.finishBatch(batchId, 'done');
  const secs = (Date.now() - started) / 1000;
  bar.done(`${rows} 行`);
  const { errors, ...counts } = report;
  process.stdout.write(`${JSON.stringify({ ...counts, seconds: secs, rowsPerSecond: Math.round(rows / secs) })}\n`);
  for (const e of errors.slice(0, 50)) process.stdout.write(`第 ${e.line} 行 ${e.field}: ${e.reason}\n`);
  if (errors.length > 50)
    process.stdout.write(`……另有 ${errors.length - 50} 处错误，见批次 ${batchId} 的 ingest_error\n`);
  await db.close();
}

main().catch((e) => {
  process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
