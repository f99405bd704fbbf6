import { createTestDatabase, testBackends, type Backend, type TestDatabase } from '../../cloud/src/testing/test-db';
import type { Sql } from '../../cloud/src/db/database';
import { applyStageSql, STAGE_DDL } from '../../cloud/src/ingest';
import { claimQuery } from '../../cloud/src/outbox';
import { chunkFactsQuery, promoteQuery, slotsInChunkQuery } from '../../cloud/src/scoring';
import { BUCKETED } from '../support/buckets';

/** Hash partitions of each bucketed table in the variant: the stand-in for Citus's shards. */
const PARTITIONS = 8;
/** The tables whose every key holds the bucket: entity, the eight keyed by an entity, and the outbox. */
const BUCKETED_TABLES = ['entity', ...BUCKETED, 'outbox'];

/**
 * The schema variant (issue 20 item 5a): every bucketed table again in schema `sharded`, with the
 * same columns, `PARTITION BY HASH (bucket)` into PARTITIONS partitions. Each brings its primary
 * and unique keys and indexes (`INCLUDING INDEXES`), which a partitioned table refuses unless every
 * unique key holds the bucket (ADR 0027). A statement run with
 * `search_path = sharded, public` reads and writes the partitioned tables and the central ones
 * (cycle bookkeeping) as they are.
 */
async function createPartitionedVariant(t: TestDatabase): Promise<void> {
  await t.db.query('CREATE SCHEMA sharded');
  for (const table of BUCKETED_TABLES) {
    await t.db.query(
      `CREATE TABLE sharded.${table} (LIKE public.${table} INCLUDING DEFAULTS INCLUDING INDEXES) PARTITION BY HASH (bucket)`,
    );
    for (let p = 0; p < PARTITIONS; p++)
      await t.db.query(
        `CREATE TABLE sharded.${table}_p${p} PARTITION OF sharded.${table} FOR VALUES WITH (MODULUS ${PARTITIONS}, REMAINDER ${p})`,
      );
  }
}

/**
 * Every relation a plan reads or updates: scans, and the target tables of an update. The target of
 * an INSERT is left out: a partitioned table (and Citus) routes each inserted row by its bucket when
 * it is written, which no plan shows.
 */
function relationsOf(plan: unknown, out: string[] = []): string[] {
  if (Array.isArray(plan)) for (const p of plan) relationsOf(p, out);
  else if (plan && typeof plan === 'object') {
    const node = plan as Record<string, unknown>;
    const insert = node['Node Type'] === 'ModifyTable' && node.Operation === 'Insert';
    for (const [k, v] of Object.entries(node)) {
      if (k === 'Relation Name' && typeof v === 'string') {
        if (!insert) out.push(v);
      } else relationsOf(v, out);
    }
  }
  return out;
}

/** The partitions of each bucketed table that `statement`'s plan touches. */
async function partitionsTouched(sql: Sql, statement: string, params: unknown[] = []) {
  const [row] = await sql.query<{ 'QUERY PLAN': unknown }>(`EXPLAIN (FORMAT JSON) ${statement}`, params);
  const plan = row!['QUERY PLAN'];
  const relations = relationsOf(typeof plan === 'string' ? JSON.parse(plan) : plan);
  const touched: Record<string, string[]> = {};
  for (const table of BUCKETED_TABLES) {
    const parts = [...new Set(relations.filter((r) => new RegExp(`^${table}_p\\d+$`).test(r)))];
    if (parts.length || relations.includes(table)) touched[table] = parts.sort();
  }
  return touched;
}

/**
 * A describe block's database on `backend`, with the partitioned variant: created before the block's
 * tests and dropped after them. Returns `onVariant`, which runs `fn` against the variant in a
 * transaction, its tables shadowing the public ones.
 */
function partitionedVariant(backend: Backend) {
  let t: TestDatabase | undefined;
  beforeAll(async () => {
    t = await createTestDatabase(backend);
    await createPartitionedVariant(t);
  }, 120_000);
  afterAll(async () => {
    await t?.drop();
  });
  return <T>(fn: (sql: Sql) => Promise<T>): Promise<T> =>
    t!.db.tx(async (sql) => {
      await sql.query(`SELECT set_config('search_path', 'sharded, public', true)`);
      return fn(sql);
    });
}

