import { PiiVault } from '../pii';
import { seedDemo } from '../seed/seed';
import { BUCKETS } from '../db/shard';
import { createTestDatabase, testBackends, type TestDatabase } from '../testing/test-db';
import { CycleService } from './cycle';
import { InProcessDispatcher } from './cycle.dispatch';
import { chunkGroups, NodeMap } from './cycle.nodes';

const vault = new PiiVault('11'.repeat(32), '22'.repeat(32));
const ENTITIES = 60;
const AT = new Date('2026-11-20T00:00:00.000Z');

/** A cycle's evaluations, by entity, without what differs between two runs (ids, cycle). */
async function evaluations(t: TestDatabase, cycleId: number) {
  return t.db.query<Record<string, unknown>>(
    `SELECT entity_id, model_version, as_of, total, grade, groups::text, indicators::text, effects::text
     FROM evaluation WHERE cycle_id = $1 ORDER BY entity_id`,
    [cycleId],
  );
}

async function chunks(t: TestDatabase, cycleId: number) {
  return t.db.query<{
    from_bucket: number;
    to_bucket: number;
    from_entity: number;
    to_entity: number;
    entities: number;
  }>(
    `SELECT from_bucket, to_bucket, from_entity, to_entity, entities FROM cycle_chunk WHERE cycle_id = $1 ORDER BY chunk_no`,
    [cycleId],
  );
}

describe('the node map', () => {
  it('defaults to one node owning every bucket', () => {
    expect(new NodeMap().ranges).toEqual([{ node: 'main', from: 0, to: BUCKETS - 1 }]);
    expect(chunkGroups(new NodeMap())).toEqual({ from: [0], to: [BUCKETS - 1] });
  });

  it('refuses maps that leave a bucket unowned or own one twice', () => {
    expect(() => new NodeMap('a=0-2047')).toThrow(/owned by no node/);
    expect(() => new NodeMap('a=0-2047,b=2047-4095')).toThrow(/twice/);
    expect(() => new NodeMap('a=0-4096')).toThrow(/within/);
    expect(() => new NodeMap('a:0-4095')).toThrow(/name=from-to/);
  });

  it('cuts groups at node boundaries and at bucket-group boundaries', () => {
    const nodes = new NodeMap('a=0-999,b=1000-2999,a=3000-4095');
    expect(nodes.nodes).toEqual(['a', 'b']);
    expect(nodes.nodeOf(3000)).toBe('a');
    expect(chunkGroups(nodes)).toEqual({ from: [0, 1000, 3000], to: [999, 2999, 4095] });
    expect(chunkGroups(nodes, 2).from).toEqual([0, 1000, 2048, 3000]);
    expect(chunkGroups(nodes, 4096).from).toHaveLength(4096);
  });
});

