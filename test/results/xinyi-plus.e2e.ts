import { RESULT_NOTICE, type IncentiveCheck, type MyXinyiPlus, type XinyiPlusCatalogue } from '@heihe/shared';
import { chinaDate } from '../../cloud/src/common/china-time';
import { Ingestor } from '../../cloud/src/ingest/ingestor';
import { Scorer } from '../../cloud/src/scoring/scorer';
import { ensureDemoXinyiPlus } from '../../cloud/src/seed/demo';
import { testBackends } from '../../cloud/src/testing/test-db';
import {
  codeOf,
  expectStatus,
  Harness,
  type ApiClientHandle,
  type EnterpriseUser,
  type SeededEnterprise,
  type StaffSession,
} from '../support/harness';

const daysAgo = (n: number) => chinaDate(new Date(Date.now() - n * 86_400_000));

async function deliverRows(h: Harness, e: SeededEnterprise, rows: Array<Record<string, unknown>>) {
  const ingestor = new Ingestor(h.db, h.vault);
  const batch = await ingestor.startBatch('xinyi-e2e');
  const res = await ingestor.applyChunk(
    batch,
    rows.map((r, i) => ({ line: i + 1, raw: { type: 'record', sourceSystem: 'xinyi-e2e', uscc: e.uscc, ...r } })),
  );
  await ingestor.finishBatch(batch, 'done');
  if (res.rejected) throw new Error(JSON.stringify(res.errors));
  await new Scorer(h.db).rescore([e.entityId], 'xinyi-e2e.delivery');
}

/** Tax grade A and a large tax paid last year: enough to lift a demo enterprise to grade A. */
async function makeGradeA(h: Harness, e: SeededEnterprise) {
  const year = Number(daysAgo(0).slice(0, 4));
  await deliverRows(h, e, [
    { sourceId: `${e.uscc}-TG`, kind: 'tax_grade', grade: 'A', amount: year - 1, occurredOn: `${year}-04-15` },
    { sourceId: `${e.uscc}-TP`, kind: 'tax_paid', amount: 2e7, occurredOn: `${year - 1}-12-31` },
  ]);
}

const MEASURES = [
  { code: 'xinyi_yue', name: '信易阅', description: '免押金办理借阅证。', provider: '黑河市图书馆', itemCodes: ['*'] },
  {
    code: 'xinyi_you',
    name: '信易游',
    description: '合作景区门票优惠。',
    provider: '黑河市文化广电和旅游局',
    itemCodes: ['LY-001'],
  },
];

/**
 * 信易+ (issue 17 item 4): administrators keep a versioned catalogue of measures for the legal
 * representatives of A-grade entities; the mini program shows a bound legal representative what
 * applies, and approval systems of people-facing services ask checkIncentives by keyed ID hash.
 */
