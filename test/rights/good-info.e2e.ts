import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ErrorCodes } from '@heihe/shared';
import { createTestDatabase, testBackends, type TestDatabase } from '../../cloud/src/testing/test-db';
import { aPdf, rightsServices, seedEntity, seedUser, staff } from './support/fixtures';

const at = (iso: string) => `${iso}T02:00:00.000Z`;

describe.each(testBackends())('good-information report (自主上报良好信息) lifecycle on %s', (backend) => {
  let t: TestDatabase;
  let s: ReturnType<typeof rightsServices>;
  let dir: string;

  beforeAll(async () => {
    t = await createTestDatabase(backend);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'heihe-evidence-'));
    s = rightsServices(t.db, { evidenceDir: dir });
  }, 60_000);
  afterAll(async () => {
    await t?.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function report(
    user: Awaited<ReturnType<typeof seedUser>>,
    entityId: number,
    over: Partial<Parameters<typeof s.goodInfo.create>[1]> = {},
  ) {
    s.clock.set(at('2026-11-02'));
    const ev = await s.evidence.upload(user, entityId, {
      buffer: aPdf(),
      originalname: '表彰决定.pdf',
      size: aPdf().length,
    });
    return s.goodInfo.create(user, {
      entityId,
      category: 'honour',
      level: 'city',
      title: '2026 年度黑河市守信示范企业',
      description: '市政府表彰决定（黑政发〔2026〕8号）。',
      occurredOn: '2026-10-20',
      evidenceIds: [ev.id],
      ...over,
    });
  }

  it('turns a confirmed honour into a self-report record and re-scores, explaining the bonus', async () => {
    const e = await seedEntity(t.db);
    const user = await seedUser(t.db, [e.entityId]);
    const filed = await report(user, e.entityId);
    expect(filed.deadline).toMatchObject({ dueOn: '2026-11-11', workingDaysLeft: 7 });

    s.clock.set(at('2026-11-05'));
    await s.goodInfo.decide(staff(), filed.id, { action: 'accept' });
    const sut = await s.goodInfo.decide(staff(), filed.id, { action: 'confirm', reason: '经核实，表彰文件真实有效。' });

    expect(sut).toMatchObject({ status: 'confirmed', statusLabel: '已确认', createdRecordId: expect.any(Number) });
    expect(sut.outcome.scoreAfter! - sut.outcome.scoreBefore!).toBe(10);
    const [rec] = await t.db.query<{ source_system: string; kind: string; category: string; reason: string }>(
      `SELECT r.source_system, v.kind::text, v.category, v.reason FROM credit_record r JOIN credit_record_version v ON v.record_id = r.id WHERE r.id = $1`,
      [sut.createdRecordId],
    );
    expect(rec).toEqual({
      source_system: 'self-report',
      kind: 'honour',
      category: 'city',
      reason: 'self_report_confirmed',
    });
    const ev = await s.scoring.getEvaluation(e.entityId);
    expect(ev.trigger).toBe('good_info.confirmed');
    expect(ev.indicators.find((i) => i.code === 'S02')!.effects).toEqual([
      { recordId: sut.createdRecordId, version: 1, points: 10, reason: 'bonus', note: '荣誉表彰（市级），加 10 分' },
    ]);
    expect(ev.records.find((r) => r.recordId === sut.createdRecordId)).toMatchObject({
      kind: 'honour',
      counts: true,
      summary: '2026 年度黑河市守信示范企业',
    });
    // The confirmed report's record and version, and the re-score, carry the entity's bucket (ADR 0025).
    const [b] = await t.db.query<{ buckets: number[]; entity: number }>(
      `SELECT ARRAY[r.bucket, v.bucket, (SELECT bucket FROM evaluation WHERE entity_id = r.entity_id ORDER BY id DESC LIMIT 1)]::int[] AS buckets,
         e.bucket::int AS entity
       FROM credit_record r JOIN credit_record_version v ON v.record_id = r.id JOIN entity e ON e.id = r.entity_id WHERE r.id = $1`,
      [sut.createdRecordId],
    );
    expect(b!.buckets).toEqual([b!.entity, b!.entity, b!.entity]);
  });

  it('confirms volunteering as a welfare record', async () => {
    const e = await seedEntity(t.db);
    const user = await seedUser(t.db, [e.entityId]);
    const filed = await report(user, e.entityId, {
      category: 'volunteering',
      level: null,
      title: '抗洪志愿服务',
      occurredOn: '2026-08-01',
    });
    await s.goodInfo.decide(staff(), filed.id, { action: 'accept' });

    const sut = await s.goodInfo.decide(staff(), filed.id, { action: 'confirm', reason: '团市委出具证明。' });

    const ev = await s.scoring.getEvaluation(e.entityId);
    expect(ev.indicators.find((i) => i.code === 'S03')!.effects).toEqual([
      {
        recordId: sut.createdRecordId,
        version: 1,
        points: 5,
        reason: 'bonus',
        note: '公益与就业（志愿服务），加 5 分',
      },
    ]);
  });

  it('confirms an honour at the level the agency establishes', async () => {
    const e = await seedEntity(t.db);
    const user = await seedUser(t.db, [e.entityId]);
    const filed = await report(user, e.entityId, { level: 'city' });
    await s.goodInfo.decide(staff(), filed.id, { action: 'accept' });

    const sut = await s.goodInfo.decide(staff(), filed.id, {
      action: 'confirm',
      reason: '表彰由省政府作出，按省级确认。',
      level: 'provincial',
    });

    expect(sut).toMatchObject({ level: 'provincial' });
    expect(sut.outcome.scoreAfter! - sut.outcome.scoreBefore!).toBe(15);
  });

  it('rejects with a reason and creates no record', async () => {
    const e = await seedEntity(t.db);
    const user = await seedUser(t.db, [e.entityId]);
    const filed = await report(user, e.entityId);

    const sut = await s.goodInfo.decide(staff(), filed.id, { action: 'reject', reason: '表彰文件无法核实。' });

    expect(sut).toMatchObject({
      status: 'rejected',
      createdRecordId: null,
      outcome: { scoreBefore: null, scoreAfter: null },
    });
    const [n] = await t.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM credit_record WHERE entity_id = $1 AND source_system = 'self-report'`,
      [e.entityId],
    );
    expect(n!.n).toBe(0);
  });

  it('refuses a report dated in the future and a duplicate of an open one', async () => {
    const e = await seedEntity(t.db);
    const user = await seedUser(t.db, [e.entityId]);
    await report(user, e.entityId);

    await expect(report(user, e.entityId)).rejects.toMatchObject({ code: ErrorCodes.APPLICATION_OPEN });
    await expect(report(user, e.entityId, { title: '明年的荣誉', occurredOn: '2026-12-01' })).rejects.toMatchObject({
      code: ErrorCodes.VALIDATION_FAILED,
    });
  });

  it('notifies the applicant who accepted the template, and nobody who did not', async () => {
    const e = await seedEntity(t.db);
    const consenting = await seedUser(t.db, [e.entityId]);
    const silent = await seedUser(t.db, [e.entityId]);
    await t.db.query(`INSERT INTO subscribe_consent (user_id, template_id) VALUES ($1, $2)`, [
      consenting.userId,
      s.config.WECHAT_TEMPLATE_DECISION,
    ]);
    const a = await report(consenting, e.entityId);
    const b = await report(silent, e.entityId, { title: '另一项荣誉' });

    await s.goodInfo.decide(staff(), a.id, { action: 'accept' });
    await s.goodInfo.decide(staff(), b.id, { action: 'accept' });

    const sut = await t.db.query<{ destination: string; payload: { data: Record<string, { value: string }> } }>(
      `SELECT destination, payload FROM outbox WHERE destination LIKE 'wechat:%' AND entity_id = $1`,
      [e.entityId],
    );
    expect(sut.map((r) => r.destination)).toEqual([`wechat:${consenting.userId}`]);
    expect(sut[0]!.payload.data).toEqual({
      thing1: { value: '良好信息上报' },
      phrase2: { value: '已受理' },
      thing3: { value: '已受理，核实中' },
      time4: { value: '2026-11-02 10:00' },
    });
    const [used] = await t.db.query<{ used: boolean }>(
      `SELECT used_at IS NOT NULL AS used FROM subscribe_consent WHERE user_id = $1`,
      [consenting.userId],
    );
    expect(used!.used).toBe(true);
  });
});
