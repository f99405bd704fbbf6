import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MIGRATIONS_DIR } from '../db/open';
import { Database } from '../db/database';
import { migrate } from '../db/migrator';
import { IngestRun } from '../ingest';
import { PiiVault } from '../pii';
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

/** The floor's table: the delivery's columns, typed, no keys or indexes. */
const COPY_FLOOR_TABLE = `CREATE TABLE copy_floor (${COLUMNS.map(
  (k) => `"${k}" ${/On$|validFrom|validTo/.test(k) ? 'date' : /amount|Capital|ratio/.test(k) ? 'numeric' : 'text'}`,
).join(', ')})`;

function csvCell(v: unknown): string {
  if (v === null || v === undefined) return '';
  const s = String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Empties every table but the migration history. */
async function empty(db: Database): Promise<void> {
  const tables = await db.query<{ name: string }>(
    `SELECT quote_ident(tablename) AS name FROM pg_tables WHERE schemaname = 'public' AND tablename <> '_prisma_migrations'`,
  );
  await db.query(`TRUNCATE ${tables.map((t) => t.name).join(', ')} RESTART IDENTITY CASCADE`);
}

/**
 * A delivery that repeats one key N times (each row with other content: the last wins) against N
 * distinct rows, both after their entity's registration: through a file (the CLI's path, chunks of
 * 5,000) and as one array (the HTTP path, chunks of 2,000, INGEST_CHUNK_SIZE's default), each
 * into an emptied database, the best of three, alternating.
 */
async function repeatedKeys(dir: string, n: number) {
  const [reg] = generateDemoRows({ entities: 1, seed: 42, asOf: '2026-11-01' });
  const penalty = (sourceId: string, i: number) => ({
    type: 'record',
    kind: 'penalty',
    sourceSystem: 'scjg',
    sourceId,
    uscc: reg!.uscc,
    severity: 'general',
    occurredOn: '2026-06-01',
    documentNo: `黑市监罚〔2026〕${i}号`,
    summary: `第 ${i} 份`,
  });
  const deliveries = {
    distinct: [reg, ...Array.from({ length: n }, (_, i) => penalty(`PEN-${i}`, i))],
    repeated: [reg, ...Array.from({ length: n }, (_, i) => penalty('PEN-0', i))],
  };
  const bench = await freshBenchDatabase('ingest_repeats');
  await migrate({ kind: 'postgres', url: bench.url }, { migrationsDir: MIGRATIONS_DIR });
  const db = await Database.open({ kind: 'postgres', url: bench.url }, { poolSize: 2 });
  const vault = new PiiVault('11'.repeat(32), '22'.repeat(32));
  const timed = async (kind: keyof typeof deliveries, how: 'file' | 'rows') => {
    await empty(db);
    const rows = deliveries[kind];
    const file = path.join(dir, `${kind}.jsonl`);
    if (how === 'file') fs.writeFileSync(file, `${rows.map((r) => JSON.stringify(r)).join('\n')}\n`);
    const t = process.hrtime.bigint();
    const run = await IngestRun.start(db, vault, kind, { chunkSize: how === 'file' ? 5000 : 2000, rescore: false });
    if (how === 'file') await run.pushFile(file);
    else await run.pushRows(rows.map((raw, i) => ({ line: i + 1, raw })));
    const report = await run.finish();
    const seconds = secs(t);
    const expected = kind === 'distinct' ? { inserted: n + 1, superseded: 0 } : { inserted: 2, superseded: n - 1 };
    if (report.inserted !== expected.inserted || report.superseded !== expected.superseded || report.rejected)
      throw new Error(`${kind} via ${how}: unexpected report ${JSON.stringify(report)}`);
    return seconds;
  };
  const out = {} as Record<'file' | 'rows', { distinct: number; repeated: number; ratio: number }>;
  for (const how of ['file', 'rows'] as const) {
    const best = { distinct: Infinity, repeated: Infinity };
    for (let i = 0; i < 3; i++)
      for (const kind of ['distinct', 'repeated'] as const) best[kind] = Math.min(best[kind], await timed(kind, how));
    out[how] = {
      distinct: +best.distinct.toFixed(3),
      repeated: +best.repeated.toFixed(3),
      ratio: +(best.repeated / best.distinct).toFixed(2),
    };
  }
  await db.close();
  await bench.drop();
  return { rows: n, file: out.file, http: out.rows };
}

/**
 * npm run bench:ingest [-- --records 1000000] [--repeats 10000] [--repeats-only]: ingests a
 * generated delivery of about N rows into a fresh PostgreSQL database, then the same file again
 * (which must change nothing), and in the same run times a bare COPY of the same rows into a
 * table: the floor any loader stands on. Then a delivery repeating one key against as many
 * distinct rows (`repeatedKeys`).
 */
async function main() {
  const repeats = arg('repeats', 10_000);
  if (process.argv.includes('--repeats-only')) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'heihe-bench-'));
    reportRepeats(await repeatedKeys(dir, repeats));
    fs.rmSync(dir, { recursive: true, force: true });
    return;
  }
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
  psql(bench.url, COPY_FLOOR_TABLE);
  // The best of three (each into an emptied table): the floor is the fastest the server loads these rows.
  const copyRuns = [0, 1, 2].map(() => {
    psql(bench.url, 'TRUNCATE copy_floor');
    return psql(bench.url, `\\copy copy_floor FROM '${csv}' CSV HEADER`);
  });
  const copySecs = Math.min(...copyRuns);

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
        `SELECT count(*)::int AS v, count(DISTINCT record_id)::int AS r, max(id)::float8 AS max FROM credit_record_version`,
      )
    )[0];
  const before = await snapshot();
  const second = await ingest(false);
  const after = await snapshot();

  // The write floor: the records alone, already typed and loaded, inserted into the versioned schema
  // (identity row + version row, their indexes and foreign keys) with nothing validated, hashed or
  // compared. Whatever ingestion does on top, it cannot be faster than this.
  const scratch = await freshBenchDatabase('ingest_write');
  await migrate({ kind: 'postgres', url: scratch.url }, { migrationsDir: MIGRATIONS_DIR });
  psql(scratch.url, COPY_FLOOR_TABLE);
  psql(scratch.url, `\\copy copy_floor FROM '${csv}' CSV HEADER`);
  psql(
    scratch.url,
    `INSERT INTO entity (uscc, bucket, uscc_checksum_ok, name, type, established_on, registered_capital, paid_in_capital,
       industry_code, region_code, updated_at)
     SELECT DISTINCT ON (uscc) uscc, uscc_bucket(uscc), true, name, "entityType", "establishedOn", "registeredCapital", "paidInCapital",
       "industryCode", "regionCode", now() FROM copy_floor WHERE type = 'registration'`,
  );
  const writeSecs =
    psql(
      scratch.url,
      `INSERT INTO credit_record (entity_id, bucket, kind, source_system, source_id)
       SELECT e.id, e.bucket, coalesce(f.kind, 'registration')::"RecordKind", f."sourceSystem", f."sourceId"
       FROM copy_floor f JOIN entity e ON e.uscc = f.uscc COLLATE "C" WHERE f.type IN ('registration', 'record')`,
    ) +
    psql(
      scratch.url,
      `INSERT INTO credit_record_version (record_id, entity_id, bucket, kind, version, status, category, severity, amount,
         grade, occurred_on, valid_from, valid_to, payload, content_hash, recorded_at)
       SELECT r.id, r.entity_id, r.bucket, r.kind, 1, 'active', f.category, f.severity::"Severity", f.amount, f.grade,
         coalesce(f."occurredOn", f."establishedOn"), coalesce(f."validFrom", f."occurredOn", f."establishedOn"),
         f."validTo", json_build_object('documentNo', f."documentNo")::jsonb, md5(f."sourceId") || md5(f."sourceId"), now()
       FROM copy_floor f JOIN credit_record r
         ON r.source_system = f."sourceSystem" COLLATE "C" AND r.source_id = f."sourceId" COLLATE "C"`,
    );
  await scratch.drop();

  const out = {
    rows,
    copyFloor: {
      seconds: +copySecs.toFixed(2),
      runs: copyRuns.map((r) => +r.toFixed(2)),
      rowsPerSecond: Math.round(rows / copySecs),
    },
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
    writeFloor: { seconds: +writeSecs.toFixed(2), ratioToCopy: +(writeSecs / copySecs).toFixed(2) },
    ratioToCopy: +(first.seconds / copySecs).toFixed(2),
    ratioToWriteFloor: +(first.seconds / writeSecs).toFixed(2),
  };
  process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
  process.stdout.write(`ingest took ${out.ratioToCopy}× the time of a bare COPY of the same rows (goal: within 3×)\n`);
  process.stdout.write(
    `merely inserting its records into the versioned tables took ${out.writeFloor.ratioToCopy}× that COPY; ingest took ${out.ratioToWriteFloor}× that write floor\n`,
  );
  await db.close();
  await bench.drop();
  reportRepeats(await repeatedKeys(dir, repeats));
  fs.rmSync(dir, { recursive: true, force: true });
}

function reportRepeats(r: Awaited<ReturnType<typeof repeatedKeys>>) {
  process.stdout.write(`${JSON.stringify({ repeatedKeys: r }, null, 2)}\n`);
  for (const how of ['file', 'http'] as const)
    process.stdout.write(
      `${r.rows} rows of one key took ${r[how].ratio}× the time of ${r.rows} distinct rows (${how}; goal: within 2×)\n`,
    );
}

main().catch((e) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
