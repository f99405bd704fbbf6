import type { PublicCase, PublicEntity, PublicSearch, RedList, TypicalCase } from '@heihe/shared';
import { testBackends } from '../../cloud/src/testing/test-db';
import { codeOf, Harness, type ApiClientHandle, type SeededEnterprise, type StaffSession } from '../support/harness';
import {
  deliverPenalty,
  deliverRows,
  drainRelay,
  endNotice,
  ensureSiteBuild,
  gradeOf,
  makeGradeA,
  markRepaired,
  STORY,
  TINY_PNG,
  daysAgo,
} from './support';

const consent = { by: '王建华', on: daysAgo(1), document: '同意公开诚信典型案例确认书（2026-01）' };

describe.each(testBackends())('the public site on %s', (backend) => {
  let h: Harness;
  let reviewer: StaffSession;
  let admin: StaffSession;
  let department: ApiClientHandle;
  let bank: ApiClientHandle;
  let good: SeededEnterprise;
  let other: SeededEnterprise;
  let origin: string;

  beforeAll(async () => {
    ensureSiteBuild();
    h = await Harness.start(backend);
    origin = h.baseUrl.replace(/\/api$/, '');
    [reviewer, admin, department, bank] = await Promise.all([
      h.signInAsStaff('reviewer'),
      h.signInAsStaff('admin'),
      h.apiClient(['cases:nominate'], { name: '市商务局', kind: 'department' }),
      h.apiClient(['recommendations:read'], { name: '某银行' }),
    ]);
    [good, other] = h.enterprises;
    await makeGradeA(h, good);
    await makeGradeA(h, other);
  }, 180_000);
  afterAll(() => h?.close());

  const page = async (path: string, init?: RequestInit) => {
    const res = await fetch(`${origin}${path}`, { redirect: 'manual', ...init });
    return { status: res.status, text: await res.text(), headers: res.headers };
  };

  describe('entity lookup', () => {
    it('finds an entity by a name fragment and by its USCC, paged, with no grade off the red list', async () => {
      const byName = await h.get<PublicSearch>(`/public/entities?q=${encodeURIComponent('示范粮油')}`);
      const byCode = await h.get<PublicSearch>(`/public/entities?q=${good.uscc.toLowerCase()}`);

      expect(byName.status).toBe(200);
      expect(byName.body.items.map((i) => i.uscc)).toEqual([good.uscc]);
      expect(byName.body).toMatchObject({ page: 1, pageSize: 10, hasMore: false });
      expect(byCode.body.items.map((i) => i.name)).toEqual([good.name]);
      expect(byName.text).not.toMatch(/grade|score|王建华/);
    });

    it('refuses a one-character search and a page past 20, with the reason', async () => {
      const short = await h.get('/public/entities?q=黑');
      const deep = await h.get('/public/entities?q=黑河&page=21');

      expect(short.status).toBe(400);
      expect(codeOf(short)).toBe('VALIDATION_FAILED');
      expect(short.text).toContain('请至少输入 2 个字');
      expect(deep.status).toBe(400);
    });

    it('shows registration basics, the legal representative masked and penalties in their window, never a repaired one', async () => {
      await deliverPenalty(h, other, 'P1');
      await deliverPenalty(h, other, 'P2');
      await markRepaired(h, other, 'P2');

      const r = await h.get<PublicEntity>(`/public/entities/${other.uscc}`);

      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ uscc: other.uscc, name: other.name, legalRepresentative: '李*梅', redList: null });
      expect(r.body.records.map((x) => x.documentNo)).toEqual(['黑市监罚〔2026〕P1号']);
      expect(r.body.records[0]).toMatchObject({ kindLabel: '行政处罚', authority: '黑河市市场监督管理局' });
      expect(r.text).not.toContain('李秀梅');
      expect(r.text).not.toMatch(/"grade"|"score"|"total"/);
    });

    it('answers an unknown USCC with 404 and a malformed one with 400', async () => {
      const unknown = await h.get(`/public/entities/91231100MA1BBBBB0X`);
      const malformed = await h.get(`/public/entities/not-a-code`);

      expect([400, 404]).toContain(unknown.status);
      expect(malformed.status).toBe(400);
    });
  });

  describe('诚信典型案例', () => {
    let caseId: number;

    it('refuses nomination to an enterprise user and to a client without the scope', async () => {
      const user = await h.signInAsEnterpriseUser();
      const body = { uscc: good.uscc, title: '诚信纳税标杆企业', reason: '连续五年纳税信用 A 级，无任何失信记录。' };

      expect((await h.post('/cases', body, user.auth)).status).toBe(403);
      expect((await h.post('/cases', body, bank.auth)).status).toBe(403);
      expect((await h.post('/cases', body)).status).toBe(401);
    });

    it('nominated by a department, checks grade A and no negative record, and fails an entity with a penalty', async () => {
      const ok = await h.post<TypicalCase>(
        '/cases',
        { uscc: good.uscc, title: '诚信纳税标杆企业', reason: '连续五年纳税信用 A 级，无任何失信记录。' },
        department.auth,
      );
      const failed = await h.post<TypicalCase>(
        '/cases',
        { uscc: other.uscc, title: '守信经营示范企业', reason: '积极参与公益，履约记录良好。' },
        reviewer.auth,
      );

      expect(ok.status).toBe(201);
      expect(ok.body).toMatchObject({
        status: 'checked',
        nominatedBy: '市商务局',
        check: { passed: true, grade: 'A' },
      });
      expect(failed.body.status).toBe('check_failed');
      expect(failed.body.check!.reasons.join()).toMatch(/1 条失信或负面记录/);
      caseId = ok.body.id;
      const again = await h.post(
        '/cases',
        { uscc: good.uscc, title: '重复推荐', reason: '重复推荐同一主体的案例。' },
        reviewer.auth,
      );
      expect(again.status).toBe(409);
    });

    it('goes on public notice once approved; anyone may object during it, and the objection is queued for staff', async () => {
      const approved = await h.post<TypicalCase>(
        `/cases/${caseId}/review`,
        { decision: 'approve', reason: '材料属实，同意公示', noticeDays: 7 },
        reviewer.auth,
      );
      const listed = await h.get<{ items: Array<{ id: number; status: string }> }>('/public/cases');
      const objected = await h.post<{ id: number; message: string }>(`/public/cases/${caseId}/objections`, {
        statement: '该企业去年曾拖欠供应商货款，请核实。',
      });
      const queue = await h.get<{ items: Array<{ id: number; caseId: number; status: string }> }>(
        '/cases/objections?status=queued',
        reviewer.auth,
      );

      expect(approved.body.status).toBe('notice');
      expect(Date.parse(approved.body.noticeUntil!) - Date.parse(approved.body.noticeFrom!)).toBe(7 * 86_400_000);
      expect(listed.body.items).toContainEqual(expect.objectContaining({ id: caseId, status: 'notice' }));
      expect(objected.status).toBe(201);
      expect(objected.body.message).toMatch(/异议已收到/);
      expect(queue.body.items).toContainEqual(
        expect.objectContaining({ id: objected.body.id, caseId, status: 'queued' }),
      );
    });

    it('is not published before the notice ends, nor while an objection is queued', async () => {
      const publish = {
        story: STORY,
        photos: [{ mime: 'image/png', data: TINY_PNG, caption: '企业诚信宣传栏' }],
        consent,
      };
      const early = await h.post(`/cases/${caseId}/publish`, publish, reviewer.auth);
      await endNotice(h, caseId);
      const queued = await h.post(`/cases/${caseId}/publish`, publish, reviewer.auth);

      expect(early.status).toBe(409);
      expect(early.text).toMatch(/公示期至 .* 结束/);
      expect(queued.status).toBe(409);
      expect(queued.text).toMatch(/1 条公示期异议未处理/);
    });

    it('refuses a photo whose bytes are not the declared image type', async () => {
      const [o] = (await h.get<{ items: Array<{ id: number }> }>('/cases/objections?status=queued', reviewer.auth)).body
        .items;
      await h.post(
        `/cases/objections/${o!.id}/decision`,
        { decision: 'dismissed', note: '经核实已结清' },
        reviewer.auth,
      );

      const r = await h.post(
        `/cases/${caseId}/publish`,
        { story: STORY, photos: [{ mime: 'image/jpeg', data: TINY_PNG, caption: '' }], consent },
        reviewer.auth,
      );

      expect(r.status).toBe(422);
      expect(codeOf(r)).toBe('EVIDENCE_MALFORMED');
    });

    it('is published with its story, photos and the consent recorded, and the public sees it, audited', async () => {
      const r = await h.post<TypicalCase>(
        `/cases/${caseId}/publish`,
        { story: STORY, photos: [{ mime: 'image/png', data: TINY_PNG, caption: '企业诚信宣传栏' }], consent },
        reviewer.auth,
      );
      const pub = await h.get<PublicCase>(`/public/cases/${caseId}`);
      const photo = await page(pub.body.photos[0]!.url);

      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ status: 'published', photoCount: 1, consent });
      expect(pub.body).toMatchObject({
        status: 'published',
        story: STORY,
        consentRecorded: true,
        objectionsOpen: false,
      });
      expect(pub.text).not.toContain(consent.by);
      expect(photo.status).toBe(200);
      expect(photo.headers.get('content-type')).toBe('image/png');
      const audit = await h.db.query<{ action: string }>(
        `SELECT action FROM audit_log WHERE object_type = 'typical_case' AND object_id = $1 ORDER BY id`,
        [String(caseId)],
      );
      expect(audit.map((a) => a.action)).toEqual([
        'typical_case.nominate',
        'typical_case.review',
        'typical_case.publish',
      ]);
    });

    it('is withdrawn automatically when a new penalty is ingested, with the notice on its page, audited', async () => {
      await deliverPenalty(h, good, 'NEW1');
      // The delivery queued the record in its version's bucket; the relay's site handler withdraws.
      const [version] = await h.db.query<{ id: string; bucket: number }>(
        `SELECT v.id::text, v.bucket FROM credit_record_version v JOIN credit_record r ON r.id = v.record_id AND r.bucket = v.bucket
         WHERE r.source_id = $1`,
        [`${good.uscc}-NEW1`],
      );
      const queued = await h.db.prisma.outbox.findMany({ where: { messageId: `record.negative:${version!.id}` } });
      expect(queued.map((m) => [m.destination, m.bucket, m.deliveredAt])).toEqual([
        ['internal', version!.bucket, null],
      ]);
      expect((await h.get<PublicCase>(`/public/cases/${caseId}`)).body.status).toBe('published');
      await drainRelay(h);
      // Handled again (a crash before the relay recorded it): nothing is withdrawn or audited twice.
      await h.db.prisma.outbox.updateMany({
        where: { messageId: `record.negative:${version!.id}` },
        data: { deliveredAt: null, availableAt: new Date(0) },
      });
      await drainRelay(h);

      const pub = await h.get<PublicCase>(`/public/cases/${caseId}`);
      const staff = await h.get<TypicalCase>(`/cases/${caseId}`, reviewer.auth);
      const html = await page(`/site/cases/${caseId}`);

      expect(pub.body).toMatchObject({ status: 'withdrawn', story: null, photos: [] });
      expect(pub.body.withdrawReason).toMatch(/新增失信或负面信用记录/);
      expect(staff.body.withdrawnBy).toBe('system');
      expect(staff.body.timeline.at(-1)).toMatchObject({ status: 'withdrawn', actor: 'system' });
      expect(html.text).toContain('本案例已于');
      const [audit] = await h.db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM audit_log WHERE action = 'typical_case.withdraw' AND actor_kind = 'system' AND object_id = $1`,
        [String(caseId)],
      );
      expect(audit!.n).toBe(1);
    });

    it('an upheld objection withdraws a case on notice', async () => {
      await markRepaired(h, other, 'P1');
      const c = await h.post<TypicalCase>(
        '/cases',
        { uscc: other.uscc, title: '守信经营示范企业', reason: '积极参与公益，履约记录良好。' },
        reviewer.auth,
      );
      expect(c.body.status).toBe('checked');
      await h.post(`/cases/${c.body.id}/review`, { decision: 'approve', reason: '同意公示' }, admin.auth);
      const o = await h.post<{ id: number }>(`/public/cases/${c.body.id}/objections`, {
        statement: '该企业的公益活动照片与事实不符，请核实。',
      });

      const decided = await h.post(
        `/cases/objections/${o.body.id}/decision`,
        { decision: 'upheld', note: '经核实照片不实' },
        admin.auth,
      );
      const after = await h.get<PublicCase>(`/public/cases/${c.body.id}`);
      const late = await h.post(`/public/cases/${c.body.id}/objections`, { statement: '撤销之后再提出的一条异议。' });

      expect(decided.status).toBe(200);
      expect(after.body).toMatchObject({ status: 'withdrawn', objectionsOpen: false });
      expect(after.body.withdrawReason).toMatch(/公示期异议成立/);
      expect(late.status).toBe(409);
    });
  });

  describe('诚信主体名单', () => {
    it('lists A-grade entities passing the credit gate with their grade, and only then shows the grade', async () => {
      await markRepaired(h, good, 'NEW1');
      expect(await gradeOf(h, other.entityId)).toBe('A');
      const refused = await h.post('/cases/red-list/publication', {}, reviewer.auth);
      const published = await h.post<{ listed: number; total: number }>('/cases/red-list/publication', {}, admin.auth);

      const list = await h.get<RedList>('/public/red-list');
      const entity = await h.get<PublicEntity>(`/public/entities/${other.uscc}`);

      expect(refused.status).toBe(403);
      expect(published.status).toBe(200);
      expect(list.body.items.map((i) => i.uscc)).toContain(other.uscc);
      expect(list.body.items.find((i) => i.uscc === other.uscc)).toMatchObject({ grade: 'A' });
      expect(entity.body.redList).toMatchObject({ grade: 'A', withdrawnAt: null });
    });

    it('takes an entity off the list on a new serious record, and the site shows the withdrawal', async () => {
      await deliverPenalty(h, other, 'SERIOUS', 'serious');
      await drainRelay(h);

      const list = await h.get<RedList>('/public/red-list');
      const entity = await h.get<PublicEntity>(`/public/entities/${other.uscc}`);

      expect(list.body.items.map((i) => i.uscc)).not.toContain(other.uscc);
      expect(list.body.withdrawn).toContainEqual(expect.objectContaining({ uscc: other.uscc }));
      expect(entity.body.redList).toBeNull();
      expect(entity.body.redListHistory[0]!.withdrawReason).toMatch(/移出/);
      expect(entity.text).not.toMatch(/"grade":"[B-E]"/);
    });

    it('takes an entity off the list on a downgrade (grade.changed below A)', async () => {
      await h.post('/cases/red-list/publication', {}, admin.auth);
      const before = await h.get<PublicEntity>(`/public/entities/${good.uscc}`);
      expect(before.body.redList).toMatchObject({ grade: 'A' });

      // A downgrade the relay handles only after the entity is back at A withdraws nothing.
      const { bucket } = await h.db.prisma.entity.findFirstOrThrow({ where: { id: good.entityId } });
      await h.db.prisma.outbox.create({
        data: {
          messageId: `grade.changed:stale-${good.entityId}`,
          topic: 'grade.changed',
          entityId: good.entityId,
          bucket,
          payload: { entityId: good.entityId, evaluationId: '0', from: 'A', to: 'C', total: 600, trigger: 'test' },
        },
      });
      await drainRelay(h);
      expect((await h.get<PublicEntity>(`/public/entities/${good.uscc}`)).body.redList).toMatchObject({ grade: 'A' });

      for (let i = 0; i < 6 && (await gradeOf(h, good.entityId)) === 'A'; i++)
        await deliverRows(h, good, [
          { sourceId: `${good.uscc}-AR${i}`, kind: 'arrears', category: 'tax', amount: 500000, occurredOn: daysAgo(2) },
        ]);
      expect(await gradeOf(h, good.entityId)).not.toBe('A');
      await drainRelay(h);

      const after = await h.get<PublicEntity>(`/public/entities/${good.uscc}`);
      expect(after.body.redList).toBeNull();
      expect(after.body.redListHistory[0]!.withdrawReason).toBe('信用等级下调，自动移出');
    });
  });

  describe('the pages', () => {
    it('renders the home page server-side with its title, description and og: tags', async () => {
      const r = await page('/site/');

      expect(r.status).toBe(200);
      expect(r.headers.get('content-type')).toMatch(/text\/html/);
      expect(r.text).toMatch(/<title>信用中国（黑河）<\/title>/);
      expect(r.text).toMatch(/<meta name="description" content="[^"]+"/);
      expect(r.text).toMatch(/<meta property="og:title" content="信用中国（黑河）"/);
      expect(r.text).toContain('诚信主体名单');
    });

    it('escapes what a visitor types, and shows the entity page with the name masked', async () => {
      const xss = await page(`/site/search?q=${encodeURIComponent('<script>alert(1)</script>')}`);
      const entity = await page(`/site/entities/${good.uscc}`);

      expect(xss.text).not.toContain('<script>alert(1)</script>');
      expect(xss.text).toContain('&lt;script&gt;');
      expect(entity.status).toBe(200);
      expect(entity.text).toContain(`<title>${good.name} - 信用中国（黑河）</title>`);
      expect(entity.text).toContain('王*华');
      expect(entity.text).not.toContain('王建华');
    });

    it('answers an unknown page with a 404 page, and a forged case id too', async () => {
      expect((await page('/site/entities/91231100MA1BBBBB0X')).status).toBe(404);
      expect((await page('/site/cases/999999')).status).toBe(404);
      expect((await page('/site/cases/abc')).status).toBe(404);
    });
  });

  it('limits searches per IP with RATE_LIMITED and 429', async () => {
    let last = { status: 0, text: '' };
    for (let i = 0; i < 31; i++) last = await h.get(`/public/entities?q=${encodeURIComponent('黑河示范')}`);

    expect(last.status).toBe(429);
    expect(codeOf(last as never)).toBe('RATE_LIMITED');
    expect(last.text).toContain('查询过于频繁');
  });
});

describe('behind a trusted proxy (TRUST_PROXY), on pglite', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await Harness.start('pglite', { env: { TRUST_PROXY: 'loopback' } });
  }, 120_000);
  afterAll(() => h?.close());

  const search = (ip: string) =>
    h.http('GET', `/public/entities?q=${encodeURIComponent('黑河示范')}`, { headers: { 'x-forwarded-for': ip } });

  it('counts each forwarded client apart, and still limits one client', async () => {
    const many: number[] = [];
    for (let i = 0; i < 31; i++) many.push((await search(`203.0.113.${i + 1}`)).status);
    const one: number[] = [];
    for (let i = 0; i < 31; i++) one.push((await search('198.51.100.7')).status);

    expect(many.every((s) => s === 200)).toBe(true);
    expect(one.slice(0, 30).every((s) => s === 200)).toBe(true);
    expect(one[30]).toBe(429);
  });
});
