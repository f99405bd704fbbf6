import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SUPERSEDED_LINES_LISTED, type IngestReport } from '@heihe/shared';
import { PiiVault } from '../pii';
import { generateDemoRows } from '../seed/generator';
import { createTestDatabase, refuseInserts, testBackends, type TestDatabase } from '../testing/test-db';
import { IngestRun } from './ingest-run';
import type { RawLine } from './prepare';

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
            (SELECT md5(string_agg(concat_ws(':', uscc, name, paid_in_capital), ',' ORDER BY uscc)) FROM entity) AS names,
            (SELECT count(*)::int FROM shareholder) AS shareholders,
            (SELECT md5(string_agg(concat_ws(':', source_id, amount), ',' ORDER BY source_id)) FROM shareholder) AS holdings,
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
  }, 30_000);

  it('reads CSV with the same columns to the same database', async () => {
    await ingest(jsonl, 50, 'file');
    const fromJsonl = await fingerprint(t);
    await t.reset();

    const { report } = await ingest(csv, 50, 'file');

    expect(report.rejected).toBe(0);
    expect(await fingerprint(t)).toEqual(fromJsonl);
  }, 30_000);

  it('fails the run, without hanging, when the database refuses a chunk', async () => {
    const bad = path.join(dir, 'refused.jsonl');
    const reg = rows.find((r) => r.type === 'registration')!;
    const record = rows.find((r) => r.type === 'record' && r.uscc === reg.uscc)!;
    fs.writeFileSync(bad, `${JSON.stringify(reg)}\n${JSON.stringify({ ...record, summary: 'refuse' })}\n`);
    const undo = await refuseInserts(t.db, 'credit_record_version', `NEW.payload->>'summary' = 'refuse'`);
    try {
      const run = await IngestRun.start(t.db, vault, bad, { chunkSize: 1, rescore: false });
      await expect(run.pushFile(bad).then(() => run.finish())).rejects.toThrow();
    } finally {
      await undo();
    }
  });
});

/** The same row as delivered earlier with other content: a later delivery of it supersedes this one. */
function earlier(r: Record<string, unknown>): Record<string, unknown> {
  switch (r.type) {
    case 'registration':
      return { ...r, name: `${String(r.name)}（旧）`, paidInCapital: Number(r.paidInCapital) + 1 };
    case 'record':
      return { ...r, summary: '将被更正' };
    default:
      return { ...r, amount: Number(r.amount) + 1 };
  }
}

/**
 * The demo delivery with every fifth row delivered three times: an earlier version at the head of
 * the delivery (chunks before its own, and before its entity's registration), the same again just
 * before it (its own chunk, mostly), then the row itself. The last row per key is the demo row.
 */
const picked = rows.filter((_, i) => i % 5 === 0);
const delivery = [
  ...picked.map((r) => ({ raw: earlier(r), replaced: true })),
  ...rows.flatMap((r, i) => [
    ...(i % 5 === 0 ? [{ raw: earlier(r), replaced: true }] : []),
    { raw: r, replaced: false },
  ]),
];
const repeated = delivery.map((d) => d.raw);
const supersededLines = delivery.flatMap((d, i) => (d.replaced ? [i + 1] : []));
const numbered = (from: Record<string, unknown>[]): RawLine[] => from.map((raw, i) => ({ line: i + 1, raw }));

describe.each(testBackends())('a delivery that repeats keys, on %s', (backend) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase(backend);
  }, 60_000);
  beforeEach(() => t.reset());
  afterAll(() => t.drop());

  const deliver = async (lines: RawLine[], how: 'rows' | 'file', chunkSize = 37): Promise<IngestReport> => {
    const run = await IngestRun.start(t.db, vault, how, { chunkSize, rescore: false });
    if (how === 'rows') await run.pushRows(lines);
    else {
      const file = path.join(dir, `repeated-${backend}.jsonl`);
      fs.writeFileSync(file, `${lines.map((l) => JSON.stringify(l.raw)).join('\n')}\n`);
      await run.pushFile(file);
    }
    return run.finish();
  };

  it.each(['rows', 'file'] as const)(
    'ends as the delivery of only the last row per key would, repeats within and across chunks alike (%s)',
    async (how) => {
      await deliver(numbered(rows), how);
      const deduplicated = await fingerprint(t);
      await t.reset();

      const report = await deliver(numbered(repeated), how);

      expect(await fingerprint(t)).toEqual(deduplicated);
      expect(report).toMatchObject({
        total: repeated.length,
        inserted: rows.length,
        versioned: 0,
        rejected: 0,
        superseded: 2 * picked.length,
        errors: [],
      });
      expect(report.supersededLines).toEqual(supersededLines);

      const again = await deliver(numbered(repeated), how);

      expect(again).toMatchObject({ inserted: 0, versioned: 0, unchanged: rows.length, superseded: 2 * picked.length });
      expect(await fingerprint(t)).toEqual(deduplicated);
    },
    60_000,
  );

  it('counts every superseded line, lists the first ones, and keeps the last row', async () => {
    const reg = rows.find((r) => r.type === 'registration')!;
    const record = rows.find((r) => r.type === 'record' && r.uscc === reg.uscc)!;
    const n = SUPERSEDED_LINES_LISTED + 500;
    const lines = numbered([reg, ...Array.from({ length: n }, (_, i) => ({ ...record, summary: `第 ${i} 次` }))]);

    const report = await deliver(lines, 'rows', 400);

    expect(report).toMatchObject({ total: n + 1, inserted: 2, superseded: n - 1 });
    expect(report.supersededLines).toEqual(Array.from({ length: SUPERSEDED_LINES_LISTED }, (_, i) => i + 2));
    const current = await t.db.query<{ summary: string }>(
      `SELECT payload->>'summary' AS summary FROM credit_record_version WHERE kind <> 'registration'`,
    );
    expect(current).toEqual([{ summary: `第 ${n - 1} 次` }]);
  }, 60_000);

  it('resolves a streamed repeat within a chunk, and refuses one of a chunk already written', async () => {
    const reg = rows.find((r) => r.type === 'registration')!;
    const record = rows.find((r) => r.type === 'record' && r.uscc === reg.uscc)!;
    const run = await IngestRun.start(t.db, vault, 'stream', { chunkSize: 3, rescore: false });
    await run.push({ line: 1, raw: reg });
    await run.push({ line: 2, raw: earlier(record) });
    await run.push({ line: 3, raw: record });

    await expect(run.push({ line: 4, raw: earlier(record) })).rejects.toThrow(/earlier chunk/);
    expect(await run.finish()).toMatchObject({ inserted: 2, superseded: 1, supersededLines: [2] });
  });
});
