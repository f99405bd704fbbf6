import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ErrorCodes, type EvaluationResponse } from '@heihe/shared';
import { createTestDatabase, testBackends, type TestDatabase } from '../../cloud/src/testing/test-db';
import { aJpeg, rightsServices, seedEntity, seedUser, staff, type SeededEntity } from './support/fixtures';

const at = (iso: string) => `${iso}T02:00:00.000Z`; // 10:00 China time
const indicator = (ev: EvaluationResponse, code: string) => ev.indicators.find((i) => i.code === code)!;

describe.each(testBackends())('objection (异议) lifecycle on %s', (backend) => {
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

  async function filed(
    e: SeededEntity,
    user: Awaited<ReturnType<typeof seedUser>>,
    key = 'P1',
    ground: 'wrong' | 'duplicate' = 'wrong',
  ) {
    s.clock.set(at('2026-09-30'));
    const ev = await s.evidence.upload(user, e.entityId, {
      buffer: aJpeg(),
      originalname: '处罚决定书.jpg',
      size: aJpeg().length,
    });
    return s.objections.create(user, {
      entityId: e.entityId,
      recordId: e.records[key]!,
      ground,
      statement: '该处罚已被复议机关撤销，附复议决定书。',
      evidenceIds: [ev.id],
    });
  }

  it('flags the record 异议中, is due in 7 working days across National Day, and upholds it with a new score', async () => {
    const e = await seedEntity(t.db, {
      records: [
        { key: 'P1', kind: 'penalty', occurredOn: '2026-08-20', severity: 'general', summary: '黑环罚〔2026〕17号' },
      ],
    });
    const user = await seedUser(t.db, [e.entityId]);
    await t.db.query(
      `INSERT INTO regulator_subscription (name, webhook_url, secret_cipher, industry_prefix) VALUES ('市市场监管局', 'http://127.0.0.1:9/hook', 'v1:x', 'C13')`,
    );
    await t.db.query(`INSERT INTO subscribe_consent (user_id, template_id) VALUES ($1, $2)`, [
      user.userId,
      s.config.WECHAT_TEMPLATE_DECISION,
    ]);

    const sut = await filed(e, user);

    expect(sut).toMatchObject({
      status: 'submitted',
      ground: 'wrong',
      groundLabel: '错误',
      record: { status: 'under_objection', statusLabel: '异议中' },
    });
    expect(sut.deadline).toEqual({
      dueOn: '2026-10-15',
      provisional: false,
      provisionalReason: null,
      workingDaysLeft: 7,
      urgency: 'normal',
      escalated: false,
    });
    const flagged = await s.scoring.getEvaluation(e.entityId);
    expect(flagged.records.find((r) => r.recordId === e.records.P1)).toMatchObject({
      underObjection: true,
      counts: true,
    });

    s.clock.set(at('2026-10-09'));
    const accepted = await s.objections.decide(staff(), sut.id, { action: 'accept' });
    expect(accepted.deadline).toMatchObject({ workingDaysLeft: 5, urgency: 'normal' });

    s.clock.set(at('2026-10-12'));
    const upheld = await s.objections.decide(staff(), sut.id, {
      action: 'uphold',
      reason: '经核查，该处罚已于 2026-09-15 被复议撤销。',
      correction: { action: 'revoke' },
    });

    expect(upheld).toMatchObject({
      status: 'upheld',
      statusLabel: '异议成立',
      record: { status: 'revoked' },
      decidedBy: 'staff:reviewer:wang.reviewer',
    });
    expect(upheld.outcome).toEqual({ scoreBefore: 767, scoreAfter: 807, gradeBefore: 'C', gradeAfter: 'B' });
    const ev = await s.scoring.getEvaluation(e.entityId);
    expect({ total: ev.total, grade: ev.grade, trigger: ev.trigger, reproduced: ev.reproduced }).toEqual({
      total: 807,
      grade: 'B',
      trigger: 'objection.upheld',
      reproduced: true,
    });
    expect(ev.records.find((r) => r.recordId === e.records.P1)).toMatchObject({
      status: 'revoked',
      counts: false,
      excluded: 'revoked',
    });
    expect(indicator(ev, 'O02')).toMatchObject({ points: 150 });
    expect(indicator(ev, 'O02').effects.some((f) => f.recordId === e.records.P1)).toBe(false);
  });

  it('keeps every version: delivered, 异议中, revoked by the upheld objection', async () => {
    const e = await seedEntity(t.db, {
      records: [{ key: 'P1', kind: 'penalty', occurredOn: '2026-08-20', severity: 'general' }],
    });
    const user = await seedUser(t.db, [e.entityId]);
    const o = await filed(e, user);
    await s.objections.decide(staff(), o.id, { action: 'accept' });
    await s.objections.decide(staff(), o.id, {
      action: 'uphold',
      reason: '重复公示，予以撤销。',
      correction: { action: 'revoke' },
    });

    const sut = await t.db.query<{ version: number; status: string; reason: string; open: boolean }>(
      `SELECT version, status::text, reason, superseded_at IS NULL AS open FROM credit_record_version WHERE record_id = $1 ORDER BY version`,
      [e.records.P1],
    );

    expect(sut).toEqual([
      { version: 1, status: 'active', reason: 'delivery', open: false },
      { version: 2, status: 'under_objection', reason: 'objection_filed', open: false },
      { version: 3, status: 'revoked', reason: 'objection_upheld', open: true },
    ]);
  });

  it('audits every step with the reviewer and queues the regulators and the applicant in the same transaction', async () => {
    const e = await seedEntity(t.db, {
      industryCode: 'F5123',
      records: [{ key: 'P1', kind: 'penalty', occurredOn: '2026-08-20', severity: 'general' }],
    });
    const user = await seedUser(t.db, [e.entityId]);
    const subs = await t.db.query<{ id: number }>(
      `INSERT INTO regulator_subscription (name, webhook_url, secret_cipher, industry_prefix, region_prefix)
       VALUES ('商务局', 'http://127.0.0.1:9/a', 'v1:x', 'F51', NULL), ('爱辉区', 'http://127.0.0.1:9/b', 'v1:x', NULL, '2311'),
              ('农业农村局', 'http://127.0.0.1:9/c', 'v1:x', 'A', NULL) RETURNING id`,
    );
    await t.db.query(`INSERT INTO subscribe_consent (user_id, template_id) VALUES ($1, $2), ($1, $2)`, [
      user.userId,
      s.config.WECHAT_TEMPLATE_DECISION,
    ]);
    const o = await filed(e, user);
    await s.objections.decide(staff('reviewer', 'li.reviewer'), o.id, { action: 'accept' });
    await s.objections.decide(staff('admin', 'zhao.admin'), o.id, {
      action: 'uphold',
      reason: '认定机关已更正。',
      correction: { action: 'revoke' },
    });

    const audit = await t.db.query<{ action: string; actor_id: string }>(
      `SELECT action, actor_id FROM audit_log WHERE object_type = 'objection' AND object_id = $1 ORDER BY id`,
      [String(o.id)],
    );
    const outbox = await t.db.query<{ destination: string; message_id: string }>(
      `SELECT destination, message_id FROM outbox WHERE entity_id = $1 AND destination <> 'internal' ORDER BY destination, message_id`,
      [e.entityId],
    );

    expect(audit).toEqual([
      { action: 'objection.file', actor_id: String(user.userId) },
      { action: 'objection.accept', actor_id: 'reviewer:li.reviewer' },
      { action: 'objection.uphold', actor_id: 'admin:zhao.admin' },
    ]);
    // The revocation also recalls the results sent before that counted the record (ADR 0019).
    expect(outbox).toEqual([
      { destination: `webhook:${subs[0]!.id}`, message_id: `objection.upheld:${o.id}` },
      { destination: `webhook:${subs[0]!.id}`, message_id: `result.recalled:objection.upheld:${o.id}` },
      { destination: `webhook:${subs[1]!.id}`, message_id: `objection.upheld:${o.id}` },
      { destination: `webhook:${subs[1]!.id}`, message_id: `result.recalled:objection.upheld:${o.id}` },
      { destination: `wechat:${user.userId}`, message_id: `objection.accepted:${o.id}` },
      { destination: `wechat:${user.userId}`, message_id: `objection.upheld:${o.id}` },
    ]);
  });

  it('corrects a record instead of revoking it: the corrected version counts, for less', async () => {
    const e = await seedEntity(t.db, {
      records: [{ key: 'P1', kind: 'penalty', occurredOn: '2026-08-20', severity: 'serious' }],
    });
    const user = await seedUser(t.db, [e.entityId]);
    const o = await filed(e, user, 'P1');
    await s.objections.decide(staff(), o.id, { action: 'accept' });

    const sut = await s.objections.decide(staff(), o.id, {
      action: 'uphold',
      reason: '处罚决定书载明为一般违法行为，原报送为严重，予以更正。',
      correction: { action: 'correct', fields: { severity: 'general' } },
    });

    expect(sut.record).toMatchObject({ status: 'active', severity: 'general' });
    expect(sut.outcome.scoreAfter! - sut.outcome.scoreBefore!).toBe(60);
    const ev = await s.scoring.getEvaluation(e.entityId);
    expect(indicator(ev, 'O02').effects.find((f) => f.recordId === e.records.P1)).toMatchObject({ points: -40 });
  });

  it('rejects with a written reason: the flag goes, the score stays', async () => {
    const e = await seedEntity(t.db, {
      records: [{ key: 'P1', kind: 'penalty', occurredOn: '2026-08-20', severity: 'general' }],
    });
    const user = await seedUser(t.db, [e.entityId]);
    const o = await filed(e, user);
    const before = (await s.scoring.getEvaluation(e.entityId)).total;

    const sut = await s.objections.decide(staff(), o.id, {
      action: 'reject',
      reason: '处罚决定合法有效，异议理由不成立。',
    });

    expect(sut).toMatchObject({
      status: 'rejected',
      statusLabel: '异议不成立',
      decisionReason: '处罚决定合法有效，异议理由不成立。',
      record: { status: 'active' },
    });
    expect(sut.outcome).toMatchObject({ scoreBefore: before, scoreAfter: before });
    const ev = await s.scoring.getEvaluation(e.entityId);
    expect(ev.records.find((r) => r.recordId === e.records.P1)).toMatchObject({ underObjection: false, counts: true });
  });

  it('returns for material and restarts the time limit from the resubmission', async () => {
    const e = await seedEntity(t.db, {
      records: [{ key: 'P1', kind: 'penalty', occurredOn: '2026-08-20', severity: 'general' }],
    });
    const user = await seedUser(t.db, [e.entityId]);
    const o = await filed(e, user);
    s.clock.set(at('2026-10-09'));
    const returned = await s.objections.decide(staff(), o.id, {
      action: 'return',
      reason: '请补充复议决定书原件照片。',
    });
    expect(returned.deadline.urgency).toBe('paused');

    s.clock.set(at('2026-10-20'));
    const ev = await s.evidence.upload(user, e.entityId, {
      buffer: aJpeg(),
      originalname: '复议决定书.jpg',
      size: aJpeg().length,
    });
    const sut = await s.objections.resubmit(user, o.id, { note: '已补充复议决定书原件照片', evidenceIds: [ev.id] });

    expect(sut).toMatchObject({ status: 'submitted', record: { status: 'under_objection' } });
    expect(sut.deadline).toMatchObject({ dueOn: '2026-10-29', workingDaysLeft: 7 });
    expect(sut.evidence).toHaveLength(2);
    expect(sut.events.map((x) => [x.status, x.actor])).toEqual([
      ['submitted', 'enterprise'],
      ['returned', 'agency'],
      ['submitted', 'enterprise'],
    ]);
  });

  it('refuses decisions out of order, twice, or by the enterprise', async () => {
    const e = await seedEntity(t.db, {
      records: [{ key: 'P1', kind: 'penalty', occurredOn: '2026-08-20', severity: 'general' }],
    });
    const user = await seedUser(t.db, [e.entityId]);
    const o = await filed(e, user);

    await expect(
      s.objections.decide(staff(), o.id, {
        action: 'uphold',
        reason: '直接认定成立。',
        correction: { action: 'revoke' },
      }),
    ).rejects.toMatchObject({
      code: ErrorCodes.APPLICATION_STATE,
    });
    await expect(s.objections.decide(user, o.id, { action: 'accept' })).rejects.toMatchObject({
      code: ErrorCodes.FORBIDDEN,
    });
    await expect(s.objections.decide(staff('investment_officer'), o.id, { action: 'accept' })).rejects.toMatchObject({
      code: ErrorCodes.FORBIDDEN,
    });
    await s.objections.decide(staff(), o.id, { action: 'reject', reason: '理由不成立。' });
    await expect(s.objections.decide(staff(), o.id, { action: 'reject', reason: '再次办理。' })).rejects.toMatchObject({
      code: ErrorCodes.APPLICATION_STATE,
    });
  });

  it('refuses a second open objection, and a repair, on a record under objection', async () => {
    const e = await seedEntity(t.db, {
      records: [{ key: 'P1', kind: 'penalty', occurredOn: '2026-01-20', severity: 'general' }],
    });
    const user = await seedUser(t.db, [e.entityId]);
    await filed(e, user);

    await expect(filed(e, user)).rejects.toMatchObject({ code: ErrorCodes.APPLICATION_OPEN });
    const ev = await s.evidence.upload(user, e.entityId, {
      buffer: aJpeg(),
      originalname: 'a.jpg',
      size: aJpeg().length,
    });
    const ev2 = await s.evidence.upload(user, e.entityId, {
      buffer: aJpeg(),
      originalname: 'b.jpg',
      size: aJpeg().length,
    });
    await expect(
      s.repair.create(user, {
        entityId: e.entityId,
        recordId: e.records.P1!,
        statement: '已缴纳罚款并完成整改，申请信用修复。',
        materials: [
          { evidenceId: ev.id, type: 'commitment_letter' },
          { evidenceId: ev2.id, type: 'fulfilment_proof' },
        ],
      }),
    ).rejects.toMatchObject({ code: ErrorCodes.APPLICATION_OPEN });
  });

  it("refuses another enterprise's record, and files nothing for a user not bound to the entity", async () => {
    const a = await seedEntity(t.db, {
      records: [{ key: 'P1', kind: 'penalty', occurredOn: '2026-08-20', severity: 'general' }],
    });
    const b = await seedEntity(t.db, {
      records: [{ key: 'P1', kind: 'penalty', occurredOn: '2026-08-20', severity: 'general' }],
    });
    const userA = await seedUser(t.db, [a.entityId]);
    const ev = await s.evidence.upload(userA, a.entityId, {
      buffer: aJpeg(),
      originalname: 'a.jpg',
      size: aJpeg().length,
    });

    await expect(
      s.objections.create(userA, {
        entityId: a.entityId,
        recordId: b.records.P1!,
        ground: 'wrong',
        statement: '别家企业的记录，试试看。',
        evidenceIds: [ev.id],
      }),
    ).rejects.toMatchObject({ code: ErrorCodes.NOT_FOUND });
    await expect(
      s.objections.create(userA, {
        entityId: b.entityId,
        recordId: b.records.P1!,
        ground: 'wrong',
        statement: '别家企业的记录，试试看。',
        evidenceIds: [ev.id],
      }),
    ).rejects.toMatchObject({ code: ErrorCodes.NOT_FOUND });
    const [n] = await t.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM objection WHERE entity_id = ANY($1::int[])`,
      [[a.entityId, b.entityId]],
    );
    expect(n!.n).toBe(0);
  });
});
