import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { makeIdNumber, makeUscc, type IngestReport } from '@heihe/shared';
import { bucketGroup, usccBucket } from '../db/shard';
import { PiiVault } from '../pii';
import { generateDemoRows } from '../seed/generator';
import { createTestDatabase, testBackends, type TestDatabase } from '../testing/test-db';
import { ChunkCutter } from './cut';
import { IngestRun } from './ingest-run';
import { Ingestor, type PreparedChunk, type RawLine } from './ingestor';

/** Ingestion per bucket (ADR 0024): chunks cut by bucket group, and chunks of different buckets at once. */

const vault = new PiiVault('11'.repeat(32), '22'.repeat(32));
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'heihe-buckets-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

type Row = Record<string, unknown>;
const rows = [...generateDemoRows({ entities: 60, seed: 5, asOf: '2026-11-01' })] as unknown as Row[];
const numbered = (from: unknown[]): RawLine[] => from.map((raw, i) => ({ line: i + 1, raw }));
const withoutBatch = ({ batchId: _, ...r }: IngestReport) => r;

/** What a delivery leaves in the database, without ids (which follow the order chunks commit in). */
async function fingerprint(t: TestDatabase) {
  const [f] = await t.db.query(
    `SELECT (SELECT count(*)::int FROM entity) AS entities,
            (SELECT count(*)::int FROM person) AS persons,
            (SELECT count(*)::int FROM credit_record_version) AS versions,
            (SELECT md5(string_agg(concat_ws(':', r.source_id, v.version, v.kind, v.status, v.severity, v.amount,
               v.occurred_on, v.content_hash, e.uscc), ',' ORDER BY r.source_id, v.version))
               FROM credit_record_version v JOIN credit_record r ON r.id = v.record_id JOIN entity e ON e.id = v.entity_id) AS content,
            (SELECT md5(string_agg(concat_ws(':', e.uscc, e.name, e.paid_in_capital, p.id_number_hash), ',' ORDER BY e.uscc))
               FROM entity e LEFT JOIN person p ON p.id = e.legal_rep_id) AS entities_,
            (SELECT md5(string_agg(concat_ws(':', id_number_hash, name, id_number_masked), ',' ORDER BY id_number_hash))
               FROM person) AS people,
            (SELECT md5(string_agg(concat_ws(':', s.source_id, s.amount, s.ratio, p.id_number_hash), ',' ORDER BY s.source_id))
               FROM shareholder s LEFT JOIN person p ON p.id = s.holder_person_id) AS holdings,
            (SELECT md5(string_agg(concat_ws(':', e.uscc, p.id_number_hash, ep.role), ',' ORDER BY e.uscc, p.id_number_hash, ep.role))
               FROM entity_person ep JOIN entity e ON e.id = ep.entity_id JOIN person p ON p.id = ep.person_id) AS key_persons,
            (SELECT count(*)::int FROM investment) AS investments,
            (SELECT count(*)::int FROM financing) AS financings`,
  );
  return f;
}

/** The same row as delivered earlier with other content: the later delivery of it supersedes this one. */
function earlier(r: Row): Row {
  if (r.type === 'registration') return { ...r, name: `${String(r.name)}（旧）` };
  if (r.type === 'record') return { ...r, summary: '将被更正' };
  return { ...r, amount: Number(r.amount) + 1 };
}

/**
 * The demo delivery with what a real one carries: an unparsable line, an invalid row, a row of an
 * unregistered entity, and every seventh row delivered before in another version (superseded).
 */
const messy: RawLine[] = (() => {
  const out: unknown[] = [];
  rows.forEach((r, i) => {
    if (i % 7 === 3) out.push(earlier(r));
    out.push(r);
    if (i === 20) out.push({ ...rows.find((x) => x.type === 'record'), sourceId: 'BAD-DATE', occurredOn: '2026/1/1' });
    if (i === 40)
      out.push({ ...rows.find((x) => x.type === 'record'), sourceId: 'NOREG', uscc: makeUscc('91231102MA9999999') });
  });
  const lines = numbered(out);
  lines.splice(30, 0, { line: -1, raw: null, error: '无法解析的行' });
  return lines.map((l, i) => ({ ...l, line: i + 1 }));
})();

