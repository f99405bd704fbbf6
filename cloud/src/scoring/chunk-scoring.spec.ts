import { DEFAULT_MODEL_V1, type ModelDefinition } from '@heihe/shared';
import { factsRangeQuery } from '../records';
import { createTestDatabase, type TestDatabase } from '../testing/test-db';
import { entitiesSql } from '../testing/seed-sql';
import { scoreChunk, ScoringThread, type ChunkScoringTask } from './chunk-scoring';
import { compileStored } from './model.repository';

const AS_OF = new Date('2026-11-01T00:00:00Z');

/** 40 entities with a few records each, of kinds that move points. */
const SEED = `${entitiesSql(40)}
INSERT INTO credit_record (id, entity_id, bucket, kind, source_system, source_id)
SELECT (e - 1) * 4 + k, e, (SELECT bucket FROM entity WHERE id = e), (ARRAY['registration', 'penalty', 'honour', 'annual_report'])[k]::"RecordKind", 'spec', e || '-' || k
FROM generate_series(1, 40) e, generate_series(1, 4) k;
INSERT INTO credit_record_version (id, record_id, entity_id, bucket, kind, version, status, category, severity, amount,
                                   occurred_on, valid_from, payload, content_hash, recorded_at)
SELECT c.id, c.id, c.entity_id, c.bucket, c.kind, 1, 'active',
       CASE c.kind WHEN 'honour' THEN 'city' WHEN 'annual_report' THEN 'on_time' END,
       (CASE WHEN c.kind = 'penalty' THEN (ARRAY['minor','general','serious'])[1 + c.entity_id % 3] END)::"Severity",
       CASE c.kind WHEN 'registration' THEN 1e6 * c.entity_id WHEN 'annual_report' THEN 2025 END,
       date '2026-10-01' - c.entity_id * 20, date '2026-10-01' - c.entity_id * 20, '{}'::jsonb, md5(c.id::text) || md5('x'),
       timestamptz '2026-10-01T00:00:00Z'
FROM credit_record c;`;

describe('the scoring thread', () => {
  let t: TestDatabase;
  let task: ChunkScoringTask;
  const thread = new ScoringThread();

  beforeAll(async () => {
    t = await createTestDatabase('pglite');
    for (const statement of SEED.split(';\n').filter((s) => s.trim())) await t.db.query(statement);
    const ids = Array.from({ length: 40 }, (_, i) => i + 1);
    task = {
      copy: await t.db.copyTo(factsRangeQuery(1, 40, AS_OF), 'binary'),
      entityIds: ids,
      buckets: ids.map((i) => i % 4096),
      evaluationIds: ids.map((i) => String(1000 + i)),
      from: 1,
      to: 40,
      asOf: AS_OF.toISOString(),
      asOfDate: '2026-11-01',
      cycleId: 7,
      trigger: 'cycle',
      model: { version: 1, status: 'published', definition: DEFAULT_MODEL_V1 as ModelDefinition },
    };
  }, 60_000);
  afterAll(async () => {
    await thread.close();
    await t.drop();
  });

  it('gives exactly what scoring in this thread gives', async () => {
    const here = scoreChunk({ ...task, copy: Uint8Array.prototype.slice.call(task.copy) }, compileStored(task.model));
    const there = await thread.score({ ...task, copy: Uint8Array.prototype.slice.call(task.copy) });

    expect(there.totals).toHaveLength(40);
    expect(new Set(there.totals).size).toBeGreaterThan(1);
    expect(there.totals).toEqual(here.totals);
    expect(there.grades).toEqual(here.grades);
    expect(there.modelVersion).toBe(1);
    expect(Buffer.from(there.copy).equals(Buffer.from(here.copy))).toBe(true);
  });

  it('fails the chunks it holds when it stops, and starts afresh for the next one', async () => {
    const held = thread.score({ ...task, copy: Uint8Array.prototype.slice.call(task.copy) });
    await thread.close();
    await expect(held).rejects.toThrow(/scoring thread stopped/);

    const next = await thread.score({ ...task, copy: Uint8Array.prototype.slice.call(task.copy) });
    expect(next.totals).toHaveLength(40);
  });

  it('reports a chunk it cannot score as that chunk’s error', async () => {
    await expect(thread.score({ ...task, copy: new Uint8Array(10), entityIds: [1] })).rejects.toThrow(
      /not a binary COPY/,
    );
  });
});
