import { RESULT_NOTICE } from '@heihe/shared';
import { Clock } from '../../cloud/src/common/clock';
import { testBackends } from '../../cloud/src/testing/test-db';
import { codeOf, expectStatus, Harness, type ApiClientHandle, type EnterpriseUser } from '../support/harness';
import { aProduct, gradeOf, LOAN_SCOPE, makeBelowA, makeGradeA, upsertProduct } from './support/loans';

interface Product {
  id: number;
  name: string;
  bankName: string;
  minGrade: string;
  minRate: number;
}
interface Products {
  grade: string | null;
  recommended: boolean;
  items: Product[];
}
interface Authorization {
  id: number;
  state: 'active' | 'expired' | 'revoked';
  scopes: string[];
  expiresAt: string;
  bankName: string;
  reads: Array<{ at: string; scopes: string[] }>;
}
interface Credit {
  uscc: string;
  scopes: string[];
  evaluation: { grade: string; total: number } | null;
  records: Array<{ kind: string }> | null;
  notice: string;
}
interface Application {
  id: number;
  status: string;
  statusLabel: string;
  approvedAmount: number | null;
  approvedRate: number | null;
  rejectReason: string | null;
  dueAt: string;
  createdAt: string;
  overdue: boolean;
  authorization: { id: number; state: string; scopes: string[] };
  timeline: Array<{ status: string; note: string | null }>;
}

const DAY = 86_400_000;

