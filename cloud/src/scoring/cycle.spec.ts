import { DEFAULT_MODEL_V1, makeUscc } from '@heihe/shared';
import { Ingestor } from '../ingest';
import { PiiVault } from '../pii';
import { seedDemo } from '../seed/seed';
import { createTestDatabase, testBackends, type TestDatabase } from '../testing/test-db';
import { testConfig } from '../testing/config';
import { CycleService } from './cycle';
import { InProcessDispatcher } from './cycle.dispatch';
import { ScoringService } from './scoring.service';
import { Scorer } from './scorer';

const vault = new PiiVault('11'.repeat(32), '22'.repeat(32));
const ENTITIES = 40;
const staff = { kind: 'staff', staffId: 1, sessionId: 's', role: 'admin', username: 'admin' } as const;

async function counts(t: TestDatabase, cycleId: number) {
  const [r] = await t.db.query<{ evaluations: number; distinct_entities: number; entities: number; versions: number }>(
    `SELECT (SELECT count(*)::int FROM evaluation WHERE cycle_id = $1) AS evaluations,
            (SELECT count(DISTINCT entity_id)::int FROM evaluation WHERE cycle_id = $1) AS distinct_entities,
            (SELECT count(*)::int FROM entity) AS entities,
            (SELECT count(DISTINCT model_version)::int FROM evaluation WHERE cycle_id = $1) AS versions`,
    [cycleId],
  );
  return r!;
}

