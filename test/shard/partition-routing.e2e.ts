import { createTestDatabase, testBackends, type Backend, type TestDatabase } from '../../cloud/src/testing/test-db';
import type { Sql } from '../../cloud/src/db/database';
import { applyStageSql, STAGE_DDL } from '../../cloud/src/ingest';
import { chunkFactsQuery, promoteQuery, slotsInChunkQuery } from '../../cloud/src/scoring';
import { BUCKETED } from '../support/buckets';

/** Hash partitions of each bucketed table in the variant: the stand-in for Citus's shards. */
const PARTITIONS = 8;
const BUCKETED_TABLES = ['entity', ...BUCKETED];

/**
 * The schema variant (issue 20 item 5a): every bucketed table again in schema `sharded`, with the
 * same columns, `PARTITION BY HASH (bucket)` into PARTITIONS partitions. Each brings its primary
 * and unique keys and indexes (`INCLUDING INDEXES`), which a partitioned table refuses unless every
 * unique key holds the bucket (ADR 0027). A statement run with
 * `search_path = sharded, public` reads and writes the partitioned tables and the central ones
 * (cycle bookkeeping, outbox) as they are.
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