describe.each(testBackends())('信易+ on %s', (backend) => {
  let h: Harness;
  let admin: StaffSession;
  let reviewer: StaffSession;
  let approval: ApiClientHandle;
  let wrong: ApiClientHandle;
  let userA: EnterpriseUser;
  let userB: EnterpriseUser;
  let good: SeededEnterprise;
  let plain: SeededEnterprise;
  const today = () => chinaDate(new Date());

  beforeAll(async () => {
    h = await Harness.start(backend);
    [admin, reviewer, approval, wrong, userA, userB] = await Promise.all([
      h.signInAsStaff('admin'),
      h.signInAsStaff('reviewer'),
      h.apiClient(['incentives:read'], { name: '景区票务系统', kind: 'department' }),
      h.apiClient(['evaluations:read'], { name: '无权限系统' }),
      h.signInAsEnterpriseUser({ enterprise: 0 }),
      h.signInAsEnterpriseUser({ enterprise: 1 }),
    ]);
    [good, plain] = h.enterprises;
    await new Scorer(h.db).rescore([good.entityId, plain.entityId], 'xinyi-e2e.first');
    await makeGradeA(h, good);
  }, 120_000);
  afterAll(() => h?.close(), 60_000);

  const person = (e: SeededEnterprise) => h.vault.hash(e.legalRep.idNumber);
  const check = (idHash: string, itemCode = 'LY-001', auth = approval.auth) =>
    h.get<IncentiveCheck>(`/results/incentives/check?idHash=${idHash}&itemCode=${itemCode}`, auth);

  it('has no catalogue until an administrator publishes one; a reviewer reads it, others may not publish', async () => {
    const none = await h.get('/results/xinyi-plus/measures', admin.auth);
    expect([none.status, codeOf(none)]).toEqual([404, 'NOT_FOUND']);
    const mine = await h.get<MyXinyiPlus>(`/results/entities/${good.entityId}/xinyi-plus`, userA.auth);
    expect(mine.body).toMatchObject({ eligible: false, catalogueVersion: null, measures: [] });

    const body = { effectiveFrom: today(), basis: '黑市开招办发〔2023〕2号', measures: MEASURES };
    expect((await h.post('/results/xinyi-plus/measures', body, reviewer.auth)).status).toBe(403);
    expect((await h.post('/results/xinyi-plus/measures', body, userA.auth)).status).toBe(403);
    const dup = await h.post(
      '/results/xinyi-plus/measures',
      { ...body, measures: [MEASURES[0], MEASURES[0]] },
      admin.auth,
    );
    expect([dup.status, codeOf(dup)]).toEqual([400, 'VALIDATION_FAILED']);
    expect(JSON.stringify(dup.body)).toContain('措施编码 xinyi_yue 重复');
    const past = await h.post('/results/xinyi-plus/measures', { ...body, effectiveFrom: daysAgo(3) }, admin.auth);
    expect([past.status, codeOf(past)]).toEqual([400, 'VALIDATION_FAILED']);

    const sut = await h.post<XinyiPlusCatalogue>('/results/xinyi-plus/measures', body, admin.auth);
    expectStatus(sut, 201, 'updateXinyiPlusMeasures');
    expect(sut.body).toMatchObject({ version: 1, effectiveFrom: today(), notice: RESULT_NOTICE });
    expect(sut.body.measures.map((m) => m.code)).toEqual(['xinyi_yue', 'xinyi_you']);
    const read = await h.get<XinyiPlusCatalogue>('/results/xinyi-plus/measures', reviewer.auth);
    expect(read.body.version).toBe(1);
    const audit = await h.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM audit_log WHERE action = 'xinyi_plus.catalogue.publish'`,
    );
    expect(audit[0]!.n).toBe(1);
  });

  it('shows the legal representative of an A-grade entity every measure, and another grade why not', async () => {
    const a = await h.get<MyXinyiPlus>(`/results/entities/${good.entityId}/xinyi-plus`, userA.auth);
    expectStatus(a, 200, 'getMyXinyiPlus');
    expect(a.body).toMatchObject({ grade: 'A', eligible: true, refusal: null, catalogueVersion: 1 });
    expect(a.body.measures.map((m) => m.name)).toEqual(['信易阅', '信易游']);

    const b = await h.get<MyXinyiPlus>(`/results/entities/${plain.entityId}/xinyi-plus`, userB.auth);
    expect(b.body.grade).not.toBe('A');
    expect(b.body).toMatchObject({ eligible: false, measures: [] });
    expect(b.body.refusal).toMatch(/面向 A 级信用主体的法定代表人；所在主体目前为 [B-E] 级/);

    // Another enterprise's answer is not the caller's to read.
    const cross = await h.get(`/results/entities/${good.entityId}/xinyi-plus`, userB.auth);
    expect([cross.status, codeOf(cross)]).toEqual([404, 'NOT_FOUND']);
  });

  it('answers checkIncentives for a person by keyed ID hash: the measures for the item, audited and counted', async () => {
    const r = await check(person(good));
    expectStatus(r, 200, 'checkIncentives by idHash');
    expect(r.body).toMatchObject({
      subject: 'person',
      uscc: good.uscc,
      grade: 'A',
      eligible: true,
      measures: [],
      refusal: null,
      catalogueVersion: 1,
      notice: RESULT_NOTICE,
    });
    expect(r.body.xinyiPlus.map((m) => m.code)).toEqual(['xinyi_yue', 'xinyi_you']);
    // An item only the `*` measure covers.
    const other = await check(person(good), 'TS-009');
    expect(other.body.xinyiPlus.map((m) => m.code)).toEqual(['xinyi_yue']);
    const audit = await h.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM audit_log WHERE action = 'incentive.check' AND object_type = 'person'`,
    );
    expect(audit[0]!.n).toBe(2);
    // The person's ID number never appears in the answer.
    expect(r.text).not.toContain(good.legalRep.idNumber);
  });

  it('refuses a person whose entity is not A-grade, and an unknown person alike, saying why', async () => {
    const notA = await check(person(plain));
    expect(notA.body).toMatchObject({ subject: 'person', uscc: plain.uscc, eligible: false, xinyiPlus: [] });
    expect(notA.body.refusal).toMatch(/所在主体目前为 [B-E] 级/);
    const unknown = await check('0'.repeat(64));
    expect(unknown.status).toBe(200);
    expect(unknown.body).toMatchObject({ uscc: null, eligible: false, xinyiPlus: [] });
    expect(unknown.body.refusal).toMatch(/不是本市信用评价主体的法定代表人/);
  });

  it('refuses a serious penalty in window whatever the grade', async () => {
    await deliverRows(h, good, [
      {
        sourceId: `${good.uscc}-SP`,
        kind: 'penalty',
        severity: 'serious',
        occurredOn: daysAgo(3),
        summary: '黑市监罚〔2026〕301号',
        documentNo: '黑市监罚〔2026〕301号',
        authority: '黑河市市场监督管理局',
      },
    ]);
    const r = await check(person(good));
    expect(r.body).toMatchObject({ eligible: false, xinyiPlus: [] });
    expect(r.body.refusal).toMatch(/严重行政处罚/);
    const mine = await h.get<MyXinyiPlus>(`/results/entities/${good.entityId}/xinyi-plus`, userA.auth);
    expect(mine.body).toMatchObject({ eligible: false, measures: [] });
  });

  it('validates the query: exactly one of uscc and idHash, a well-formed hash, the scope', async () => {
    const both = await h.get(
      `/results/incentives/check?uscc=${good.uscc}&idHash=${person(good)}&itemCode=X`,
      approval.auth,
    );
    const neither = await h.get('/results/incentives/check?itemCode=X', approval.auth);
    const bad = await check('XYZ');
    for (const r of [both, neither, bad]) expect([r.status, codeOf(r)]).toEqual([400, 'VALIDATION_FAILED']);
    expect(JSON.stringify(neither.body)).toContain('二者之一');
    expect((await check(person(good), 'LY-001', wrong.auth)).status).toBe(403);
    // The entity check still answers as before, with no 信易+ measure in it.
    const entity = await h.get<IncentiveCheck>(
      `/results/incentives/check?uscc=${plain.uscc}&itemCode=XK-0001`,
      approval.auth,
    );
    expect(entity.body).toMatchObject({ subject: 'entity', uscc: plain.uscc, xinyiPlus: [] });
  });

  it('the demo catalogue is published once, in force from the first start', async () => {
    await ensureDemoXinyiPlus(h.db, today());
    const c = await h.get<XinyiPlusCatalogue>('/results/xinyi-plus/measures', admin.auth);
    expect(c.body.version).toBe(1);
  });
});
