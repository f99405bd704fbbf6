import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { IngestRun } from '../../cloud/src/ingest/ingest-run';
import { PiiVault } from '../../cloud/src/pii/pii';
import { generateDemoRows } from '../../cloud/src/seed/generator';
import { createTestDatabase, testBackends, type TestDatabase } from '../../cloud/src/testing/test-db';

const vault = new PiiVault('11'.repeat(32), '22'.repeat(32));

/** One line in every 100 of a 10,000-row delivery broken, in one of five ways a sender gets wrong. */
const BREAKS: [string, (row: Record<string, unknown>) => string][] = [
  ['occurredOn', (r) => JSON.stringify({ ...r, type: 'record', kind: 'penalty', occurredOn: '2026/06/01' })],
  ['uscc', (r) => JSON.stringify({ ...r, uscc: '91231102MA00000' })],
  ['(line)', (r) => JSON.stringify(r).slice(0, -3)],
  ['sourceId', (r) => JSON.stringify({ ...r, sourceId: '' })],
  ['type', (r) => JSON.stringify({ ...r, type: 'rumour' })],
];

describe.each(testBackends())('a delivery with 1%% bad rows, on %s', (backend) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'heihe-bad-'));
  const file = path.join(dir, 'delivery.jsonl');
  const expected: { line: number; field: string }[] = [];
  let good = 0;
  let t: TestDatabase;

  beforeAll(async () => {
    const lines: string[] = [];
    let due = false;
    for (const row of generateDemoRows({ entities: 1100, seed: 21, asOf: '2026-11-01' })) {
      if (lines.length === 10_000) break;
      const r = row as unknown as Record<string, unknown>;
      const n = lines.length + 1;
      if (n % 100 === 0) due = true;
      // Registrations stay intact, so every good row's entity exists: a break due on one falls on the next row.
      if (due && r.type !== 'registration') {
        due = false;
        const [field, broken] = BREAKS[expected.length % BREAKS.length]!;
        expected.push({ line: n, field });
        lines.push(broken(r));
      } else {
        good++;
        lines.push(JSON.stringify(r));
      }
    }
    fs.writeFileSync(file, `${lines.join('\n')}\n`);
    t = await createTestDatabase(backend);
  }, 120_000);
  afterAll(async () => {
    await t?.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const ingest = async () => {
    const run = await IngestRun.start(t.db, vault, file, { chunkSize: 1000, rescore: false });
    await run.pushFile(file);
    return run.finish();
  };

  it('imports every good row and names every bad row by line and field', async () => {
    const report = await ingest();

    expect(expected.length).toBe(100);
    expect(report.total).toBe(10_000);
    expect(report.inserted).toBe(good);
    expect(report.rejected).toBe(expected.length);
    expect(report.errors.map((e) => ({ line: e.line, field: e.field }))).toEqual(expected);
    for (const e of report.errors) expect(e.reason.length).toBeGreaterThan(2);
  }, 120_000);

  it('changes nothing when the same file is delivered again', async () => {
    const before = await t.db.query(
      `SELECT (SELECT count(*) FROM credit_record_version) AS v, (SELECT max(id) FROM credit_record_version) AS m,
              (SELECT count(*) FROM shareholder) AS s, (SELECT count(*) FROM entity) AS e`,
    );

    const again = await ingest();

    expect(again).toMatchObject({ inserted: 0, versioned: 0, unchanged: good, rejected: expected.length });
    expect(
      await t.db.query(
        `SELECT (SELECT count(*) FROM credit_record_version) AS v, (SELECT max(id) FROM credit_record_version) AS m,
                (SELECT count(*) FROM shareholder) AS s, (SELECT count(*) FROM entity) AS e`,
      ),
    ).toEqual(before);
  }, 120_000);
});
