import { sealAll, verifyAuditChain } from '../audit';
import { DEMO_ENTERPRISES, seedDemoEnterprises } from '../seed/demo-identities';
import { PiiVault } from '../pii';
import { ensureDemoCase } from '../seed/demo';
import { testConfig } from '../testing/config';
import { createTestDatabase, testBackends, type TestDatabase } from '../testing/test-db';
import { LruCache, ScoringService } from './scoring.service';

const vault = new PiiVault('11'.repeat(32), '22'.repeat(32));

describe('LruCache', () => {
  it('evicts the least recently used key beyond its capacity', () => {
    const sut = new LruCache<string, number>(2);
    sut.set('a', 1);
    sut.set('b', 2);
    sut.get('a');

    sut.set('c', 3);

    expect([sut.get('a'), sut.get('b'), sut.get('c'), sut.size]).toEqual([1, undefined, 3, 2]);
  });
});

describe.each(testBackends())('the evaluation read on %s', (backend) => {
  let t: TestDatabase;
  let entityId: number;

  beforeAll(async () => {
    t = await createTestDatabase(backend);
    const [first] = await seedDemoEnterprises(t.db, vault);
    // Two penalties with summaries, so the response has records with notes.
    await ensureDemoCase(t.db, vault, new Date().toISOString().slice(0, 10));
    entityId = first!.entityId;
  }, 120_000);
  afterAll(() => t.drop());

  it('answers a cached evaluation byte for byte as the first, uncached derivation did', async () => {
    const sut = new ScoringService(t.db, testConfig());

    const uncached = JSON.stringify(await sut.getEvaluation(entityId));
    const cached = JSON.stringify(await sut.getEvaluation(entityId));
    const elsewhere = JSON.stringify(await new ScoringService(t.db, testConfig()).getEvaluation(entityId));

    expect(cached).toBe(uncached);
    expect(elsewhere).toBe(uncached);
    const body = JSON.parse(uncached) as { reproduced: boolean; records: Array<{ summary: string | null }> };
    expect(body.reproduced).toBe(true);
    expect(body.records.map((r) => r.summary)).toEqual(
      expect.arrayContaining(['未按规定标明商品价格', '未按规定公示年度报告']),
    );
  });

  it('does not re-read record history for an evaluation it has derived', async () => {
    const sut = new ScoringService(t.db, testConfig());
    await sut.getEvaluation(entityId);
    const spy = jest.spyOn(t.db, 'query');
    const stored = jest.spyOn(t.db.prisma.evaluation, 'findFirst');
    const history = jest.spyOn(t.db.prisma.creditRecordVersion, 'findMany');
    try {
      await Promise.all([sut.getEvaluation(entityId), sut.getEvaluation(entityId)]);

      const statements = spy.mock.calls.map(([text]) => text);
      expect(statements).toHaveLength(2);
      expect(statements.filter((s) => /credit_record/.test(s))).toEqual([]);
      expect([stored.mock.calls.length, history.mock.calls.length]).toEqual([0, 0]);
    } finally {
      spy.mockRestore();
      stored.mockRestore();
      history.mockRestore();
    }
  });

  it('derives once for concurrent first readers', async () => {
    const sut = new ScoringService(t.db, testConfig());
    const stored = jest.spyOn(t.db.prisma.evaluation, 'findFirst');
    try {
      const bodies = await Promise.all(Array.from({ length: 5 }, () => sut.getEvaluation(entityId)));

      expect(new Set(bodies.map((b) => JSON.stringify(b))).size).toBe(1);
      expect(stored).toHaveBeenCalledTimes(1);
    } finally {
      stored.mockRestore();
    }
  });

  it('records a view in the statement that reads the evaluation, and no view of what it could not read', async () => {
    const sut = new ScoringService(t.db, testConfig());
    const view = (id: number) => ({
      actorKind: 'api_client' as const,
      actorId: '7:bank',
      action: 'evaluation.view',
      objectType: 'entity',
      objectId: String(id),
      entityId: id,
    });
    const plain = JSON.stringify(await sut.getEvaluation(entityId));

    const viewed = JSON.stringify(await sut.getEvaluation(entityId, view(entityId)));
    await expect(sut.getEvaluation(999_999, view(999_999))).rejects.toMatchObject({ code: 'NOT_FOUND' });

    expect(viewed).toBe(plain);
    const rows = await t.db.query<{ object_id: string }>(
      `SELECT object_id FROM audit_log WHERE action = 'evaluation.view' AND actor_id = '7:bank'`,
    );
    expect(rows).toEqual([{ object_id: String(entityId) }]);
    expect(await sealAll(t.db)).toMatchObject({ sealed: 1 });
    expect(await verifyAuditChain(t.db)).toMatchObject({ ok: true, checked: 1 });
  });

  it("reads the entity's own fields every time: a renamed enterprise shows its new name", async () => {
    const sut = new ScoringService(t.db, testConfig());
    const before = await sut.getEvaluation(entityId);
    await t.db.query(`UPDATE entity SET name = $2 WHERE id = $1`, [entityId, '黑河示范粮油股份有限公司']);
    try {
      const after = await sut.getEvaluation(entityId);

      expect(after.evaluationId).toBe(before.evaluationId);
      expect(after.name).toBe('黑河示范粮油股份有限公司');
      expect({ ...after, name: before.name }).toEqual(before);
    } finally {
      await t.db.query(`UPDATE entity SET name = $2 WHERE id = $1`, [entityId, DEMO_ENTERPRISES[0].name]);
    }
  });
});