describe.each(testBackends())('the keys of the tables keyed by an entity on %s (ADR 0027)', (backend) => {
  const onVariant = partitionedVariant(backend);

  it('every primary and unique key holds the bucket, so each table is hash-partitioned with all of its keys', async () => {
    const uniqueKeys = (sql: Sql, schema: string) =>
      sql.query<{ table: string; key: string; bucket: boolean }>(
        `SELECT c.relname AS table, pg_get_indexdef(i.indexrelid) AS key,
           EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'bucket'
                   AND a.attnum = ANY (i.indkey)) AS bucket
         FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE n.nspname = $1 AND c.relname = ANY ($2) AND i.indisunique ORDER BY 1, 2`,
        [schema, BUCKETED_TABLES],
      );
    await onVariant(async (sql) => {
      const real = await uniqueKeys(sql, 'public');
      expect(real.filter((k) => !k.bucket)).toEqual([]);
      // Each real key has its twin on the partitioned variant (partitioned tables refuse a unique
      // key without the partition key, so the variant could not have been built otherwise).
      const variant = await uniqueKeys(sql, 'sharded');
      expect(new Set(variant.map((k) => k.table))).toEqual(new Set(BUCKETED_TABLES));
      expect(variant.length).toBe(real.length);
    });
  });
});

/**
 * Single-shard routing, shown on PostgreSQL's own hash partitioning: every statement of a cycle
 * chunk cut to one bucket (a Citus deployment's `bucketGroups`, ADR 0025) touches exactly one
 * partition of each bucketed table it reads or writes, and the same statement over a bucket range
 * (several groups' worth) is seen to touch them all — the check can fail.
 */
describe.each(testBackends())('partition routing of the cycle statements on %s (issue 20, 5a)', (backend) => {
  const onVariant = partitionedVariant(backend);

  const asOf = new Date('2026-12-01T00:00:00Z');
  const oneBucket = (bucket: number) => ({ fromBucket: bucket, toBucket: bucket, from: 1, to: 5000 });

  /** A chunk's statements, with the parameters they run with. */
  const chunkStatements = (c: { fromBucket: number; toBucket: number; from: number; to: number }) => [
    { name: 'slotsInChunk', sql: slotsInChunkQuery(c), params: [] as unknown[] },
    { name: 'chunk facts (COPY out)', sql: chunkFactsQuery(c, asOf), params: [] as unknown[] },
    {
      name: 'score update',
      sql: promoteQuery(c.fromBucket, c.toBucket),
      params: [
        '{1,2}',
        '{10,11}',
        '{700,800}',
        '{C,B}',
        '{C,C}',
        1,
        asOf.toISOString(),
        1,
        2,
        'cycle',
        asOf.toISOString(),
        c.fromBucket,
        ...(c.fromBucket === c.toBucket ? [] : [c.toBucket]),
      ],
    },
  ];

  it.each([0, 1, 1234, 4095])('a chunk of bucket %i touches one partition of every table it names', async (bucket) => {
    await onVariant(async (sql) => {
      for (const s of chunkStatements(oneBucket(bucket))) {
        const touched = await partitionsTouched(sql, s.sql, s.params);
        expect([s.name, Object.keys(touched).length > 0]).toEqual([s.name, true]);
        for (const [table, parts] of Object.entries(touched))
          expect([s.name, table, parts.length]).toEqual([s.name, table, 1]);
      }
    });
  });

  it('the buckets of one partition are routed to the same partition; a range of buckets is not routed', async () => {
    await onVariant(async (sql) => {
      const slots = (b: number) => partitionsTouched(sql, slotsInChunkQuery(oneBucket(b)));
      // Every bucket lands in some partition, and all eight partitions are used by the buckets.
      const seen = new Set<string>();
      for (let b = 0; b < 64; b++) seen.add((await slots(b)).entity_score![0]!);
      expect(seen.size).toBe(PARTITIONS);
      // Several buckets by range: every partition (what the check above would catch).
      for (const s of chunkStatements({ fromBucket: 10, toBucket: 20, from: 1, to: 5000 })) {
        const touched = await partitionsTouched(sql, s.sql, s.params);
        const most = Math.max(...Object.values(touched).map((p) => p.length));
        expect([s.name, most]).toEqual([s.name, PARTITIONS]);
      }
    });
  });
});