async function deliver(
  t: TestDatabase,
  lines: RawLine[],
  opts: { how?: 'rows' | 'file'; groups?: number; chunkSize?: number; name?: string } = {},
): Promise<IngestReport> {
  const run = await IngestRun.start(t.db, vault, opts.name ?? 'buckets', {
    chunkSize: opts.chunkSize ?? 37,
    bucketGroups: opts.groups,
    rescore: false,
  });
  if (opts.how === 'file') {
    const file = path.join(dir, `${opts.name ?? 'd'}-${process.hrtime.bigint()}.jsonl`);
    fs.writeFileSync(file, `${lines.map((l) => (l.error ? '{"broken' : JSON.stringify(l.raw))).join('\n')}\n`);
    await run.pushFile(file);
  } else await run.pushRows(lines);
  return run.finish();
}

describe('ChunkCutter', () => {
  const lines = numbered(rows);
  const chunksOf = (c: ChunkCutter) => {
    const out: RawLine[][] = [];
    for (const l of lines) {
      const full = c.add(l);
      if (full) out.push(full);
    }
    return [...out, ...c.rest()];
  };

  it('cuts one group into the consecutive slices of the delivery', () => {
    const chunks = chunksOf(new ChunkCutter(37));
    expect(chunks.map((c) => c.map((l) => l.line))).toEqual(
      Array.from({ length: Math.ceil(lines.length / 37) }, (_, i) =>
        lines.slice(i * 37, (i + 1) * 37).map((l) => l.line),
      ),
    );
  });

  it('cuts groups into chunks of one group, each in delivery order, every line once', () => {
    const cutter = new ChunkCutter(37, 4);
    const chunks = chunksOf(cutter);
    for (const c of chunks) {
      expect(c.length).toBeLessThanOrEqual(37);
      expect(new Set(c.map((l) => cutter.groupOf(l))).size).toBe(1);
      expect(c.map((l) => l.line)).toEqual(c.map((l) => l.line).sort((a, b) => a - b));
    }
    expect(new Set(chunks.map((c) => cutter.groupOf(c[0]!))).size).toBe(4);
    expect(
      chunks
        .flat()
        .map((l) => l.line)
        .sort((a, b) => a - b),
    ).toEqual(lines.map((l) => l.line));
    expect(cutter.groupOf({ line: 1, raw: null, error: 'x' })).toBe(0);
    expect(() => new ChunkCutter(37, 0)).toThrow(RangeError);
  });
});

