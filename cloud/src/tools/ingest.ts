import fs from 'node:fs';
import { ProgressBar } from '../common/progress';
import { loadConfig } from '../config/config';
import { openDatabase } from '../db/open';
import { ModelRepository } from '../scoring';
import { IngestRun } from '../ingest';
import { PiiVault } from '../pii';

/**
 * npm run ingest -- <file.jsonl|csv> [--no-rescore]: bulk import with a progress bar; bad rows are
 * reported by line and field. A killed run leaves whole chunks applied; running it again completes it.
 */
async function main() {
  const file = process.argv[2];
  if (!file || !fs.existsSync(file)) {
    process.stderr.write('用法：npm run ingest -- <file.jsonl|file.csv> [--no-rescore]\n');
    process.exit(2);
  }
  const config = loadConfig();
  const db = await openDatabase(config);
  await new ModelRepository(db).ensureDefaultModel();
  const bar = new ProgressBar('导入', fs.statSync(file).size);
  let bytes = 0;
  const started = Date.now();
  const run = await IngestRun.start(db, PiiVault.fromConfig(config), file, {
    chunkSize: config.INGEST_CHUNK_SIZE,
    bucketGroups: config.INGEST_BUCKET_GROUPS,
    rescore: !process.argv.includes('--no-rescore'),
    onChunk: (rows) => bar.update(bytes, `${rows} 行`),
  });
  await run.pushFile(file, (b) => (bytes = b));
  const { errors, ...counts } = await run.finish();
  const secs = (Date.now() - started) / 1000;
  bar.done(`${counts.total} 行`);
  process.stdout.write(
    `${JSON.stringify({ ...counts, rescored: run.rescored, seconds: secs, rowsPerSecond: Math.round(counts.total / secs) })}\n`,
  );
  for (const e of errors.slice(0, 50)) process.stdout.write(`第 ${e.line} 行 ${e.field}: ${e.reason}\n`);
  if (errors.length > 50)
    process.stdout.write(`……另有 ${errors.length - 50} 处错误，见 ingest_batch ${counts.batchId} 的 ingest_error\n`);
  await db.close();
}

main().catch((e) => {
  process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
