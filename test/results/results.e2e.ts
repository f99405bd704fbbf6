import { RESULT_NOTICE } from '@heihe/shared';
import { Ingestor } from '../../cloud/src/ingest/ingestor';
import { OutboxRelay, resultHash, type ResultContent } from '../../cloud/src/outbox';
import { buildRelay } from '../../cloud/src/relay';
import { HttpWechatApi } from '../../cloud/src/wechat';
import { DedupReceiver, until } from '../rights/support/receiver';
import { Scorer } from '../../cloud/src/scoring/scorer';
import { testBackends } from '../../cloud/src/testing/test-db';
import { chinaDate } from '../../cloud/src/common/china-time';
import { codeOf, Harness, type ApiClientHandle, type SeededEnterprise } from '../support/harness';

const daysAgo = (n: number) => chinaDate(new Date(Date.now() - n * 86_400_000));

interface Check {
  grade: string | null;
  eligible: boolean;
  measures: Array<{ code: string; name: string }>;
  basis: string;
  refusal: string | null;
  evaluatedAt: string | null;
  expiresAt: string;
  checkedAt: string;
  notice: string;
}
interface FeedItem {
  eventId: string;
  uscc: string;
  fromGrade: string;
  grade: string;
  hash: string;
  notice: string;
  [k: string]: unknown;
}
interface Feed {
  items: FeedItem[];
  nextCursor: string;
  notice: string;
}

/** One record through ingestion, then the entity re-scored as a delivery would. */
async function deliver(h: Harness, e: SeededEnterprise, key: string, kind: string, severity: string | null) {
  await deliverRows(h, e, [
    {
      sourceId: `${e.uscc}-${key}`,
      kind,
      ...(severity ? { severity } : {}),
      occurredOn: daysAgo(5),
      summary: `结果应用测试 ${key}`,
      documentNo: `结果应用测试 ${key}`,
      authority: '黑河市市场监督管理局',
    },
  ]);
}

/** Tax grade A and a large tax paid last year: enough to lift a demo enterprise to grade A. */
async function makeGradeA(h: Harness, e: SeededEnterprise) {
  const year = Number(daysAgo(0).slice(0, 4));
  await deliverRows(h, e, [
    { sourceId: `${e.uscc}-TG`, kind: 'tax_grade', grade: 'A', amount: year - 1, occurredOn: `${year}-04-15` },
    { sourceId: `${e.uscc}-TP`, kind: 'tax_paid', amount: 2e7, occurredOn: `${year - 1}-12-31` },
  ]);
}

async function deliverRows(h: Harness, e: SeededEnterprise, rows: Array<Record<string, unknown>>) {
  const ingestor = new Ingestor(h.db, h.vault);
  const batch = await ingestor.startBatch('results-e2e');
  const res = await ingestor.applyChunk(
    batch,
    rows.map((r, i) => ({ line: i + 1, raw: { type: 'record', sourceSystem: 'results-e2e', uscc: e.uscc, ...r } })),
  );
  await ingestor.finishBatch(batch, 'done');
  if (res.rejected) throw new Error(JSON.stringify(res.errors));
  await new Scorer(h.db).rescore([e.entityId], 'results-e2e.delivery');
}

async function gradeOf(h: Harness, entityId: number): Promise<string | null> {
  const [r] = await h.db.query<{ grade: string | null }>('SELECT grade FROM entity_score WHERE entity_id = $1', [
    entityId,
  ]);
  return r?.grade ?? null;
}

