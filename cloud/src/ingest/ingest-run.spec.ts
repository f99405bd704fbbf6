import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PiiVault } from '../pii/pii';
import { generateDemoRows } from '../seed/generator';
import { createTestDatabase, testBackends, type TestDatabase } from '../testing/test-db';
import { IngestRun } from './ingest-run';

const vault = new PiiVault('11'.repeat(32), '22'.repeat(32));
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'heihe-run-'));
const rows = [...generateDemoRows({ entities: 60, seed: 5, asOf: '2026-11-01' })] as unknown as Record<
  string,
  unknown
>[];
const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))];
const csvCell = (v: unknown) => {
  if (v === null || v === undefined) return '';
  const s = String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/** A delivery as JSONL with a broken line and an invalid row in the middle; the same rows as CSV. */
const jsonl = path.join(dir, 'd.jsonl');
const csv = path.join(dir, 'd.csv');
const lines = rows.map((r) => JSON.stringify(r));
lines.splice(
  10,
  0,
  '{"type": "record", broken',
  JSON.stringify({ ...rows[1], sourceId: 'X-1', occurredOn: '2026/1/1' }),
);
fs.writeFileSync(jsonl, `${lines.join('\n')}\n`);
fs.writeFileSync(
  csv,
  `${columns.join(',')}\n${rows.map((r) => columns.map((c) => csvCell(r[c])).join(',')).join('\n')}\n`,
);
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

async function fingerprint(t: TestDatabase) {
  const [f] = await t.db.query(
    `SELECT (SELECT count(*)::int FROM entity) AS entities,
            (SELECT count(*)::int FROM person) AS persons,
            (SELECT count(*)::int FROM credit_record_version) AS versions,
            (SELECT md5(string_agg(concat_ws(':', r.source_id, v.kind, v.severity, v.amount, v.occurred_on, v.content_hash), ','
               ORDER BY r.source_id)) FROM credit_record_version v JOIN credit_record r ON r.id = v.record_id) AS content,
            (SELECT count(*)::int FROM shareholder) AS shareholders,
            (SELECT count(*)::int FROM investment) AS investments,
            (SELECT count(*)::int FROM financing) AS financings`,
  );
  return f;
}

describe.each(testBackends())('a delivery file ingested through the preparing worker, on %s', (backend) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase(backend);
  }, 60_000);
  beforeEach(() => t.reset());
  afterAll(() => t.drop());

  const ingest = async (file: string, chunkSize: number, how: 'file' | 'rows') => {
    const run = await IngestRun.start(t.db, vault, file, { chunkSize, rescore: false });
    let bytes = 0;
    if (how === 'file') await run.pushFile(file, (b) => (bytes = b));
    else for (const [i, raw] of rows.entries()) await run.push({ line: i + 1, raw });
    return { report: await run.finish(), bytes };
  };

  it('applies every good row, names the bad lines, reports progress, and matches row-by-row ingestion', async () => {
    const { report, bytes } = await ingest(jsonl, 37, 'file');
    expect(report).toMatchObject({ total: rows.length + 2, rejected: 2, inserted: rows.length });
    expect(report.errors.map((e) => [e.line, e.field])).toEqual([
      [11, '(line)'],
      [12, 'occurredOn'],
    ]);
    expect(bytes).toBe(fs.statSync(jsonl).size);
    const viaFile = await fingerprint(t);

    await t.reset();
    await ingest(jsonl, 37, 'rows');
    expect(await fingerprint(t)).toEqual(viaFile);
  });

  it('reads CSV with the same columns to the same database', async () => {
    await ingest(jsonl, 50, 'file');
    const fromJsonl = await fingerprint(t);
    await t.reset();

    const { report } = await ingest(csv, 50, 'file');

    expect(report.rejected).toBe(0);
    expect(await fingerprint(t)).toEqual(fromJsonl);
  });

  it('fails the run, without hanging, when the database refuses a chunk', async () => {
    const bad = path.join(dir, 'overflow.jsonl');
    const reg = rows.find((r) => r.type === 'registration')!;
    fs.writeFileSync(bad, `${JSON.stringify(reg)}\n${JSON.stringify({ ...rows[1], uscc: reg.uscc, amount: 1e30 })}\n`);
    const run = await IngestRun.start(t.db, vault, bad, { chunkSize: 1, rescore: false });

    await expect(run.pushFile(bad).then(() => run.finish())).rejects.toThrow();
  });
});