/**
 * The outbox per node (ADR 0027 step 3): a relay's claim names its buckets, so a relay of one bucket
 * locks and updates rows of one partition (Citus: one shard), and one over a range reads them all;
 * the score update writes each grade change with the bucket of its score row, so a one-bucket
 * batch's messages land in the partition (shard) of its scores.
 */
describe.each(testBackends())('partition routing of the outbox on %s (ADR 0027 step 3)', (backend) => {
  const onVariant = partitionedVariant(backend);
  const claim = (from: number, to: number) => ({ sql: claimQuery({ from, to }), params: [10, 1000, 5] });

  it.each([0, 1, 1234, 4095])('a relay of bucket %i claims from one outbox partition', async (bucket) => {
    await onVariant(async (sql) => {
      const c = claim(bucket, bucket);
      const touched = await partitionsTouched(sql, c.sql, c.params);
      expect(Object.keys(touched)).toEqual(['outbox']);
      expect(touched.outbox).toHaveLength(1);
    });
  });

  it('a relay over a range of buckets claims from every partition', async () => {
    await onVariant(async (sql) => {
      const c = claim(10, 20);
      expect((await partitionsTouched(sql, c.sql, c.params)).outbox).toHaveLength(PARTITIONS);
    });
  });

  it.each([3, 2900])(
    "the score update of bucket %i queues its grade changes in its scores' partition of the outbox",
    async (bucket) => {
      const moved = await onVariant(async (sql) => {
        await sql.query('DELETE FROM outbox');
        await sql.query('DELETE FROM entity_score');
        await sql.query(`INSERT INTO entity_score (entity_id, bucket, grade) VALUES (1, $1, 'C'), (2, $1, 'C')`, [
          bucket,
        ]);
        const asOf = '2026-12-01T00:00:00.000Z';
        const changes = await sql.query(promoteQuery(bucket, bucket), [
          '{1,2}',
          '{10,11}',
          '{880,890}',
          '{B,B}',
          '{C,C}',
          1,
          asOf,
          1,
          2,
          'cycle',
          asOf,
          bucket,
        ]);
        const rows = await sql.query<{ partition: string; bucket: number }>(
          `SELECT tableoid::regclass::text AS partition, bucket FROM outbox
           UNION ALL SELECT tableoid::regclass::text, bucket FROM entity_score ORDER BY 1`,
        );
        return { changes: changes.length, rows };
      });
      expect(moved.changes).toBe(2);
      expect(moved.rows.map((r) => r.bucket)).toEqual([bucket, bucket, bucket, bucket]);
      // [table, partition] of each row: both scores and both messages in one partition number.
      const where = moved.rows.map((r) => /(\w+)_(p\d+)$/.exec(r.partition)!.slice(1));
      expect(where.map(([table]) => table)).toEqual(['entity_score', 'entity_score', 'outbox', 'outbox']);
      expect(new Set(where.map(([, partition]) => partition)).size).toBe(1);
    },
  );
});

/**
 * The same for ingestion: every statement that applies a staged chunk whose rows are all of one
 * bucket (`INGEST_BUCKET_GROUPS=4096`, ADR 0025) reads one partition of each bucketed table; a chunk
 * of several buckets names none and reads them all.
 */
