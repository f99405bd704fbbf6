import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MIGRATIONS_DIR } from '../db/open';
import { Database } from '../db/database';
import { migrate } from '../db/migrator';
import { IngestRun } from '../ingest/ingest-run';
import { PiiVault } from '../pii/pii';
import { generateDemoRows } from '../seed/generator';
import { arg, freshBenchDatabase, psql, secs } from './bench-db';

const COLUMNS = [
  'type',
  'sourceSystem',
  'sourceId',
  'uscc',
  'kind',
  'status',
  'category',
  'severity',
  'amount',
  'grade',
  'occurredOn',
  'validFrom',
  'validTo',
  'documentNo',
  'authority',
  'summary',
  'name',
  'entityType',
  'establishedOn',
  'registeredCapital',
  'paidInCapital',
  'industryCode',
  'regionCode',
  'legalRepName',
  'legalRepIdNumber',
  'holderName',
  'holderUscc',
  'holderIdNumber',
  'ratio',
  'investeeUscc',
  'investeeName',
  'round',
  'investors',
] as const;

function csvCell(v: unknown): string {
  if (v === null || v === undefined) return '';
  const s = String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * npm run bench:ingest [-- --records 1000000]: ingests a generated delivery of about N rows into
 * a fresh PostgreSQL database, then the same file again (which must change nothing), and in the
 * same run times a bare COPY of the same rows into a table: the floor any loader stands on.
 */
async function main() {
  const target = arg('records', 1_000_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'heihe-bench-'));
  const jsonl = path.join(dir, 'delivery.jsonl');
  const csv = path.join(dir, 'delivery.csv');
  const j = fs.createWriteStream(jsonl);
  const c = fs.createWriteStream(csv);
  c.write(`${COLUMNS.join(',')}\n`);
  let rows = 0;
  for (const row of generateDemoRows({ entities: Math.ceil(target / 9.5), seed: 42, asOf: '2026-11-01' })) {
    if (rows >= target && row.type === 'registration') break;
    j.write(`${JSON.stringify(row)}\n`);
    c.write(`${COLUMNS.map((k) => csvCell((row as Record<string, unknown>)[k])).join(',')}\n`);
    rows++;
  }
  await Promise.all([new Promise((r) => j.end(r)), new Promise((r) => c.end(r))]);
  process.stdout.write(`generated ${rows} rows (${(fs.statSync(jsonl).size / 1e6).toFixed(0)} MB JSONL)\n`);

  const bench = await freshBenchDatabase('ingest');
  await migrate({ kind: 'postgres', url: bench.url }, { migrationsDir: MIGRATIONS_DIR });
  psql(
    bench.url,
    `CREATE TABLE copy_floor (${COLUMNS.map((k) => `"${k}" ${/On$|validFrom|validTo/.test(k) ? 'date' : /amount|Capital|ratio/.test(k) ? 'numeric' : 'text'}`).join(', ')})`,
  );
  const copySecs = psql(bench.url, `\\copy copy_floor FROM '${csv}' CSV HEADER`);

  const db = await Database.open({ kind: 'postgres', url: bench.url }, { poolSize: 2 });
  const vault = new PiiVault('11'.repeat(32), '22'.repeat(32));
  const ingest = async (rescore: boolean) => {
    const t = process.hrtime.bigint();
    const run = await IngestRun.start(db, vault, jsonl, { chunkSize: 5000, rescore });
    await run.pushFile(jsonl);
    const report = await run.finish();
    return { seconds: secs(t), report };
  };
  const first = await ingest(false);
  const snapshot = async () =>
    (
      await db.query<{ v: number; r: number; max: number }>(
        `SELECT count(*)::int AS v, count(DISTINCT record_id)::int AS r, max(id)::int AS max FROM credit_record_version`,
      )
    )[0];
  const before = await snapshot();
  const second = await ingest(false);
  const after = await snapshot();

  const out = {
    rows,
    copyFloor: { seconds: +copySecs.toFixed(2), rowsPerSecond: Math.round(rows / copySecs) },
    firstIngest: {
      seconds: +first.seconds.toFixed(2),
      rowsPerSecond: Math.round(rows / first.seconds),
      inserted: first.report.inserted,
      rejected: first.report.rejected,
    },
    secondIngest: {
      seconds: +second.seconds.toFixed(2),
      unchanged: second.report.unchanged,
      inserted: second.report.inserted,
      versioned: second.report.versioned,
    },
    databaseUnchangedBySecondIngest: JSON.stringify(before) === JSON.stringify(after),
    ratioToCopy: +(first.seconds / copySecs).toFixed(2),
  };
  process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
  process.stdout.write(`ingest took ${out.ratioToCopy}× the time of a bare COPY of the same rows (goal: within 3×)\n`);
  await db.close();
  await bench.drop();
  fs.rmSync(dir, { recursive: true, force: true });
}

main().catch((e) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