describe.each(testBackends())('the cycle cut per bucket on %s', (backend) => {
  let t: TestDatabase;

  beforeAll(async () => {
    t = await createTestDatabase(backend);
  }, 60_000);
  beforeEach(async () => {
    await t.reset();
    await seedDemo(t.db, vault, { entities: ENTITIES, seed: 5, asOf: '2026-11-01', rescore: false });
  }, 60_000);
  afterAll(() => t.drop());

  async function cycle(nodes: NodeMap, bucketGroups: number | undefined, chunkSize: number, serviceGroups?: number) {
    const sut = new CycleService(t.db, nodes, serviceGroups);
    try {
      const p = await sut.startOrResume({ trigger: 'test', at: AT, chunkSize, bucketGroups });
      const done = await new InProcessDispatcher(sut).run(p.id);
      expect(done).toMatchObject({ status: 'done', entitiesDone: ENTITIES });
      return p.id;
    } finally {
      await sut.close();
    }
  }

  it('keeps every chunk within one group of buckets and gives the evaluations of the cut by id alone', async () => {
    const byId = await cycle(new NodeMap(), undefined, 7);
    const before = await evaluations(t, byId);
    expect(before).toHaveLength(ENTITIES);
    // One group: the chunks of before, 7 consecutive ids each, over every bucket.
    expect((await chunks(t, byId)).every((c) => c.from_bucket === 0 && c.to_bucket === BUCKETS - 1)).toBe(true);
    expect(await chunks(t, byId)).toHaveLength(Math.ceil(ENTITIES / 7));

    await t.db.query(
      `UPDATE entity_score SET evaluation_id = NULL, model_version = NULL, as_of = NULL, total = NULL, grade = NULL`,
    );
    const nodes = new NodeMap('x=0-1365,y=1366-2730,z=2731-4095');
    const perBucket = await cycle(nodes, 16, 3);
    expect(await evaluations(t, perBucket)).toEqual(before);

    const cut = await chunks(t, perBucket);
    const groups = chunkGroups(nodes, 16);
    const buckets = new Map(
      (await t.db.query<{ id: number; bucket: number }>(`SELECT id, bucket FROM entity`)).map((e) => [e.id, e.bucket]),
    );
    for (const c of cut) {
      // A chunk is one group: one node's, and one of the 16 parts of the buckets.
      const g = groups.from.indexOf(c.from_bucket);
      expect(g).toBeGreaterThanOrEqual(0);
      expect(c.to_bucket).toBe(groups.to[g]);
      expect(nodes.nodeOf(c.from_bucket)).toBe(nodes.nodeOf(c.to_bucket));
      expect(c.entities).toBeLessThanOrEqual(3);
    }
    // Every entity was scored by the chunk of its bucket's group.
    const [scoredBy] = await t.db.query<{ wrong: number }>(
      `SELECT count(*)::int AS wrong FROM evaluation v JOIN entity e ON e.id = v.entity_id
       WHERE v.cycle_id = $1 AND NOT EXISTS (SELECT 1 FROM cycle_chunk k WHERE k.cycle_id = $1
         AND e.bucket BETWEEN k.from_bucket AND k.to_bucket AND e.id BETWEEN k.from_entity AND k.to_entity)`,
      [perBucket],
    );
    expect(scoredBy!.wrong).toBe(0);
    expect(new Set(cut.map((c) => c.from_bucket)).size).toBeGreaterThan(3);
    expect([...buckets.values()].every((b) => b >= 0 && b < BUCKETS)).toBe(true);
  });

  it('cuts one bucket a chunk when the service is made so (CYCLE_BUCKET_GROUPS=4096), with the same evaluations, each in its bucket', async () => {
    const byId = await cycle(new NodeMap(), undefined, 50);
    const before = await evaluations(t, byId);
    await t.db.query(
      `UPDATE entity_score SET evaluation_id = NULL, model_version = NULL, as_of = NULL, total = NULL, grade = NULL`,
    );
    const perBucket = await cycle(new NodeMap(), undefined, 50, 4096);
    expect(await evaluations(t, perBucket)).toEqual(before);
    const cut = await chunks(t, perBucket);
    expect(cut.every((c) => c.from_bucket === c.to_bucket)).toBe(true);
    const [e] = await t.db.query<{ buckets: number }>(`SELECT count(DISTINCT bucket)::int AS buckets FROM entity`);
    expect(cut).toHaveLength(e!.buckets);
    const [wrong] = await t.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM evaluation v JOIN entity e ON e.id = v.entity_id WHERE v.cycle_id = $1 AND v.bucket <> e.bucket`,
      [perBucket],
    );
    expect(wrong!.n).toBe(0);
  });

  it('stores the bucket of every entity ingestion registers', async () => {
    const [r] = await t.db.query<{ n: number; wrong: number }>(
      `SELECT count(*)::int AS n, count(*) FILTER (WHERE bucket <> uscc_bucket(uscc))::int AS wrong FROM entity`,
    );
    expect(r).toEqual({ n: ENTITIES, wrong: 0 });
  });
});