describe.each(testBackends())('the scoring cycle on %s', (backend) => {
  let t: TestDatabase;
  let sut: CycleService;

  beforeAll(async () => {
    t = await createTestDatabase(backend);
  }, 60_000);
  beforeEach(async () => {
    await t.reset();
    await seedDemo(t.db, vault, { entities: ENTITIES, seed: 3, asOf: '2026-11-01', rescore: false });
    sut = new CycleService(t.db);
  }, 60_000);
  afterAll(() => t.drop());

  it('evaluates every entity exactly once, under one model version, and records progress', async () => {
    const p = await sut.startOrResume({ trigger: 'test', chunkSize: 7 });

    const done = await new InProcessDispatcher(sut).run(p.id);

    expect(done).toMatchObject({
      status: 'done',
      totalChunks: Math.ceil(ENTITIES / 7),
      doneChunks: Math.ceil(ENTITIES / 7),
      entitiesDone: ENTITIES,
    });
    expect(await counts(t, p.id)).toEqual({
      evaluations: ENTITIES,
      distinct_entities: ENTITIES,
      entities: ENTITIES,
      versions: 1,
    });
    const [s] = await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM entity_score WHERE grade IS NOT NULL`);
    expect(s!.n).toBe(ENTITIES);
  });

  it('resumes a cycle killed halfway without double-counting', async () => {
    const p = await sut.startOrResume({ trigger: 'test', chunkSize: 7 });
    await sut.runChunk(p.id, 0);
    await sut.runChunk(p.id, 1);
    // The process dies here. A rerun finds the running cycle and takes the chunks not yet done.

    const resumed = await sut.startOrResume({ trigger: 'rerun', chunkSize: 7 });
    const again = await sut.runChunk(p.id, 0);
    const done = await new InProcessDispatcher(sut).run(resumed.id);

    expect(resumed.id).toBe(p.id);
    expect(again).toBe(0);
    expect(done.entitiesDone).toBe(ENTITIES);
    expect(await counts(t, p.id)).toMatchObject({ evaluations: ENTITIES, distinct_entities: ENTITIES });
  });

  it('closes a cycle whose last chunk committed but died before closing it, once, with one notice', async () => {
    await t.db.prisma.regulatorSubscription.create({
      data: { name: '市场监管局', webhookUrl: 'https://regulator.example/hook', secretCipher: 'x' },
    });
    const p = await sut.startOrResume({ trigger: 'test', chunkSize: 7 });
    const close = jest.spyOn(sut, 'closeIfComplete').mockRejectedValue(new Error('worker killed'));
    for (let n = 0; n < p.totalChunks; n++) await expect(sut.runChunk(p.id, n)).rejects.toThrow('worker killed');
    close.mockRestore();
    // Every chunk is done, the cycle is still open: progress is counted from the chunk rows.
    expect(await sut.progress(p.id)).toMatchObject({
      status: 'running',
      doneChunks: p.totalChunks,
      entitiesDone: ENTITIES,
    });

    // A retried job (the chunk is already done) and a resume both close it; only one of them does.
    const closes = await Promise.all([
      sut.runChunk(p.id, 0),
      sut.startOrResume({ trigger: 'rerun' }),
      sut.closeIfComplete(p.id),
    ]);
    const done = await new InProcessDispatcher(sut).run(p.id);

    expect(closes[0]).toBe(0);
    expect(done).toMatchObject({ status: 'done', doneChunks: p.totalChunks, entitiesDone: ENTITIES });
    expect(done.finishedAt).not.toBeNull();
    const notices = await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM outbox WHERE message_id = $1`, [
      `result.cycle_completed:${p.id}`,
    ]);
    expect(notices[0]!.n).toBe(1);
    expect(await sut.closeIfComplete(p.id)).toBe(false);
  });

  it('stores evaluations that reproduce exactly from record history', async () => {
    const p = await sut.startOrResume({ trigger: 'test' });
    await new InProcessDispatcher(sut).run(p.id);
    const scoring = new ScoringService(t.db, testConfig());
    const ids = await t.db.query<{ id: number }>(`SELECT id FROM entity ORDER BY id`);

    const all = await Promise.all(ids.map((r) => scoring.getEvaluation(r.id)));

    expect(all.every((e) => e.reproduced)).toBe(true);
    for (const e of all) {
      const explained = e.indicators
        .flatMap((i) => i.effects)
        .concat(e.groups.flatMap((g) => g.effects))
        .reduce((s, x) => s + x.points, 0);
      expect(explained).toBe(e.total);
    }
    expect(new Set(all.map((e) => e.grade)).size).toBeGreaterThanOrEqual(3);
  });

  it('gives every registered entity one score row, empty until its first evaluation, and scores only registered entities', async () => {
    const rows = () =>
      t.db.query<{ entity_id: number; total: number | null; grade: string | null; evaluation_id: string | null }>(
        `SELECT entity_id, total, grade, evaluation_id::text FROM entity_score ORDER BY entity_id`,
      );
    const entities = await t.db.query<{ id: number }>(`SELECT id FROM entity ORDER BY id`);
    const before = await rows();
    expect(before.map((r) => r.entity_id)).toEqual(entities.map((e) => e.id));
    expect(before.every((r) => r.total === null && r.grade === null && r.evaluation_id === null)).toBe(true);
    const scoring = new ScoringService(t.db, testConfig());
    expect(await scoring.distribution({})).toEqual({
      total: ENTITIES,
      byGrade: { A: 0, B: 0, C: 0, D: 0, E: 0 },
      unscored: ENTITIES,
    });

    const first = entities[0]!.id;
    // A first score fills the row (and is not a grade change).
    expect(await new Scorer(t.db).rescore([first], 'test')).toEqual([]);
    const [scored] = (await rows()).filter((r) => r.entity_id === first);
    expect(scored).toEqual({
      entity_id: first,
      total: expect.any(Number),
      grade: expect.any(String),
      evaluation_id: expect.any(String),
    });
    expect((await scoring.distribution({})).unscored).toBe(ENTITIES - 1);
    expect(await t.db.query(`SELECT 1 FROM outbox WHERE topic = 'grade.changed'`)).toEqual([]);

    // A score is whole or absent; an id no entity has gets no score.
    await expect(
      t.db.query(`UPDATE entity_score SET total = 900 WHERE entity_id = $1`, [entities[1]!.id]),
    ).rejects.toThrow(/entity_score_whole/);
    const unknown = entities[entities.length - 1]!.id + 1000;
    await expect(new Scorer(t.db).rescore([first, unknown], 'test')).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: expect.stringContaining(String(unknown)),
    });
    expect(await t.db.query(`SELECT 1 FROM evaluation WHERE entity_id = $1`, [unknown])).toEqual([]);
  });

  it('re-scores an entity at once when a record arrives and emits grade.changed when the grade moves', async () => {
    const p = await sut.startOrResume({ trigger: 'test' });
    await new InProcessDispatcher(sut).run(p.id);
    const [top] = await t.db.query<{ entity_id: number; uscc: string; grade: string; total: number }>(
      `SELECT s.entity_id, e.uscc, s.grade, s.total FROM entity_score s JOIN entity e ON e.id = s.entity_id ORDER BY s.total DESC, s.entity_id LIMIT 1`,
    );
    const ingestor = new Ingestor(t.db, vault);
    const r = await ingestor.applyChunk(await ingestor.startBatch('t'), [
      {
        line: 1,
        raw: {
          type: 'record',
          kind: 'dishonesty_listing',
          sourceSystem: 'fgw',
          sourceId: 'DIS-T',
          uscc: top!.uscc,
          occurredOn: '2026-10-01',
        },
      },
      {
        line: 2,
        raw: {
          type: 'record',
          kind: 'penalty',
          sourceSystem: 'scjg',
          sourceId: 'PEN-T',
          uscc: top!.uscc,
          severity: 'serious',
          occurredOn: '2026-10-01',
        },
      },
    ]);

    const changes = await new Scorer(t.db).rescore(r.changedEntityIds, 'ingest');

    expect(changes).toEqual([expect.objectContaining({ entityId: top!.entity_id, from: top!.grade })]);
    const [after] = await t.db.query<{ total: number; grade: string }>(
      `SELECT total, grade FROM entity_score WHERE entity_id = $1`,
      [top!.entity_id],
    );
    expect(after!.total).toBe(top!.total - 220);
    const events = await t.db.query<{ topic: string; payload: { from: string; to: string } }>(
      `SELECT topic, payload FROM outbox WHERE entity_id = $1 ORDER BY id`,
      [top!.entity_id],
    );
    // Each new record's own message (ADR 0027 step 4), then the grade change.
    expect(events).toEqual([
      { topic: 'record.negative', payload: expect.objectContaining({ kind: 'dishonesty_listing' }) },
      { topic: 'record.negative', payload: expect.objectContaining({ kind: 'penalty', severity: 'serious' }) },
      { topic: 'grade.changed', payload: expect.objectContaining({ from: top!.grade, to: after!.grade }) },
    ]);
  });

  it('re-grades the population on publish exactly as the impact preview predicted', async () => {
    const scoring = new ScoringService(t.db, testConfig());
    await scoring.runCycleToEnd('test');
    const stricter = { ...DEFAULT_MODEL_V1, grades: { A: 880, B: 820, C: 760, D: 700 } };
    const draft = await scoring.createDraft('更严格的等级线', stricter, staff);
    const now = new Date();

    const preview = await scoring.previewImpact(draft.version, now);
    await scoring.publish(draft.version, '2026-01-01', staff, now);
    await scoring.onModuleDestroy();

    const after = await scoring.distribution({});
    expect(after.byGrade).toEqual(preview.after);
    expect(preview.changed).toBeGreaterThan(0);
    const moved = await t.db.query<{ entity_id: number; grade: string }>(
      `SELECT entity_id, grade FROM entity_score WHERE model_version = $1 ORDER BY entity_id`,
      [draft.version],
    );
    expect(moved).toHaveLength(ENTITIES);
    for (const c of preview.changes) expect(moved.find((m) => m.entity_id === c.entityId)!.grade).toBe(c.toGrade);
    // The migration matrix counts every entity once: its rows sum to before, its columns to after,
    // and its off-diagonal cells to the number that change.
    const sum = (pick: (m: (typeof preview.migrations)[number]) => boolean) =>
      preview.migrations.filter(pick).reduce((n, m) => n + m.count, 0);
    for (const g of ['A', 'B', 'C', 'D', 'E'] as const) {
      expect(sum((m) => m.from === g)).toBe(preview.before[g]);
      expect(sum((m) => m.to === g)).toBe(preview.after[g]);
    }
    expect(sum((m) => m.from !== m.to)).toBe(preview.changed);
    expect(sum(() => true)).toBe(ENTITIES);
  });

  it('refuses to edit a published model', async () => {
    const scoring = new ScoringService(t.db, testConfig());

    await expect(scoring.updateDraft(1, 'x', DEFAULT_MODEL_V1, staff)).rejects.toMatchObject({
      code: 'MODEL_IMMUTABLE',
    });
  });

  it('refuses to publish an invalid draft and says why', async () => {
    const scoring = new ScoringService(t.db, testConfig());
    const broken = {
      ...DEFAULT_MODEL_V1,
      groups: DEFAULT_MODEL_V1.groups.map((g) => (g.code === 'S' ? { ...g, max: 100 } : g)),
    };
    const draft = await scoring.createDraft('坏模型', broken, staff);

    await expect(scoring.publish(draft.version, '2026-01-01', staff)).rejects.toMatchObject({ code: 'MODEL_INVALID' });
  });
});

describe('demo data', () => {
  it('is valid and deterministic for a given seed and date', async () => {
    const { generateDemoRows } = await import('../seed/generator');
    const a = [...generateDemoRows({ entities: 50, seed: 9, asOf: '2026-11-01' })];
    const b = [...generateDemoRows({ entities: 50, seed: 9, asOf: '2026-11-01' })];
    const { parseIngestRow } = await import('@heihe/shared');

    expect(a).toEqual(b);
    expect(a.map((r, i) => parseIngestRow(r, i + 1)).filter((p) => !p.ok)).toEqual([]);
    expect(makeUscc(a[0]!.uscc.slice(0, 17))).toBe(a[0]!.uscc);
  });
});