describe.each(testBackends())('信易贷 on %s', (backend) => {
  let h: Harness;
  let bank1: ApiClientHandle;
  let bank2: ApiClientHandle;
  let noScope: ApiClientHandle;
  let userA: EnterpriseUser;
  let userB: EnterpriseUser;
  let gradeB: string | null;
  const ids: Record<string, number> = {};

  beforeAll(async () => {
    h = await Harness.start(backend);
    [bank1, bank2, noScope] = await Promise.all([
      h.apiClient([LOAN_SCOPE, 'recommendations:read'], { name: '甲银行' }),
      h.apiClient([LOAN_SCOPE], { name: '乙银行' }),
      h.apiClient(['evaluations:read', 'recommendations:read'], { name: '未开通信易贷的银行' }),
    ]);
    const [a, b] = h.enterprises;
    await makeGradeA(h, a);
    await makeBelowA(h, b);
    gradeB = await gradeOf(h, b.entityId);
    [userA, userB] = await Promise.all([
      h.signInAsEnterpriseUser({ enterprise: 0 }),
      h.signInAsEnterpriseUser({ enterprise: 1 }),
    ]);
    ids.forA = await upsertProduct(h, bank1, aProduct({ name: '诚信贷', minGrade: 'A', regions: ['2311'] }));
    ids.forAll = await upsertProduct(h, bank2, aProduct({ name: '小微快贷', minGrade: 'E', slaDays: 2 }));
    ids.otherRegion = await upsertProduct(h, bank1, aProduct({ name: '外地贷', regions: ['110101'] }));
    ids.otherIndustry = await upsertProduct(h, bank2, aProduct({ name: '建筑贷', industries: ['E47'] }));
    ids.inactive = await upsertProduct(h, bank1, aProduct({ name: '已下架贷', active: false }));
  }, 180_000);
  afterAll(() => h?.close());

  const products = (u: EnterpriseUser) => h.get<Products>(`/loans/products?entityId=${u.enterprise!.entityId}`, u.auth);
  const grant = (u: EnterpriseUser, bank: ApiClientHandle, scopes: string[], days = 30) =>
    h.post<Authorization>(
      '/loans/authorizations',
      { entityId: u.enterprise!.entityId, bankId: bank.id, scopes, days },
      u.auth,
    );
  const read = (bank: ApiClientHandle, uscc = h.enterprises[0].uscc) =>
    h.get<Credit>(`/loans/credit/${uscc}`, bank.auth);
  const mine = (u: EnterpriseUser) =>
    h.get<{ items: Authorization[] }>(`/loans/authorizations?entityId=${u.enterprise!.entityId}`, u.auth);
  const move = (bank: ApiClientHandle, id: number, body: Record<string, unknown>) =>
    h.post<Application>(`/loans/applications/${id}/status`, body, bank.auth);

  it('shows an enterprise the active products its grade, industry and region qualify for, with the 推介 flag at grade A', async () => {
    expect(await gradeOf(h, h.enterprises[0].entityId)).toBe('A');
    expect(gradeB).not.toBe('A');

    const a = await products(userA);
    const b = await products(userB);

    expect(a.status).toBe(200);
    expect(a.body).toMatchObject({ grade: 'A', recommended: true });
    expect(a.body.items.map((p) => p.name).sort()).toEqual(['小微快贷', '诚信贷'].sort());
    expect(a.body.items.find((p) => p.name === '诚信贷')).toMatchObject({ bankName: '甲银行', minRate: 3.45 });
    expect(b.body).toMatchObject({ grade: gradeB, recommended: false });
    expect(b.body.items.map((p) => p.name)).toEqual(['小微快贷']);
  });

  it("shows a bank its own products, inactive ones too, and refuses its edit of another bank's product", async () => {
    const own = await h.get<Products>('/loans/products', bank1.auth);
    const edit = await h.post('/loans/products', aProduct({ id: ids.forAll, name: '改名' }), bank1.auth);
    const noLoans = await h.get('/loans/products', noScope.auth);
    const ownEdit = await h.post<Product>(
      '/loans/products',
      aProduct({ id: ids.forA, name: '诚信贷', minGrade: 'A', regions: ['2311'], minRate: 3.2 }),
      bank1.auth,
    );

    expect(own.body.items.map((p) => p.name).sort()).toEqual(['外地贷', '已下架贷', '诚信贷'].sort());
    expect(edit.status).toBe(404);
    const theirs = await h.db.prisma.loanProduct.findUniqueOrThrow({ where: { id: ids.forAll } });
    expect(theirs.name).toBe('小微快贷');
    expect(noLoans.status).toBe(403);
    expect(ownEdit.status).toBe(200);
    expect(ownEdit.body.minRate).toBe(3.2);
  });

  it('refuses a product whose ranges are upside down, and an authorisation beyond 90 days', async () => {
    const ranges = await h.post('/loans/products', aProduct({ name: '倒置', minAmount: 600 }), bank1.auth);
    const long = await grant(userA, bank1, ['evaluation'], 91);

    expect(ranges.status).toBe(400);
    expect(long.status).toBe(400);
  });

  it('lets a bank read what the enterprise authorised, and only that; everyone else gets the same 404', async () => {
    const g = await grant(userA, bank1, ['evaluation']);
    expect(g.status).toBe(201);
    expect(g.body).toMatchObject({ state: 'active', scopes: ['evaluation'], bankName: '甲银行' });

    const ok = await read(bank1);
    const other = await read(bank2);
    const unknown = await read(bank1, h.enterprises[1].uscc);
    const missing = await read(bank1, '91231102MA1234567X'.slice(0, 17) + 'X');
    const notBank = await read(noScope);

    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ uscc: h.enterprises[0].uscc, scopes: ['evaluation'], notice: RESULT_NOTICE });
    expect(ok.body.evaluation).toMatchObject({ grade: 'A' });
    expect(ok.body.records).toBeNull();
    expect(other.status).toBe(404);
    expect(unknown.status).toBe(404);
    expect(unknown.body).toEqual(other.body);
    expect([400, 404]).toContain(missing.status);
    expect(notBank.status).toBe(403);
    const reads = await h.db.prisma.auditLog.count({
      where: { action: 'loan.credit_read', objectId: String(g.body.id), entityId: h.enterprises[0].entityId },
    });
    expect(reads).toBe(1);
    const listed = (await mine(userA)).body.items.find((a) => a.id === g.body.id)!;
    expect(listed.reads).toHaveLength(1);
    expect(listed.reads[0]!.scopes).toEqual(['evaluation']);
  });

  it('an expired authorisation lets nothing through from the next request on, as a revoked one', async () => {
    const g = await grant(userB, bank2, ['evaluation', 'records'], 10);
    const before = await read(bank2, h.enterprises[1].uscc);
    expect(before.status).toBe(200);
    expect(before.body.records).not.toBeNull();

    const clock = h.app.get(Clock);
    const realNow = clock.now.bind(clock);
    const spy = jest.spyOn(clock, 'now').mockImplementation(() => new Date(realNow().getTime() + 10 * DAY + 1000));
    try {
      const after = await read(bank2, h.enterprises[1].uscc);
      const listed = (await mine(userB)).body.items.find((a) => a.id === g.body.id)!;

      expect(after.status).toBe(404);
      expect(listed.state).toBe('expired');
    } finally {
      spy.mockRestore();
    }
  });

  it('a revocation takes effect on the next request, and another enterprise cannot revoke it', async () => {
    const g = await grant(userA, bank2, ['records']);
    expect((await read(bank2)).status).toBe(200);

    const foreign = await h.post(`/loans/authorizations/${g.body.id}/revoke`, {}, userB.auth);
    expect(foreign.status).toBe(404);
    expect((await read(bank2)).status).toBe(200);

    const revoked = await h.post<Authorization>(`/loans/authorizations/${g.body.id}/revoke`, {}, userA.auth);
    const after = await read(bank2);

    expect(revoked.status).toBe(200);
    expect(revoked.body.state).toBe('revoked');
    expect(after.status).toBe(404);
    const audit = await h.db.prisma.auditLog.count({
      where: { action: 'data_authorization.revoke', objectId: String(g.body.id) },
    });
    expect(audit).toBe(1);
  });

  it('moves an application 受理 → 授信 → 放款, refuses illegal moves with a stable code, and messages the enterprise each time', async () => {
    const consent = await h.post(
      '/notify/consents',
      { templateIds: Array(3).fill(h.config.WECHAT_TEMPLATE_DECISION) },
      userA.auth,
    );
    expectStatus(consent, 200, 'recordSubscribeConsent');
    const created = await h.post<Application>(
      '/loans/applications',
      {
        entityId: userA.enterprise!.entityId,
        productId: ids.forA,
        amount: 200,
        termMonths: 12,
        purpose: '采购原粮',
        authorization: { scopes: ['evaluation', 'records'], days: 90 },
      },
      userA.auth,
    );
    expect(created.status).toBe(201);
    const app = created.body;
    expect(app).toMatchObject({ status: 'submitted', overdue: false, authorization: { state: 'active' } });
    expect(Date.parse(app.dueAt) - Date.parse(app.createdAt)).toBe(3 * DAY);
    const again = await h.post(
      '/loans/applications',
      {
        entityId: userA.enterprise!.entityId,
        productId: ids.forA,
        amount: 100,
        termMonths: 12,
        purpose: '再次申请',
        authorization: { scopes: ['evaluation'], days: 30 },
      },
      userA.auth,
    );
    expect(again.status).toBe(409);
    // The authorisation given with the application lets the bank read at once.
    expect((await read(bank1)).body.records).not.toBeNull();

    const listed = await h.get<{ items: Application[] }>('/loans/applications', bank1.auth);
    const othersList = await h.get<{ items: Application[] }>('/loans/applications', bank2.auth);
    expect(listed.body.items.map((a) => a.id)).toContain(app.id);
    expect(othersList.body.items.map((a) => a.id)).not.toContain(app.id);

    const skip = await move(bank1, app.id, { status: 'disbursed' });
    const foreign = await move(bank2, app.id, { status: 'accepted' });
    expect(skip.status).toBe(409);
    expect(codeOf(skip)).toBe('LOAN_TRANSITION');
    expect(foreign.status).toBe(404);

    expect((await move(bank1, app.id, { status: 'accepted' })).status).toBe(200);
    const noTerms = await move(bank1, app.id, { status: 'approved' });
    expect(noTerms.status).toBe(400);
    const approved = await move(bank1, app.id, { status: 'approved', approvedAmount: 150, approvedRate: 3.65 });
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({ status: 'approved', approvedAmount: 150, approvedRate: 3.65 });
    const twice = await move(bank1, app.id, { status: 'approved', approvedAmount: 150, approvedRate: 3.65 });
    expect(codeOf(twice)).toBe('LOAN_TRANSITION');
    expect((await move(bank1, app.id, { status: 'disbursed', note: '已放款至基本户' })).status).toBe(200);

    const seen = await h.get<{ items: Application[] }>(
      `/loans/applications/mine?entityId=${userA.enterprise!.entityId}`,
      userA.auth,
    );
    const final = seen.body.items.find((a) => a.id === app.id)!;
    expect(final.status).toBe('disbursed');
    expect(final.timeline.map((t) => t.status)).toEqual(['submitted', 'accepted', 'approved', 'disbursed']);
    const queued = await h.db.prisma.outbox.findMany({
      where: { topic: 'loan.updated', destination: `wechat:${userA.userId}` },
      select: { messageId: true, payload: true },
      orderBy: { id: 'asc' },
    });
    expect(queued.map((m) => m.messageId)).toEqual([
      `loan.accepted:${app.id}`,
      `loan.approved:${app.id}`,
      `loan.disbursed:${app.id}`,
    ]);
    expect(JSON.stringify(queued[1]!.payload)).toContain('授信 150 万元');
    const audited = await h.db.prisma.auditLog.count({
      where: { action: 'loan_application.update', objectId: String(app.id) },
    });
    expect(audited).toBe(3);
  });

  it('requires a reason to reject, and a rejected application moves no further', async () => {
    const created = await h.post<Application>(
      '/loans/applications',
      {
        entityId: userB.enterprise!.entityId,
        productId: ids.forAll,
        amount: 30,
        termMonths: 6,
        purpose: '补充流动资金',
        authorization: { scopes: ['evaluation'], days: 30 },
      },
      userB.auth,
    );
    expect(created.status).toBe(201);
    const id = created.body.id;

    const bare = await move(bank2, id, { status: 'rejected' });
    const rejected = await move(bank2, id, { status: 'rejected', reason: '近一年存在严重行政处罚' });
    const after = await move(bank2, id, { status: 'accepted' });

    expect(bare.status).toBe(400);
    expect(rejected.body).toMatchObject({ status: 'rejected', rejectReason: '近一年存在严重行政处罚' });
    expect(codeOf(after)).toBe('LOAN_TRANSITION');
  });

  it("refuses an application to a product the enterprise does not qualify for, or outside the product's limits", async () => {
    const base = {
      entityId: userB.enterprise!.entityId,
      termMonths: 12,
      purpose: '扩大生产',
      authorization: { scopes: ['evaluation'], days: 30 },
    };
    const notA = await h.post('/loans/applications', { ...base, productId: ids.forA, amount: 50 }, userB.auth);
    const tooMuch = await h.post(
      '/loans/applications',
      { ...base, entityId: userA.enterprise!.entityId, productId: ids.forAll, amount: 501 },
      userA.auth,
    );
    const foreign = await h.post('/loans/applications', { ...base, productId: ids.forAll, amount: 50 }, userA.auth);

    expect(notA.status).toBe(422);
    expect(codeOf(notA)).toBe('LOAN_NOT_ELIGIBLE');
    expect(tooMuch.status).toBe(422);
    expect(foreign.status).toBe(404);
  });

  it('tracking: applications by status, approval rate, amounts and time to decision across banks, for administrators and reviewers only', async () => {
    type Stats = {
      total: number;
      byStatus: { status: string; label: string; count: number }[];
      approvalRate: number | null;
      requestedAmount: number;
      approvedAmount: number;
      decided: number;
      decisionHoursMedian: number | null;
      decisionHoursP90: number | null;
      overdue: number;
    };
    const admin = await h.signInAsStaff('admin');
    const r = await h.get<Stats>('/loans/stats', admin.auth);
    expectStatus(r, 200, 'getLoanStats');

    // Every bank's applications, as the table holds them.
    const rows = await h.db.query<{ status: string; amount: number; approved: number | null; decided: boolean }>(
      `SELECT status, amount, approved_amount AS approved, decided_at IS NOT NULL AS decided FROM loan_application`,
    );
    const n = (st: string) => rows.filter((x) => x.status === st).length;
    const approved = n('approved') + n('disbursed');
    expect(approved).toBeGreaterThan(0);
    expect(n('rejected')).toBeGreaterThan(0);
    expect(r.body.total).toBe(rows.length);
    expect(r.body.byStatus.find((s) => s.status === 'rejected')).toEqual({
      status: 'rejected',
      label: '未获授信',
      count: n('rejected'),
    });
    expect(r.body.decided).toBe(approved + n('rejected'));
    expect(r.body.approvalRate).toBeCloseTo(approved / (approved + n('rejected')));
    expect(r.body.requestedAmount).toBe(rows.reduce((t, x) => t + x.amount, 0));
    expect(r.body.approvedAmount).toBe(rows.reduce((t, x) => t + (x.approved ?? 0), 0));
    expect(rows.filter((x) => x.decided).length).toBe(r.body.decided);
    expect(r.body.decisionHoursMedian).not.toBeNull();
    expect(r.body.decisionHoursP90!).toBeGreaterThanOrEqual(r.body.decisionHoursMedian!);

    const reviewer = await h.signInAsStaff('reviewer');
    const officer = await h.signInAsStaff('investment_officer');
    expect((await h.get('/loans/stats', reviewer.auth)).status).toBe(200);
    // A bank sees its own applications through listBankApplications, never everyone's figures.
    expect((await h.get('/loans/stats', bank1.auth)).status).toBe(403);
    expect((await h.get('/loans/stats', userA.auth)).status).toBe(403);
    expect((await h.get('/loans/stats', officer.auth)).status).toBe(403);
  });
});