describe.each(testBackends())('results in use on %s', (backend) => {
  let h: Harness;
  let approval: ApiClientHandle;
  let bank: ApiClientHandle;
  let feedA: ApiClientHandle;
  let feedB: ApiClientHandle;
  let wrong: ApiClientHandle;
  let good: SeededEnterprise;
  let bad: SeededEnterprise;

  beforeAll(async () => {
    h = await Harness.start(backend);
    [approval, bank, feedA, feedB, wrong] = await Promise.all([
      h.apiClient(['incentives:read'], { name: '审批系统', kind: 'department' }),
      h.apiClient(['recommendations:read'], { name: '推介银行' }),
      h.apiClient(['results:feed'], { name: '甲部门', kind: 'department' }),
      h.apiClient(['results:feed'], { name: '乙部门', kind: 'department' }),
      h.apiClient(['evaluations:read'], { name: '无权限银行' }),
    ]);
    [good, bad] = h.enterprises;
    await new Scorer(h.db).rescore([good.entityId, bad.entityId], 'results-e2e.first');
    await makeGradeA(h, good);
    await makeGradeA(h, bad);
  }, 120_000);
  afterAll(() => h?.close());

  const check = (e: SeededEnterprise, auth = approval.auth, itemCode = 'XK-0001') =>
    h.get<Check>(`/results/incentives/check?uscc=${e.uscc}&itemCode=${itemCode}`, auth);

  it('grants an A-grade entity every measure, with its grade, basis, expiry and the notice, audited and counted', async () => {
    expect(await gradeOf(h, good.entityId)).toBe('A');

    const r = await check(good);

    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ grade: 'A', eligible: true, refusal: null, notice: RESULT_NOTICE });
    expect(r.body.measures.map((m) => m.name)).toEqual(['绿色通道', '容缺受理', '告知承诺', '同等条件优先']);
    expect(r.body.basis).toMatch(/激励措施清单第 1 版.*A 级/);
    expect(r.body.evaluatedAt).not.toBeNull();
    expect(Date.parse(r.body.expiresAt)).toBeGreaterThan(Date.parse(r.body.checkedAt));
    const audit = await h.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM audit_log WHERE action = 'incentive.check' AND entity_id = $1`,
      [good.entityId],
    );
    expect(audit[0]!.n).toBe(1);
    const tally = await h.db.query<{ checks: number }>(
      `SELECT checks FROM incentive_check_tally WHERE item_code = 'XK-0001' AND outcome = 'granted'`,
    );
    expect(tally[0]!.checks).toBe(1);
  });

  it('refuses every measure to an entity on the serious-dishonesty list, whatever its grade, and says why', async () => {
    await deliver(h, bad, 'SX-1', 'dishonesty_listing', 'serious');

    const r = await check(bad);

    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ eligible: false, measures: [], notice: RESULT_NOTICE });
    expect(r.body.grade).toMatch(/^[A-E]$/);
    expect(r.body.refusal).toMatch(/严重失信主体名单.*不论信用等级.*不适用/);
    expect(r.body.basis).toMatch(/严重失信主体及受严重行政处罚主体不适用激励措施/);
  });

  it('refuses a client without the incentives scope, and an unknown entity is 404', async () => {
    const noScope = await check(good, wrong.auth);
    const unknown = await h.get(
      `/results/incentives/check?uscc=${'91231181MA00000000'.slice(0, 17)}X&itemCode=X`,
      approval.auth,
    );

    expect(noScope.status).toBe(403);
    expect([400, 404]).toContain(unknown.status);
  });

  it('lists A-grade entities for a bank with recommendations:read: basic information only, paged by cursor', async () => {
    const first = await h.get<{ items: Array<Record<string, unknown>>; nextCursor: string | null }>(
      '/results/recommendations?limit=1',
      bank.auth,
    );
    const refused = await h.get('/results/recommendations', wrong.auth);

    expect(first.status).toBe(200);
    expect(refused.status).toBe(403);
    const usccs = first.body.items.map((i) => i.uscc);
    expect(usccs).toContain(good.uscc);
    expect(Object.keys(first.body.items[0]!).sort()).toEqual(
      ['asOf', 'establishedOn', 'grade', 'industryCode', 'modelVersion', 'name', 'notice', 'regionCode', 'uscc'].sort(),
    );
    if (first.body.nextCursor) {
      const next = await h.get<{ items: Array<{ uscc: string }> }>(
        `/results/recommendations?limit=1&cursor=${first.body.nextCursor}`,
        bank.auth,
      );
      expect(next.body.items.map((i) => i.uscc)).not.toContain(good.uscc);
    }
  });

  it('pages the grade-change feed without gaps or duplicates, each item hashed and with the notice', async () => {
    await deliver(h, good, 'YZ-1', 'penalty', 'serious');
    await deliver(h, good, 'SX-2', 'dishonesty_listing', 'serious');
    // The relay's results handler appends each grade change to the feed (ADR 0027 step 4).
    await h.app.get(OutboxRelay).drain();
    const expected = await h.db.query<{ evaluation_id: string }>(
      'SELECT evaluation_id::text FROM result_feed_event ORDER BY tx, seq',
    );
    expect(expected.length).toBeGreaterThanOrEqual(2);
    // The feed serves an event once every transaction older than it has ended, on the whole server
    // (pg_snapshot_xmin): other suites' transactions on a shared PostgreSQL hold it back for a while.
    const [{ last } = { last: '0' }] = await h.db.query<{ last: string }>(
      'SELECT max(tx)::text AS last FROM result_feed_event',
    );
    for (let waited = 0; ; waited += 100) {
      const [v] = await h.db.query<{ ok: boolean }>('SELECT pg_snapshot_xmin(pg_current_snapshot()) > $1::xid8 AS ok', [
        last,
      ]);
      if (v!.ok) break;
      if (waited > 60_000)
        throw new Error('the feed never caught up: a transaction on the server stayed open for 60 s');
      await new Promise((r) => setTimeout(r, 100));
    }

    const seen: FeedItem[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 20; page++) {
      const r = await h.get<Feed>(`/results/feed?limit=1${cursor ? `&cursor=${cursor}` : ''}`, feedA.auth);
      expect(r.status).toBe(200);
      expect(r.body.notice).toBe(RESULT_NOTICE);
      cursor = r.body.nextCursor;
      if (!r.body.items.length) break;
      seen.push(...r.body.items);
    }

    expect(seen.map((i) => i.eventId)).toEqual(expected.map((e) => `grade.changed:${e.evaluation_id}`));
    for (const item of seen) {
      const { hash, notice, ...content } = item;
      expect(notice).toBe(RESULT_NOTICE);
      expect(hash).toBe(resultHash(content));
    }
    const again = await h.get<Feed>(`/results/feed?cursor=${cursor}`, feedA.auth);
    expect(again.body.items).toEqual([]);
  });

  it("refuses another client's cursor, an altered one and a client without the feed scope", async () => {
    const mine = await h.get<Feed>('/results/feed?limit=1', feedA.auth);
    const cursor = mine.body.nextCursor;

    const foreign = await h.get(`/results/feed?cursor=${cursor}`, feedB.auth);
    const altered = await h.get(
      `/results/feed?cursor=${cursor.replace(/^\d+/, (d) => String(Number(d) + 1))}`,
      feedA.auth,
    );
    const noScope = await h.get('/results/feed', wrong.auth);

    expect(foreign.status).toBe(400);
    expect(codeOf(foreign)).toBe('VALIDATION_FAILED');
    expect(altered.status).toBe(400);
    expect(noScope.status).toBe(403);
  });

  it('pushes grade changes, a finished cycle and a published model to the subscribed departments, sealed', async () => {
    let secret = '';
    const receiver = await new DedupReceiver(() => secret).start();
    try {
      const admin = await h.signInAsStaff('admin');
      const [place] = await h.db.query<{ industry: string }>(
        `SELECT industry_code AS industry FROM entity WHERE id = $1`,
        [bad.entityId],
      );
      const sub = await h.post<{ id: number; secret: string }>(
        '/regulator-subscriptions',
        { name: '市发改委', webhookUrl: receiver.url, industryPrefix: place!.industry.slice(0, 1), regionPrefix: null },
        admin.auth,
      );
      expect(sub.status).toBe(201);
      secret = sub.body.secret;
      const relay = buildRelay(
        h.db,
        h.config,
        new HttpWechatApi({
          baseUrl: h.fake.url,
          appId: h.config.WECHAT_APP_ID,
          appSecret: h.config.WECHAT_APP_SECRET,
          timeoutMs: 2000,
        }),
      );
      await relay.drain();
      const before = receiver.receipts.length;

      // A serious penalty moves the entity's grade: the change is pushed.
      await deliver(h, bad, 'PUSH-1', 'penalty', 'serious');
      const [change] = await h.db.query<{ id: string; grade: string }>(
        `SELECT evaluation_id::text AS id, grade FROM entity_score WHERE entity_id = $1`,
        [bad.entityId],
      );
      const cycle = await h.runCycle(admin.auth);
      expect([200, 201, 202]).toContain(cycle.status);
      await relay.drain();
      await relay.drain();

      const got = receiver.receipts.slice(before);
      expect(got.every((r) => r.signatureValid)).toBe(true);
      const data = (topic: string) =>
        got.filter((r) => r.topic === topic).map((r) => (JSON.parse(r.body) as { data: Record<string, unknown> }).data);
      expect(data('result.grade_changed')).toContainEqual(
        expect.objectContaining({
          entity: expect.objectContaining({ id: bad.entityId, uscc: bad.uscc }),
          evaluationId: change!.id,
          grade: change!.grade,
          modelVersion: expect.any(Number),
        }),
      );
      expect(data('result.cycle_completed')).toEqual([
        expect.objectContaining({ cycleId: cycle.body.id, entities: expect.any(Number), grades: expect.any(Object) }),
      ]);
      for (const d of [...data('result.grade_changed'), ...data('result.cycle_completed')]) {
        const { hash, notice, ...content } = d;
        expect(notice).toBe(RESULT_NOTICE);
        expect(hash).toBe(resultHash(content as ResultContent));
      }
    } finally {
      await receiver.close();
    }
  }, 180_000);

  it("takes a recipient's use of a result it received, once per result and measure, and counts it for tracking", async () => {
    const dept = await h.apiClient(['results:feed'], { name: '丙部门', kind: 'department' });
    const elsewhere = await h.apiClient(['results:feed'], { name: '外市部门', kind: 'department', regionPrefix: '11' });
    await deliver(h, good, 'USE-1', 'penalty', 'serious');
    let item: FeedItem | undefined;
    await until(async () => {
      const page = await h.get<Feed>('/results/feed?limit=1000', dept.auth);
      item = page.body.items.find((i) => i.uscc === good.uscc);
      return item !== undefined;
    }, 60_000);
    const outside = await h.get<Feed>('/results/feed?limit=1000', elsewhere.auth);
    expect(outside.body.items).toEqual([]);

    const body = { eventId: item!.eventId, measure: 'green_channel', outcome: 'applied', appliedOn: daysAgo(0) };
    const first = await h.post<{ id: number; uscc: string; measureName: string }>('/results/uses', body, dept.auth);
    const again = await h.post<{ id: number; outcome: string }>(
      '/results/uses',
      { ...body, outcome: 'not_applied', note: '材料不全，未适用' },
      dept.auth,
    );
    const notMine = await h.post('/results/uses', body, elsewhere.auth);
    const unknown = await h.post('/results/uses', { ...body, eventId: 'grade.changed:999999999' }, dept.auth);
    const malformed = await h.post('/results/uses', { ...body, measure: 'fine' }, dept.auth);

    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ uscc: good.uscc, measureName: '绿色通道' });
    expect(again.body).toMatchObject({ id: first.body.id, outcome: 'not_applied' });
    expect([notMine.status, codeOf(notMine)]).toEqual([404, 'NOT_FOUND']);
    expect([unknown.status, codeOf(unknown)]).toEqual([404, 'NOT_FOUND']);
    expect([malformed.status, codeOf(malformed)]).toEqual([400, 'VALIDATION_FAILED']);

    const admin = await h.signInAsStaff('admin');
    const stats = await h.get<{ items: Array<Record<string, unknown>> }>('/results/uses/stats', admin.auth);
    const byBank = await h.get('/results/uses/stats', dept.auth);
    expect(stats.status).toBe(200);
    const mine = stats.body.items.find((i) => i.clientId === dept.id);
    expect(mine).toMatchObject({
      kind: 'department',
      purpose: expect.stringContaining('测试'),
      legalBasis: expect.any(String),
      reported: 1,
      applied: 0,
      notApplied: 1,
      byMeasure: [{ measure: 'green_channel', name: '绿色通道', count: 1 }],
    });
    expect(mine!.received as number).toBeGreaterThanOrEqual(1);
    expect(mine!.coverage as number).toBeGreaterThan(0);
    expect(byBank.status).toBe(403);
  }, 120_000);

  it('publishes a new catalogue version that answers from its effective date, and refuses an incomplete one', async () => {
    const admin = await h.signInAsStaff('admin');
    const reviewer = await h.signInAsStaff('reviewer');
    const all = ['A', 'B', 'C', 'D', 'E'].map((g) => ({ itemCode: '*', grade: g, measures: [] as string[] }));
    const rules = [...all, { itemCode: 'XK-0002', grade: 'A', measures: ['green_channel'] }];
    const basis = '《黑河市守信激励措施清单（2027 年修订）》';

    const incomplete = await h.post(
      '/results/incentives/measures',
      { effectiveFrom: daysAgo(0), basis, rules: rules.filter((r) => r.grade !== 'E') },
      admin.auth,
    );
    const past = await h.post('/results/incentives/measures', { effectiveFrom: daysAgo(3), basis, rules }, admin.auth);
    const notAdmin = await h.post(
      '/results/incentives/measures',
      { effectiveFrom: daysAgo(0), basis, rules },
      reviewer.auth,
    );
    const later = await h.post<{ version: number }>(
      '/results/incentives/measures',
      { effectiveFrom: '2099-01-01', basis, rules: all },
      admin.auth,
    );
    const now = await h.post<{ version: number; rules: unknown[] }>(
      '/results/incentives/measures',
      { effectiveFrom: daysAgo(0), basis, rules },
      admin.auth,
    );

    expect([incomplete.status, codeOf(incomplete)]).toEqual([400, 'VALIDATION_FAILED']);
    expect(JSON.stringify(incomplete.body)).toContain('通用事项（*）缺少 E 级');
    expect([past.status, codeOf(past)]).toEqual([400, 'VALIDATION_FAILED']);
    expect(notAdmin.status).toBe(403);
    expect(later.status).toBe(201);
    expect(now.status).toBe(201);
    expect(now.body.version).toBe(later.body.version + 1);
    const measures = await h.get<{ version: number }>('/results/incentives/measures', admin.auth);
    expect(measures.body.version).toBe(now.body.version);
    const r = await check(good, approval.auth, 'XK-0002');
    expect(r.body.basis).toContain(`激励措施清单第 ${now.body.version} 版`);
    // Run alone, the entity is A and earns the item's one measure; after the cases above it carries a
    // serious penalty and is refused whatever the catalogue says.
    expect(r.body.measures.map((m) => m.name)).toEqual(r.body.refusal ? [] : r.body.grade === 'A' ? ['绿色通道'] : []);
    expect(now.body.rules).toContainEqual({
      itemCode: 'XK-0002',
      grade: 'A',
      measures: [{ code: 'green_channel', name: '绿色通道' }],
    });
    const other = await check(good, approval.auth, 'XK-0001');
    expect(other.body.measures).toEqual([]);
  }, 60_000);

  it('tracking: counts the checks by outcome and item and the measures they granted, for administrators and reviewers only', async () => {
    type Stats = {
      since: string;
      total: number;
      byOutcome: { granted: number; none: number; refused: number };
      byItem: { itemCode: string; granted: number; none: number; refused: number }[];
      byMeasure: { measure: string; name: string; count: number }[];
    };
    const admin = await h.signInAsStaff('admin');
    const stats = async () => {
      const r = await h.get<Stats>('/results/incentives/stats?days=7', admin.auth);
      expect(r.status).toBe(200);
      return r.body;
    };
    const measure = (s: Stats, code: string) => s.byMeasure.find((m) => m.measure === code)?.count ?? 0;
    const before = await stats();

    // Whatever the entities' state by now, the figures must move by exactly what was answered.
    const answers = [
      await check(good, approval.auth, 'TJ-0001'),
      await check(good, approval.auth, 'TJ-0001'),
      await check(bad, approval.auth, 'TJ-0001'),
    ].map((r) => {
      expect(r.status).toBe(200);
      return r.body;
    });
    const outcomeOf = (c: Check) =>
      c.eligible ? 'granted' : /不论信用等级/.test(c.refusal ?? '') ? 'refused' : 'none';
    const expected = { granted: 0, none: 0, refused: 0 };
    for (const a of answers) expected[outcomeOf(a)]++;
    const grantedGreen = answers.filter((a) => a.measures.some((m) => m.code === 'green_channel')).length;
    const after = await stats();

    expect(after.since).toBe(chinaDate(new Date(Date.now() - 6 * 24 * 3600 * 1000)));
    expect(after.total - before.total).toBe(3);
    expect(after.byOutcome.granted - before.byOutcome.granted).toBe(expected.granted);
    expect(after.byOutcome.none - before.byOutcome.none).toBe(expected.none);
    expect(after.byOutcome.refused - before.byOutcome.refused).toBe(expected.refused);
    expect(after.byItem.find((i) => i.itemCode === 'TJ-0001')).toEqual({ itemCode: 'TJ-0001', ...expected });
    expect(measure(after, 'green_channel') - measure(before, 'green_channel')).toBe(grantedGreen);
    if (grantedGreen) expect(after.byMeasure.find((m) => m.measure === 'green_channel')!.name).toBe('绿色通道');

    const reviewer = await h.signInAsStaff('reviewer');
    const officer = await h.signInAsStaff('investment_officer');
    const user = await h.signInAsEnterpriseUser({ enterprise: 0 });
    expect((await h.get('/results/incentives/stats', reviewer.auth)).status).toBe(200);
    expect((await h.get('/results/incentives/stats', officer.auth)).status).toBe(403);
    expect((await h.get('/results/incentives/stats', user.auth)).status).toBe(403);
    expect((await h.get('/results/incentives/stats', approval.auth)).status).toBe(403);
    expect((await h.get('/results/incentives/stats?days=0', admin.auth)).status).toBe(400);
  }, 60_000);
});
