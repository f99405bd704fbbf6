import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AppError, ErrorCodes } from '@heihe/shared';
import { createTestDatabase, testBackends, type TestDatabase } from '../../cloud/src/testing/test-db';
import { aJpeg, aPdf, rightsServices, seedEntity, seedUser, staff, type SeededEntity } from './support/fixtures';

const at = (iso: string) => `${iso}T02:00:00.000Z`;

describe.each(testBackends())('credit repair (信用修复) lifecycle on %s', (backend) => {
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

  async function apply(user: Awaited<ReturnType<typeof seedUser>>, e: SeededEntity, key = 'P1') {
    const letter = await s.evidence.upload(user, e.entityId, {
      buffer: aPdf(),
      originalname: '信用修复承诺书.pdf',
      size: aPdf().length,
    });
    const receipt = await s.evidence.upload(user, e.entityId, {
      buffer: aJpeg(),
      originalname: '罚款缴纳凭证.jpg',
      size: aJpeg().length,
    });
    return s.repair.create(user, {
      entityId: e.entityId,
      recordId: e.records[key]!,
      statement: '罚款已于 2026-03-20 足额缴纳，违法行为已整改完毕。',
      materials: [
        { evidenceId: letter.id, type: 'commitment_letter' },
        { evidenceId: receipt.id, type: 'fulfilment_proof' },
      ],
    });
  }

  it('refuses a general penalty before its 3-month minimum period, naming the first possible day', async () => {
    const e = await seedEntity(t.db, {
      records: [{ key: 'P1', kind: 'penalty', occurredOn: '2026-03-10', severity: 'general' }],
    });
    const user = await seedUser(t.db, [e.entityId]);
    s.clock.set(at('2026-06-05'));

    const sut = await apply(user, e).catch((x: unknown) => x);

    expect(sut).toBeInstanceOf(AppError);
    expect(sut).toMatchObject({
      code: ErrorCodes.REPAIR_TOO_EARLY,
      message: '一般失信信息的最短公示期至 2026-06-10 届满，2026-06-11 起可申请信用修复',
      details: [{ path: 'possibleFrom', message: '2026-06-11' }],
    });
    expect(await s.repair.checkEligibility(user, e.entityId, e.records.P1!)).toEqual({
      eligible: false,
      reason: 'too_early',
      possibleFrom: '2026-06-11',
      message: '一般失信信息的最短公示期至 2026-06-10 届满，2026-06-11 起可申请信用修复',
    });
  });

  it('repairs a penalty after its minimum period: 已修复 counts zero, the score rises, regulators are told', async () => {
    const e = await seedEntity(t.db, {
      regionCode: '231181',
      records: [
        { key: 'P1', kind: 'penalty', occurredOn: '2026-03-10', severity: 'general', summary: '黑市监罚〔2026〕5号' },
      ],
    });
    const user = await seedUser(t.db, [e.entityId]);
    await t.db.query(
      `INSERT INTO regulator_subscription (name, webhook_url, secret_cipher, region_prefix) VALUES ('北安市市场监管局', 'http://127.0.0.1:9/x', 'v1:x', '231181')`,
    );
    s.clock.set(at('2026-09-29'));
    const filed = await apply(user, e);
    expect(filed.evidence.map((f) => f.materialType).sort()).toEqual(['commitment_letter', 'fulfilment_proof']);
    expect(filed.deadline.dueOn).toBe('2026-10-14');

    s.clock.set(at('2026-10-09'));
    await s.repair.decide(staff(), filed.id, { action: 'accept' });
    const sut = await s.repair.decide(staff(), filed.id, {
      action: 'approve',
      reason: '已履行处罚决定，承诺书与缴款凭证齐全，准予修复。',
    });

    expect(sut).toMatchObject({
      status: 'approved',
      statusLabel: '已修复',
      record: { status: 'repaired', statusLabel: '已修复' },
    });
    // 40 points decay linearly from 2026-06-10 to 2027-03-10: on 2026-10-09, 40 × 152/273 → 22.
    expect(sut.outcome).toEqual({ scoreBefore: 785, scoreAfter: 807, gradeBefore: 'C', gradeAfter: 'B' });
    const ev = await s.scoring.getEvaluation(e.entityId);
    expect(ev).toMatchObject({ total: 807, trigger: 'repair.approved', reproduced: true });
    expect(ev.records.find((r) => r.recordId === e.records.P1)).toMatchObject({
      status: 'repaired',
      counts: false,
      excluded: 'repaired',
    });
    const notices = await t.db.query<{ message_id: string; payload: { score: { before: number; after: number } } }>(
      `SELECT message_id, payload FROM outbox WHERE destination LIKE 'webhook:%' AND entity_id = $1`,
      [e.entityId],
    );
    expect(notices.map((n) => [n.message_id, n.payload.score.before, n.payload.score.after])).toEqual([
      [`repair.approved:${filed.id}`, 785, 807],
    ]);
  });

  it('lets a minor penalty be repaired from the next day', async () => {
    const e = await seedEntity(t.db, {
      records: [{ key: 'P1', kind: 'safety_violation', occurredOn: '2026-09-28', severity: 'minor' }],
    });
    const user = await seedUser(t.db, [e.entityId]);
    s.clock.set(at('2026-09-29'));

    const sut = await apply(user, e);

    expect(sut.status).toBe('submitted');
  });

  it('refuses records that are not penalties or listings', async () => {
    const e = await seedEntity(t.db, {
      records: [{ key: 'X1', kind: 'enforcement', occurredOn: '2025-01-10', category: 'executed' }],
    });
    const user = await seedUser(t.db, [e.entityId]);
    s.clock.set(at('2026-09-29'));

    await expect(apply(user, e, 'X1')).rejects.toMatchObject({ code: ErrorCodes.REPAIR_NOT_APPLICABLE });
  });

  it('rejects with a reason and leaves the record counting', async () => {
    const e = await seedEntity(t.db, { records: [{ key: 'P1', kind: 'abnormal_listing', occurredOn: '2025-05-10' }] });
    const user = await seedUser(t.db, [e.entityId]);
    s.clock.set(at('2026-09-29'));
    const filed = await apply(user, e);

    const sut = await s.repair.decide(staff(), filed.id, {
      action: 'reject',
      reason: '尚未补报年度报告，不符合移出条件。',
    });

    expect(sut).toMatchObject({ status: 'rejected', record: { status: 'active' } });
  });
});