describe.each(testBackends())('partition routing of the ingestion statements on %s (issue 20, 5a)', (backend) => {
  const onVariant = partitionedVariant(backend);

  /** Each statement with the parameters it runs with ($1: the chunk's instant, or the batch id). */
  const params: Record<string, unknown[]> = {
    entities: [new Date().toISOString()],
    versions: [new Date().toISOString()],
    unregistered: [1],
  };
  const explainAll = (buckets: number[]) =>
    onVariant(async (sql) => {
      await sql.query(STAGE_DDL);
      const out: Record<string, Record<string, string[]>> = {};
      for (const [name, text] of Object.entries(applyStageSql(buckets)))
        out[name] = await partitionsTouched(sql, text, params[name] ?? []);
      return out;
    });

  it.each([7, 2048])('a chunk of bucket %i reads one partition of every bucketed table', async (bucket) => {
    const touched = await explainAll([bucket]);
    // The statements that read bucketed tables at all: persons (entity), entities, resolveEntities,
    // newRecords (credit_record), versions (credit_record, credit_record_version), and the relations'
    // upserts; key persons are only inserted.
    expect(
      Object.entries(touched)
        .filter(([, t]) => Object.keys(t).length)
        .map(([n]) => n),
    ).toEqual([
      'persons',
      'entities',
      'resolveEntities',
      'newRecords',
      'versions',
      'shareholders',
      'investments',
      'financings',
    ]);
    for (const [name, tables] of Object.entries(touched))
      for (const [table, parts] of Object.entries(tables))
        expect([name, table, parts.length]).toEqual([name, table, 1]);
  });

  it('a chunk of several buckets reads every partition', async () => {
    const touched = await explainAll([7, 2048]);
    expect(touched.versions!.credit_record).toHaveLength(PARTITIONS);
    expect(touched.resolveEntities!.entity).toHaveLength(PARTITIONS);
    expect(touched.shareholders!.shareholder).toHaveLength(PARTITIONS);
  });
});

/**
 * The one trigger left on credit_record_version (ADR 0027 step 4): a new negative record's
 * `record.negative` message goes to its version's bucket, and the trigger reads and writes nothing
 * else. Run on the variant with `sharded` alone on the search path, where no coordinator table
 * (watch_scope, typical_case, red_list_entry, …) resolves: a trigger that reached one would fail.
 */
describe.each(testBackends())('partition routing of the new-record trigger on %s (ADR 0027 step 4)', (backend) => {
  const onVariant = partitionedVariant(backend);

  it('queues each negative version in its own partition of the outbox, reading no coordinator table', async () => {
    const rows = await onVariant(async (sql) => {
      await sql.query(`SELECT set_config('search_path', 'sharded', true)`);
      await sql.query(`CREATE TRIGGER record_negative_to_outbox AFTER INSERT ON credit_record_version
        REFERENCING NEW TABLE AS new_versions
        FOR EACH STATEMENT EXECUTE FUNCTION public.record_negative_to_outbox()`);
      // Two negative first versions in buckets 5 and 3000; a second version and an honour queue nothing.
      await sql.query(
        `INSERT INTO credit_record_version
           (record_id, entity_id, bucket, kind, version, status, severity, occurred_on, valid_from, payload, content_hash)
         VALUES (1, 11, 5, 'penalty', 1, 'active', 'serious', '2026-11-01', '2026-11-01', '{"summary":"s"}', repeat('a', 64)),
                (2, 12, 3000, 'dishonesty_listing', 1, 'active', NULL, '2026-11-02', '2026-11-02', '{}', repeat('b', 64)),
                (3, 13, 700, 'penalty', 2, 'active', 'general', '2026-11-03', '2026-11-03', '{}', repeat('c', 64)),
                (4, 14, 700, 'honour', 1, 'active', NULL, '2026-11-03', '2026-11-03', '{}', repeat('d', 64))`,
      );
      return sql.query<{ table: string; partition: string; bucket: number; message_id: string; topic: string }>(
        `SELECT 'outbox' AS table, tableoid::regclass::text AS partition, bucket, message_id, topic FROM outbox
         UNION ALL SELECT 'version', tableoid::regclass::text, bucket, id::text, kind::text FROM credit_record_version
         ORDER BY bucket, 1`,
      );
    });
    const partOf = (r: { partition: string }) => /_(p\d+)$/.exec(r.partition)![1];
    const messages = rows.filter((r) => r.table === 'outbox');
    expect(messages.map((r) => [r.bucket, r.topic])).toEqual([
      [5, 'record.negative'],
      [3000, 'record.negative'],
    ]);
    for (const m of messages) {
      const version = rows.find((r) => r.table === 'version' && r.bucket === m.bucket)!;
      expect(m.message_id).toBe(`record.negative:${version.message_id}`);
      expect(partOf(m)).toBe(partOf(version));
    }
  });
});
