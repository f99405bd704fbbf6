import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ErrorCodes, type ApplicationKind } from '@heihe/shared';
import { createTestDatabase, testBackends, type TestDatabase } from '../../cloud/src/testing/test-db';
import { aPdf, rightsServices, seedEntity, seedUser, staff, type SeededEntity } from './support/fixtures';

const at = (iso: string) => `${iso}T02:00:00.000Z`;

type User = Awaited<ReturnType<typeof seedUser>>;

/** The three kinds run one workflow: the same steps leave the same trail, whatever the kind. */
describe.each(testBackends())('the application workflow of the three rights on %s', (backend) => {
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

  const upload = async (user: User, e: SeededEntity) =>
    (await s.evidence.upload(user, e.entityId, { buffer: aPdf(), originalname: '证明.pdf', size: aPdf().length })).id;

  /** Each kind's service, and how to file one of its applications (a general penalty P1, past its minimum period). */
  const kinds = {
    objection: {
      service: () => s.objections,
      file: async (user: User, e: SeededEntity) =>
        s.objections.create(user, {
          entityId: e.entityId,
          recordId: e.records.P1!,
          ground: 'wrong',
          statement: '处罚决定书已被复议机关撤销，请核查。',
          evidenceIds: [await upload(user, e)],
        }),
      resubmit: async (user: User, e: SeededEntity, id: number) =>
        s.objections.resubmit(user, id, { note: '补充复议决定书', evidenceIds: [await upload(user, e)] }),
    },
    good_info: {
      service: () => s.goodInfo,
      file: async (user: User, e: SeededEntity) =>
        s.goodInfo.create(user, {
          entityId: e.entityId,
          category: 'volunteering',
          level: null,
          title: '防汛志愿服务',
          description: '组织员工参加 2026 年防汛志愿服务。',
          occurredOn: '2026-08-01',
          evidenceIds: [await upload(user, e)],
        }),
      resubmit: async (user: User, e: SeededEntity, id: number) =>
        s.goodInfo.resubmit(user, id, { note: '补充服务证明', evidenceIds: [await upload(user, e)] }),
    },
    repair: {
      service: () => s.repair,
      file: async (user: User, e: SeededEntity) =>
        s.repair.create(user, {
          entityId: e.entityId,
          recordId: e.records.P1!,
          statement: '罚款已足额缴纳，违法行为已整改完毕。',
          materials: [
            { evidenceId: await upload(user, e), type: 'commitment_letter' },
            { evidenceId: await upload(user, e), type: 'fulfilment_proof' },
          ],
        }),
      resubmit: async (user: User, e: SeededEntity, id: number) =>
        s.repair.resubmit(user, id, {
          note: '补充整改报告',
          materials: [{ evidenceId: await upload(user, e), type: 'fulfilment_proof' }],
        }),
    },
  } as const;

  async function seeded() {
    const e = await seedEntity(t.db, {
      records: [
        { key: 'P1', kind: 'penalty', occurredOn: '2026-05-06', severity: 'general', summary: '黑市监罚〔2026〕9号' },
      ],
    });
    return { e, user: await seedUser(t.db, [e.entityId]) };
  }

  const auditActions = async (objectType: string, id: number) =>
    (
      await t.db.query<{ action: string }>(
        `SELECT action FROM audit_log WHERE object_type = $1 AND object_id = $2 ORDER BY id`,
        [objectType, String(id)],
      )
    ).map((r) => r.action);

  const objectTypes: Record<ApplicationKind, string> = {
    objection: 'objection',
    good_info: 'good_info_report',
    repair: 'repair_application',
  };

  it.each(Object.keys(kinds) as ApplicationKind[])(
    '%s: file, return, resubmit, accept and reject leave the same timeline and audit trail',
    async (kind) => {
      const k = kinds[kind];
      const { e, user } = await seeded();
      s.clock.set(at('2026-09-30'));
      const filed = await k.file(user, e);
      s.clock.set(at('2026-10-09'));
      await k.service().decide(staff(), filed.id, { action: 'return', reason: '材料不全，请补充。' });
      s.clock.set(at('2026-10-12'));
      const resubmitted = await k.resubmit(user, e, filed.id);
      await k.service().decide(staff(), filed.id, { action: 'accept' });

      const sut = await k.service().decide(staff(), filed.id, { action: 'reject', reason: '经核查，不予支持。' });

      expect(resubmitted.deadline).toMatchObject({ dueOn: '2026-10-21', urgency: 'normal' });
      expect(sut).toMatchObject({
        status: 'rejected',
        decisionReason: '经核查，不予支持。',
        decidedBy: 'staff:reviewer:wang.reviewer',
        deadline: { urgency: 'closed' },
      });
      // A rejected objection lifts the 异议中 flag (a re-score that changes nothing); the others touch no record.
      if (kind === 'objection') expect(sut.outcome.scoreAfter).toBe(sut.outcome.scoreBefore);
      else expect(sut.outcome).toMatchObject({ scoreBefore: null, scoreAfter: null });
      expect(sut.events.map((x) => [x.status, x.actor])).toEqual([
        ['submitted', 'user:' + user.userId],
        ['returned', 'staff:reviewer:wang.reviewer'],
        ['submitted', 'user:' + user.userId],
        ['accepted', 'staff:reviewer:wang.reviewer'],
        ['rejected', 'staff:reviewer:wang.reviewer'],
      ]);
      expect(sut.evidence).toHaveLength(kind === 'repair' ? 3 : 2);
      expect(await auditActions(objectTypes[kind], filed.id)).toEqual([
        `${kind}.file`,
        `${kind}.return`,
        `${kind}.resubmit`,
        `${kind}.accept`,
        `${kind}.reject`,
      ]);
      const seen = await k.service().get(user, filed.id);
      expect(seen).toMatchObject({ decidedBy: null, decisionReason: '经核查，不予支持。' });
      expect(seen.events.map((x) => x.actor)).toEqual(['enterprise', 'agency', 'enterprise', 'agency', 'agency']);
    },
  );

  it('undoes the whole decision when the kind refuses its effect: status, timeline and audit stay as they were', async () => {
    const { e, user } = await seeded();
    s.clock.set(at('2026-09-30'));
    const filed = await kinds.repair.file(user, e);
    await s.repair.decide(staff(), filed.id, { action: 'accept' });
    await t.db.query(
      `UPDATE credit_record_version SET status = 'revoked' WHERE record_id = $1 AND superseded_at IS NULL`,
      [e.records.P1],
    );

    const sut = await s.repair
      .decide(staff(), filed.id, { action: 'approve', reason: '整改到位。' })
      .catch((x: unknown) => x);

    expect(sut).toMatchObject({ code: ErrorCodes.APPLICATION_STATE });
    const after = await s.repair.get(staff(), filed.id);
    expect(after).toMatchObject({ status: 'accepted', decidedAt: null, outcome: { scoreAfter: null } });
    expect(after.events.map((x) => x.status)).toEqual(['submitted', 'accepted']);
    expect(await auditActions('repair_application', filed.id)).toEqual(['repair.file', 'repair.accept']);
  });
});