describe.each(testBackends())('a delivery cut by bucket group, on %s', (backend) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase(backend);
  }, 60_000);
  beforeEach(() => t.reset());
  afterEach(() => jest.restoreAllMocks());
  afterAll(() => t.drop());

  it.each([
    ['rows', 8],
    ['file', 8],
    // One bucket a chunk: its statements name the bucket on every bucketed table (ADR 0025).
    ['rows', 4096],
  ] as const)(
    'gives the report and the database of the delivery cut in slices, each chunk of one group (%s, %i groups)',
    async (how, groups) => {
      const slices = await deliver(t, messy, { how });
      const before = await fingerprint(t);
      await t.reset();
      const chunks: PreparedChunk[] = [];
      const apply = Ingestor.prototype.apply;
      jest.spyOn(Ingestor.prototype, 'apply').mockImplementation(function (this: Ingestor, batchId, prepared) {
        chunks.push(prepared);
        return apply.call(this, batchId, prepared);
      });

      const grouped = await deliver(t, messy, { how, groups });

      expect(withoutBatch(grouped)).toEqual(withoutBatch(slices));
      expect(slices.errors.map((e) => e.line)).toHaveLength(3);
      expect(slices.superseded).toBeGreaterThan(5);
      expect(await fingerprint(t)).toEqual(before);
      const groupsOf = (c: PreparedChunk) => new Set(c.buckets.map((b) => bucketGroup(b, groups)));
      expect(chunks.filter((c) => groupsOf(c).size > 1)).toEqual([]);
      expect(new Set(chunks.flatMap((c) => [...groupsOf(c)])).size).toBe(
        groups === 8 ? 8 : new Set(chunks.flatMap((c) => c.buckets)).size,
      );
      if (groups === 4096) expect(chunks.every((c) => c.buckets.length <= 1)).toBe(true);
      expect(chunks.reduce((n, c) => n + c.lines, 0)).toBe(messy.length);
    },
    120_000,
  );

  it.each([37, 5000])(
    'numbers records in the order they were delivered, whatever else shares the chunk (chunks of %i)',
    async (chunkSize) => {
      // The engine reads an entity's facts in record-id order and breaks ties by it: the same
      // delivery cut per shard must number each entity's records alike (sim:shards).
      await deliver(t, numbered(rows), { chunkSize });
      const delivered = rows.filter((r) => r.type === 'registration' || r.type === 'record').map((r) => r.sourceId);
      const numberedRecords = await t.db.query<{ source_id: string }>(
        `SELECT source_id FROM credit_record ORDER BY id`,
      );
      expect(numberedRecords.map((r) => r.source_id)).toEqual(delivered);
    },
    60_000,
  );

  it('resolves a streamed repeat within its chunk when the repeat names an entity of another group', async () => {
    const [x, y] = usccs(2, 4) as [string, string];
    await deliver(
      t,
      numbered([
        registration(x, makeIdNumber('23110219800101001')),
        registration(y, makeIdNumber('23110219800101003')),
      ]),
    );
    const run = await IngestRun.start(t.db, vault, 'stream', { chunkSize: 10, bucketGroups: 4, rescore: false });
    await run.push({ line: 1, raw: penalty(x, 'K', '先报') });
    await run.push({ line: 2, raw: penalty(y, 'K', '后报') });

    expect(await run.finish()).toMatchObject({ inserted: 1, rejected: 0, superseded: 1, supersededLines: [1] });
    const [v] = await t.db.query<{ summary: string; uscc: string }>(
      `SELECT v.payload->>'summary' AS summary, e.uscc FROM credit_record_version v JOIN entity e ON e.id = v.entity_id
       WHERE v.kind = 'penalty'`,
    );
    expect(v).toEqual({ summary: '后报', uscc: y });
  });

  it.each([1, 4096])(
    'a source key delivered later for an entity of another bucket makes a record of that entity (%i groups, ADR 0027)',
    async (groups) => {
      const [x, y] = usccs(2, 4096) as [string, string];
      expect(usccBucket(x)).not.toBe(usccBucket(y));
      await deliver(
        t,
        numbered([
          registration(x, makeIdNumber('23110219800101001')),
          registration(y, makeIdNumber('23110219800101003')),
        ]),
      );
      expect(await deliver(t, numbered([penalty(x, 'MOVED', '先报')]), { groups })).toMatchObject({ inserted: 1 });
      expect(await deliver(t, numbered([penalty(y, 'MOVED', '后报')]), { groups })).toMatchObject({
        inserted: 1,
        rejected: 0,
      });
      const records = await t.db.query<{ uscc: string; bucket: number; summary: string }>(
        `SELECT e.uscc, r.bucket, v.payload->>'summary' AS summary FROM credit_record r
         JOIN entity e ON e.id = r.entity_id JOIN credit_record_version v ON v.record_id = r.id AND v.bucket = r.bucket
         WHERE r.source_id = 'MOVED' ORDER BY r.id`,
      );
      expect(records).toEqual([
        { uscc: x, bucket: usccBucket(x), summary: '先报' },
        { uscc: y, bucket: usccBucket(y), summary: '后报' },
      ]);
    },
    60_000,
  );

  it('gives two deliveries of different buckets, run at once, the result of one after the other', async () => {
    const half = (g: number) => rows.filter((r) => bucketGroup(usccBucket(String(r.uscc)), 2) === g);
    // Both name one person (a director of an entity of each half): persons are shared by every bucket.
    const shared = makeIdNumber('23110219700101002');
    const director = (r: Row, i: number) => ({
      type: 'key_person',
      sourceSystem: 'scjg',
      sourceId: `DIR-${i}`,
      uscc: r.uscc,
      role: 'director',
      name: '李共同',
      idNumber: shared,
    });
    const [d1, d2] = [0, 1].map((g) => {
      const mine = half(g);
      return numbered([
        ...mine,
        director(
          mine.find((r) => r.type === 'registration')!,
          g,
        ),
      ]);
    });
    expect(d1!.length).toBeGreaterThan(100);
    expect(d2!.length).toBeGreaterThan(100);

    const atOnce = await Promise.all([deliver(t, d1!, { name: 'd1' }), deliver(t, d2!, { name: 'd2' })]);
    const parallel = await fingerprint(t);
    await t.reset();
    const inTurn = [await deliver(t, d1!, { name: 'd1' }), await deliver(t, d2!, { name: 'd2' })];

    expect(atOnce.map(withoutBatch)).toEqual(inTurn.map(withoutBatch));
    expect(await fingerprint(t)).toEqual(parallel);
    const [p] = await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM person WHERE name = '李共同'`);
    expect(p!.n).toBe(1);
  }, 120_000);
});

/** USCCs of distinct buckets, and of distinct groups of `groups` if given. */
function usccs(n: number, groups = 4096): string[] {
  const out: string[] = [];
  const seen = new Set<number>();
  for (let i = 1; out.length < n; i++) {
    const u = makeUscc(`91231102MA${String(i).padStart(7, '0')}`);
    const g = bucketGroup(usccBucket(u), groups);
    if (seen.has(g)) continue;
    seen.add(g);
    out.push(u);
  }
  return out;
}

function registration(uscc: string, legalRepIdNumber: string) {
  return {
    type: 'registration',
    sourceSystem: 'scjg',
    sourceId: `REG-${uscc}`,
    uscc,
    name: `黑河${uscc.slice(-4)}有限公司`,
    entityType: '有限责任公司',
    establishedOn: '2015-03-02',
    registeredCapital: 5_000_000,
    paidInCapital: 3_000_000,
    industryCode: 'C1310',
    regionCode: '231102',
    legalRepName: '王建国',
    legalRepIdNumber,
  };
}

function penalty(uscc: string, sourceId: string, summary = '') {
  return {
    type: 'record',
    kind: 'penalty',
    sourceSystem: 'scjg',
    sourceId,
    uscc,
    severity: 'general',
    occurredOn: '2026-06-01',
    summary,
  };
}

/** `p`, or a rejection if it is not done within `ms`. */
async function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: not done within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([p, late]);
  } finally {
    clearTimeout(timer);
  }
}

const HOLD = 4242;
/** Ingestion's lock class (ingestor.ts). */
const INGEST_LOCK_CLASS = 0x48_48_49_4e;

/** Parallel chunks need parallel transactions: PostgreSQL only (PGlite has one connection). */
describe.each(testBackends().filter((b) => b === 'postgres'))(
  'chunks of different buckets at once, on %s',
  (backend) => {
    let t: TestDatabase;
    /** A session of the test's own that holds the barrier lock. */
    let holder: Client;
    beforeAll(async () => {
      t = await createTestDatabase(backend, { poolSize: 6 });
      holder = new Client({ connectionString: t.url });
      await holder.connect();
      // The barrier: inserting a version whose summary is 'hold' waits for the holder's lock, mid-way
      // through its chunk's transaction (its buckets locked, its persons and records written).
      await t.db.query(
        `CREATE FUNCTION test_hold() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN PERFORM pg_advisory_xact_lock(${HOLD}); RETURN NEW; END $$`,
      );
    }, 60_000);
    beforeEach(async () => {
      await t.reset();
      await t.db.query(
        `CREATE TRIGGER test_hold BEFORE INSERT ON credit_record_version FOR EACH ROW
       WHEN (NEW.payload->>'summary' = 'hold') EXECUTE FUNCTION test_hold()`,
      );
      await holder.query(`SELECT pg_advisory_lock(${HOLD})`);
    });
    afterEach(async () => {
      await holder.query(`SELECT pg_advisory_unlock_all()`);
      await t.db.query(`DROP TRIGGER IF EXISTS test_hold ON credit_record_version`);
    });
    afterAll(async () => {
      await holder.end();
      await t.drop();
    });

    /** Waits until a session of this database waits for a lock matching `where` (on pg_locks l, pg_stat_activity a). */
    async function waitingFor(where: string, what: string): Promise<void> {
      for (let i = 0; i < 200; i++) {
        const [r] = await t.db.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
         WHERE a.datname = current_database() AND NOT l.granted AND ${where}`,
        );
        if (r!.n > 0) return;
        await new Promise((res) => setTimeout(res, 50));
      }
      throw new Error(`no session waits for ${what}`);
    }
    const atBarrier = () =>
      waitingFor(`l.locktype = 'advisory' AND l.classid = 0 AND l.objid = ${HOLD}`, 'the barrier');

    it('lets a delivery of another bucket through while a chunk is held, and makes one of the same bucket wait', async () => {
      const [x, y] = usccs(2) as [string, string];
      const settled = new Set<string>();
      const track = <T>(name: string, p: Promise<T>) => {
        void p.finally(() => settled.add(name)).catch(() => undefined);
        return p;
      };
      const a = track(
        'a',
        deliver(t, numbered([registration(x, makeIdNumber('23110219800101001')), penalty(x, 'A', 'hold')])),
      );
      await atBarrier();

      // Another bucket: done while a's transaction is open.
      const b = await within(
        deliver(t, numbered([registration(y, makeIdNumber('23110219800101003')), penalty(y, 'B')])),
        15_000,
        'the delivery of another bucket',
      );
      expect(b).toMatchObject({ inserted: 2, rejected: 0 });

      // The same bucket: waits for the bucket's lock until a commits, then finds x registered.
      const c = track('c', deliver(t, numbered([penalty(x, 'C')])));
      await waitingFor(
        `l.locktype = 'advisory' AND l.classid = ${INGEST_LOCK_CLASS} AND l.objid = ${usccBucket(x)} AND l.objsubid = 2`,
        "x's bucket",
      );
      await new Promise((res) => setTimeout(res, 300));
      expect(settled).toEqual(new Set());

      await holder.query(`SELECT pg_advisory_unlock(${HOLD})`);
      expect(await within(a, 15_000, 'a')).toMatchObject({ inserted: 2, rejected: 0 });
      expect(await within(c, 15_000, 'c')).toMatchObject({ inserted: 1, rejected: 0 });
    }, 60_000);

    it('makes one person of the same person named by two deliveries of different buckets at once', async () => {
      const [x, y] = usccs(2) as [string, string];
      const rep = makeIdNumber('23110219800101001');
      const a = deliver(t, numbered([registration(x, rep), penalty(x, 'A', 'hold')]));
      await atBarrier();

      // b does not wait for a's buckets, only for a's uncommitted person row, which it then finds.
      const b = deliver(t, numbered([registration(y, rep)]));
      await waitingFor(`l.locktype = 'transactionid'`, "a's person row");
      await holder.query(`SELECT pg_advisory_unlock(${HOLD})`);

      expect(await within(a, 15_000, 'a')).toMatchObject({ inserted: 2, rejected: 0 });
      expect(await within(b, 15_000, 'b')).toMatchObject({ inserted: 1, rejected: 0 });
      const people = await t.db.query<{ id: number }>(`SELECT id FROM person`);
      expect(people).toHaveLength(1);
      const reps = await t.db.query<{ legal_rep_id: number }>(`SELECT legal_rep_id FROM entity ORDER BY uscc`);
      expect(reps).toEqual([{ legal_rep_id: people[0]!.id }, { legal_rep_id: people[0]!.id }]);
    }, 60_000);
  },
);
