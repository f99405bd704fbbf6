import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type {
  EvaluationResponse,
  GoodInfoReportView,
  ObjectionView,
  RepairApplicationView,
  ReviewQueue,
} from '@heihe/shared';
import { CalendarService } from '../../cloud/src/calendar/calendar.service';
import { buildRelay } from '../../cloud/src/relay';
import { SystemClock } from '../../cloud/src/common/clock';
import { chinaDate } from '../../cloud/src/common/china-time';
import { testBackends } from '../../cloud/src/testing/test-db';
import { HttpWechatApi } from '../../cloud/src/wechat/wechat.http';
import { codeOf, expectStatus, Harness, type EnterpriseUser, type StaffSession } from '../support/harness';
import { daysAgo, deliverPenalties, upload } from './support/api';
import { aJpeg, aPdf } from './support/fixtures';
import { DedupReceiver } from './support/receiver';

const EXE = Buffer.concat([
  Buffer.from('MZ\x90\x00\x03\x00\x00\x00', 'latin1'),
  Buffer.alloc(120, 0x41),
  Buffer.from('PE\0\0'),
]);
type Evidence = { id: string; displayName: string; sha256: string; mime: string };

describe.each(testBackends())('enterprise rights through the API on %s', (backend) => {
  let h: Harness;
  let dir: string;
  let receiver: DedupReceiver;
  let secret = '';
  let userA: EnterpriseUser;
  let userB: EnterpriseUser;
  let reviewer: StaffSession;
  let admin: StaffSession;
  let officer: StaffSession;
  let recA: Record<string, number>;
  let entityA: number;
  let entityB: number;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'heihe-evidence-'));
    receiver = await new DedupReceiver(() => secret).start();
    h = await Harness.start(backend, {
      env: {
        OUTBOX_RELAY_ENABLED: 'false',
        EVIDENCE_DIR: dir,
        EVIDENCE_MAX_BYTES: String(256 * 1024),
        EVIDENCE_MAX_FILES: '4',
        EVIDENCE_MAX_MEGAPIXELS: '40',
      },
    });
    [userA, userB, reviewer, admin, officer] = await Promise.all([
      h.signInAsEnterpriseUser({ enterprise: 0 }),
      h.signInAsEnterpriseUser({ enterprise: 1 }),
      h.signInAsStaff('reviewer'),
      h.signInAsStaff('admin'),
      h.signInAsStaff('investment_officer'),
    ]);
    entityA = h.enterprises[0].entityId;
    entityB = h.enterprises[1].entityId;
    // Deadlines need this year's (and from November next year's) schedule. A year chinese-days does
    // not ship gets a stand-in here, through the administrators' endpoint; real ones come from the notice.
    const status = await h.get<{ problems: string[] }>('/calendar/schedules', admin.auth);
    for (const p of status.body.problems) {
      const year = Number(/^(\d{4})/.exec(p)![1]);
      expectStatus(
        await h.http('PUT', `/calendar/schedules/${year}`, {
          auth: admin.auth,
          body: { holidays: [`${year}-01-01`], makeupWorkdays: [] },
        }),
        200,
        'loadCalendarSchedule',
      );
    }
    recA = await deliverPenalties(h, h.enterprises[0].uscc, entityA, [
      { key: 'RECENT', occurredOn: daysAgo(20), severity: 'general', summary: '黑市监罚〔2026〕101号' },
      { key: 'OLD', occurredOn: daysAgo(150), severity: 'general', summary: '黑市监罚〔2026〕31号' },
    ]);
    await deliverPenalties(h, h.enterprises[1].uscc, entityB, [
      { key: 'RECENT', occurredOn: daysAgo(20), severity: 'general', summary: '黑市监罚〔2026〕102号' },
    ]);
    const sub = await h.post<{ id: number; secret: string }>(
      '/regulator-subscriptions',
      { name: '市市场监管局', webhookUrl: receiver.url, industryPrefix: 'C13' },
      admin.auth,
    );
    expectStatus(sub, 201, 'createRegulatorSubscription');
    secret = sub.body.secret;
    const templates = await h.get<{ decision: string; grade: string }>('/notify/templates', userA.auth);
    expectStatus(
      await h.post(
        '/notify/consents',
        {
          templateIds: [
            templates.body.decision,
            templates.body.decision,
            templates.body.decision,
            templates.body.grade,
          ],
        },
        userA.auth,
      ),
      200,
      'recordSubscribeConsent',
    );
  }, 180_000);
  afterAll(async () => {
    await receiver?.close();
    await h?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const relay = () =>
    buildRelay(
      h.db,
      h.config,
      new HttpWechatApi({
        baseUrl: h.fake.url,
        appId: h.config.WECHAT_APP_ID,
        appSecret: h.config.WECHAT_APP_SECRET,
        timeoutMs: 2000,
      }),
    );
  const photo = (auth: EnterpriseUser, entityId: number, data = aJpeg(), filename = 'photo.jpg') =>
    upload(
      h,
      `/entities/${entityId}/evidence`,
      [{ name: 'file', filename, contentType: 'image/jpeg', data }],
      auth.auth,
    );
  const evidenceId = async (auth: EnterpriseUser, entityId: number, data?: Buffer, filename?: string) => {
    const r = await photo(auth, entityId, data, filename);
    expectStatus(r, 201, 'uploadEvidence');
    return (r.body as unknown as Evidence).id;
  };
  const evaluation = async (entityId: number) =>
    (await h.get<EvaluationResponse>(`/entities/${entityId}/evaluation`, userA.auth)).body;

  it('runs an objection end to end: filed, flagged, queued, accepted, upheld, re-scored, explained, told', async () => {
    const calendar = await new CalendarService(h.db, h.config, new SystemClock()).calendar();
    const ev = await evidenceId(userA, entityA, aJpeg(), '复议决定书.jpg');

    const filed = await h.post<ObjectionView>(
      '/objections',
      {
        entityId: entityA,
        recordId: recA.RECENT,
        ground: 'authority_mismatch',
        statement: '处罚决定已被认定机关撤销，公示信息与认定机关不一致。',
        evidenceIds: [ev],
      },
      userA.auth,
    );
    expectStatus(filed, 201, 'createObjection');
    expect(filed.body).toMatchObject({
      status: 'submitted',
      groundLabel: '与认定机关不一致',
      record: { statusLabel: '异议中' },
    });
    expect(filed.body.deadline.dueOn).toBe(calendar.addWorkingDays(chinaDate(new Date()), 7));
    expect((await evaluation(entityA)).records.find((r) => r.recordId === recA.RECENT)).toMatchObject({
      underObjection: true,
      counts: true,
    });
    const mine = await h.get<{ items: ObjectionView[] }>('/objections', userA.auth);
    expect(mine.body.items.map((o) => o.id)).toContain(filed.body.id);

    const queue = await h.get<ReviewQueue>('/review/queue?kind=objection', reviewer.auth);
    expectStatus(queue, 200, 'listReviewQueue');
    expect(queue.body.items.find((i) => i.id === filed.body.id)).toMatchObject({
      entityName: h.enterprises[0].name,
      deadline: { workingDaysLeft: expect.any(Number) },
      evidence: [{ id: ev }],
    });
    // The queue narrows by the enterprise's region and industry (code prefixes).
    const [place] = await h.db.query<{ region: string; industry: string }>(
      `SELECT region_code AS region, industry_code AS industry FROM entity WHERE id = $1`,
      [entityA],
    );
    const queued = async (filter: string) => {
      const r = await h.get<ReviewQueue>(`/review/queue?kind=objection&${filter}`, reviewer.auth);
      expectStatus(r, 200, `listReviewQueue ${filter}`);
      return r.body.items.map((i) => i.id);
    };
    expect(await queued(`region=${place!.region.slice(0, 4)}&industry=${place!.industry.slice(0, 2)}`)).toContain(
      filed.body.id,
    );
    expect(await queued('region=110000')).not.toContain(filed.body.id);
    expect(await queued(`industry=${place!.industry.startsWith('A') ? 'B' : 'A'}`)).not.toContain(filed.body.id);
    const badRegion = await h.get('/review/queue?region=23x', reviewer.auth);
    expect([badRegion.status, codeOf(badRegion)]).toEqual([400, 'VALIDATION_FAILED']);

    const content = await fetch(`${h.baseUrl}/evidence/${ev}/content`, {
      headers: { authorization: `Bearer ${reviewer.accessToken}` },
    });
    expect([content.status, content.headers.get('content-type'), (await content.arrayBuffer()).byteLength > 0]).toEqual(
      [200, 'image/jpeg', true],
    );

    expectStatus(
      await h.post(`/objections/${filed.body.id}/decision`, { action: 'accept' }, reviewer.auth),
      200,
      'decideObjection accept',
    );
    // The reviewer sees the exact effect first; the preview writes nothing.
    const preview = await h.get<{ scoreBefore: number; scoreAfter: number; gradeAfter: string; assumption: string }>(
      `/review/objection/${filed.body.id}/preview`,
      reviewer.auth,
    );
    expectStatus(preview, 200, 'previewDecision');
    expect(preview.body.assumption).toBe('若异议成立并撤销该记录');
    expect((await evaluation(entityA)).records.find((r) => r.recordId === recA.RECENT)).toMatchObject({
      underObjection: true,
      counts: true,
    });
    expect((await h.get(`/review/objection/${filed.body.id}/preview`, userA.auth)).status).toBe(403);
    const badKind = await h.get(`/review/good_info/${filed.body.id}/preview`, reviewer.auth);
    expect([badKind.status, codeOf(badKind)]).toEqual([400, 'VALIDATION_FAILED']);
    const upheld = await h.post<ObjectionView>(
      `/objections/${filed.body.id}/decision`,
      { action: 'uphold', reason: '认定机关已撤销该处罚决定，异议成立。', correction: { action: 'revoke' } },
      reviewer.auth,
    );
    expectStatus(upheld, 200, 'decideObjection uphold');

    const { scoreBefore, scoreAfter } = upheld.body.outcome;
    expect(scoreAfter! - scoreBefore!).toBe(40);
    expect([preview.body.scoreBefore, preview.body.scoreAfter]).toEqual([scoreBefore, scoreAfter]);
    const decided = await h.get(`/review/objection/${filed.body.id}/preview`, reviewer.auth);
    expect([decided.status, codeOf(decided)]).toEqual([409, 'APPLICATION_STATE']);
    const ev2 = await evaluation(entityA);
    expect(ev2).toMatchObject({ total: scoreAfter, trigger: 'objection.upheld', reproduced: true });
    expect(ev2.records.find((r) => r.recordId === recA.RECENT)).toMatchObject({
      status: 'revoked',
      counts: false,
      excluded: 'revoked',
    });
    // The record's history: delivered, disputed, revoked — each version with why and what changed.
    const history = await h.get<{ items: Array<Record<string, unknown>> }>(
      `/review/records/${recA.RECENT}/versions`,
      reviewer.auth,
    );
    expectStatus(history, 200, 'listRecordVersions');
    expect(history.body.items.map((v) => [v.version, v.status, v.reasonLabel, v.changed])).toEqual([
      [1, 'active', '数据报送', []],
      [2, 'under_objection', '企业提出异议，标注异议中', ['status']],
      [3, 'revoked', '异议成立，更正或撤销', ['status']],
    ]);
    expect(history.body.items[0]!.supersededAt).toBe(history.body.items[1]!.recordedAt);
    expect((await h.get(`/review/records/${recA.RECENT}/versions`, userA.auth)).status).toBe(403);
    const missing = await h.get('/review/records/2147483000/versions', reviewer.auth);
    expect([missing.status, codeOf(missing)]).toEqual([404, 'NOT_FOUND']);
    expect(ev2.indicators.find((i) => i.code === 'O02')!.effects.some((f) => f.recordId === recA.RECENT)).toBe(false);

    await relay().drain();
    expect(receiver.processed.get(`objection.upheld:${filed.body.id}`)).toMatchObject({
      data: { score: { before: scoreBefore, after: scoreAfter } },
    });
    expect(receiver.receipts.every((r) => r.signatureValid)).toBe(true);
    const decisions = h.fake.state.sentMessages.filter(
      (m) => m.touser === userA.openid && m.template_id === h.config.WECHAT_TEMPLATE_DECISION,
    );
    expect(decisions.map((m) => m.data.phrase2!.value)).toEqual(['已受理', '异议成立']);
    const [audit] = await h.db.query<{ actor_id: string }>(
      `SELECT actor_id FROM audit_log WHERE action = 'objection.uphold' AND object_id = $1`,
      [String(filed.body.id)],
    );
    expect(audit!.actor_id).toBe(`reviewer:${reviewer.username}`);
  });

  it('runs a good-information report end to end: reported, confirmed, counted', async () => {
    const ev = await evidenceId(userA, entityA, aPdf(), '表彰决定.pdf');
    const before = (await evaluation(entityA)).total;

    const filed = await h.post<GoodInfoReportView>(
      '/good-info-reports',
      {
        entityId: entityA,
        category: 'honour',
        level: 'city',
        title: '黑河市诚信示范企业',
        description: '市政府表彰。',
        occurredOn: daysAgo(30),
        evidenceIds: [ev],
      },
      userA.auth,
    );
    expectStatus(filed, 201, 'createGoodInfoReport');
    expectStatus(
      await h.post(`/good-info-reports/${filed.body.id}/decision`, { action: 'accept' }, admin.auth),
      200,
      'accept',
    );
    const confirmed = await h.post<GoodInfoReportView>(
      `/good-info-reports/${filed.body.id}/decision`,
      { action: 'confirm', reason: '表彰文件已核实。' },
      admin.auth,
    );
    expectStatus(confirmed, 200, 'decideGoodInfoReport');

    const after = await evaluation(entityA);
    expect(after.total - before).toBe(10);
    expect(after.indicators.find((i) => i.code === 'S02')!.effects).toEqual([
      expect.objectContaining({ recordId: confirmed.body.createdRecordId, points: 10, reason: 'bonus' }),
    ]);
  });

  it('runs a repair end to end: refused too early with the date, then applied, approved, 已修复, told', async () => {
    const letter = await evidenceId(userA, entityA, aPdf(), '信用修复承诺书.pdf');
    const proof = await evidenceId(userA, entityA, aJpeg(), '缴款凭证.jpg');
    const materials = [
      { evidenceId: letter, type: 'commitment_letter' },
      { evidenceId: proof, type: 'fulfilment_proof' },
    ];
    const early = await h.get<{ eligible: boolean; possibleFrom: string }>(
      `/entities/${entityB}/records/${recA.OLD}/repair-eligibility`,
      userB.auth,
    );
    expect(early.status).toBe(404);
    const recentB = Number(
      (
        await h.db.query<{ id: number }>(
          `SELECT id FROM credit_record WHERE entity_id = $1 AND source_system = 'rights-e2e'`,
          [entityB],
        )
      )[0]!.id,
    ); // BIGINT: node-postgres gives a string
    const tooEarly = await h.get<{ eligible: boolean; reason: string; possibleFrom: string }>(
      `/entities/${entityB}/records/${recentB}/repair-eligibility`,
      userB.auth,
    );
    expect(tooEarly.body).toMatchObject({
      eligible: false,
      reason: 'too_early',
      possibleFrom: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
    });
    const letterB = await evidenceId(userB, entityB, aPdf());
    const proofB = await evidenceId(userB, entityB, aJpeg());
    const refused = await h.post(
      '/repair-applications',
      {
        entityId: entityB,
        recordId: recentB,
        statement: '已缴纳罚款，申请提前修复。',
        materials: [
          { evidenceId: letterB, type: 'commitment_letter' },
          { evidenceId: proofB, type: 'fulfilment_proof' },
        ],
      },
      userB.auth,
    );
    expect([refused.status, codeOf(refused)]).toEqual([422, 'REPAIR_TOO_EARLY']);
    expect(refused.text).toContain(tooEarly.body.possibleFrom);

    const filed = await h.post<RepairApplicationView>(
      '/repair-applications',
      { entityId: entityA, recordId: recA.OLD, statement: '罚款已足额缴纳，违法行为已整改。', materials },
      userA.auth,
    );
    expectStatus(filed, 201, 'createRepairApplication');
    expect(filed.body.evidence.map((e) => e.materialType).sort()).toEqual(['commitment_letter', 'fulfilment_proof']);
    expectStatus(
      await h.post(`/repair-applications/${filed.body.id}/decision`, { action: 'accept' }, reviewer.auth),
      200,
      'accept',
    );
    const approved = await h.post<RepairApplicationView>(
      `/repair-applications/${filed.body.id}/decision`,
      { action: 'approve', reason: '已履行处罚决定，材料齐全，准予修复。' },
      reviewer.auth,
    );
    expectStatus(approved, 200, 'decideRepairApplication');

    expect(approved.body).toMatchObject({ status: 'approved', record: { status: 'repaired' } });
    expect(approved.body.outcome.scoreAfter!).toBeGreaterThan(approved.body.outcome.scoreBefore!);
    const after = await evaluation(entityA);
    expect(after).toMatchObject({ total: approved.body.outcome.scoreAfter, trigger: 'repair.approved' });
    expect(after.records.find((r) => r.recordId === recA.OLD)).toMatchObject({
      status: 'repaired',
      counts: false,
      excluded: 'repaired',
    });
    await relay().drain();
    expect(receiver.processed.get(`repair.approved:${filed.body.id}`)).toMatchObject({
      topic: 'repair.approved',
      data: { record: { status: 'repaired' } },
    });
  });

  describe('upload attacks', () => {
    it('refuses a renamed executable as .jpg', async () => {
      const sut = await photo(userA, entityA, EXE, 'invoice.jpg');
      expect([sut.status, codeOf(sut)]).toEqual([415, 'EVIDENCE_TYPE_NOT_ALLOWED']);
    });

    it('refuses an oversized file before storing it', async () => {
      const big = Buffer.concat([aJpeg().subarray(0, 20), Buffer.alloc(300 * 1024, 1)]);
      const sut = await photo(userA, entityA, big);
      expect([sut.status, codeOf(sut)]).toEqual([413, 'EVIDENCE_TOO_LARGE']);
    });

    it('refuses two files in one request', async () => {
      const sut = await upload(
        h,
        `/entities/${entityA}/evidence`,
        [
          { name: 'file', filename: 'a.jpg', data: aJpeg() },
          { name: 'file', filename: 'b.jpg', data: aJpeg() },
        ],
        userA.auth,
      );
      expect([sut.status, codeOf(sut)]).toEqual([422, 'EVIDENCE_TOO_MANY']);
    });

    it('refuses more files than an application may carry', async () => {
      const ids = [];
      for (let i = 0; i < 5; i++) ids.push(await evidenceId(userA, entityA));
      const sut = await h.post(
        '/good-info-reports',
        {
          entityId: entityA,
          category: 'employment',
          title: '吸纳就业',
          description: '材料超过上限，看看会不会被拒绝。',
          occurredOn: daysAgo(5),
          evidenceIds: ids,
        },
        userA.auth,
      );
      expect([sut.status, codeOf(sut)]).toEqual([422, 'EVIDENCE_TOO_MANY']);
    });

    it('keeps ../ and NUL in names out of the file system', async () => {
      const a = await photo(userA, entityA, aJpeg(), '../../../../tmp/evil.jpg');
      const b = await upload(
        h,
        `/entities/${entityA}/evidence`,
        [{ name: 'file', filename: 'x.jpg', filenameStar: '..%2F..%2Fx%00.sh%00.jpg', data: aJpeg() }],
        userA.auth,
      );
      // A raw NUL inside the part header is not even valid multipart: refused before anything is read.
      const raw = await photo(userA, entityA, aJpeg(), 'x\u0000.sh.jpg');
      expect([a.status, b.status, raw.status]).toEqual([201, 201, 400]);
      expect([(a.body as unknown as Evidence).displayName, (b.body as unknown as Evidence).displayName]).toEqual([
        'evil.jpg',
        'x.sh.jpg',
      ]);
      const stored = fs.readdirSync(dir, { recursive: true, withFileTypes: true }).filter((d) => d.isFile());
      expect(
        stored.every((d) => /^[0-9a-f-]{36}$/.test(d.name) && path.join(d.parentPath, d.name).startsWith(dir)),
      ).toBe(true);
      expect(fs.existsSync('/tmp/evil.jpg')).toBe(false);
    });

    it('refuses an image bomb', async () => {
      const sut = await photo(userA, entityA, aJpeg({ width: 50000, height: 50000 }));
      expect([sut.status, codeOf(sut)]).toEqual([422, 'EVIDENCE_IMAGE_TOO_LARGE']);
    });

    it("refuses another enterprise's file ID to read, download or attach", async () => {
      const theirs = await evidenceId(userA, entityA);
      const get = await h.get(`/evidence/${theirs}`, userB.auth);
      const content = await h.get(`/evidence/${theirs}/content`, userB.auth);
      const attach = await h.post(
        '/good-info-reports',
        {
          entityId: entityB,
          category: 'charity',
          title: '捐赠',
          description: '夹带别家材料。',
          occurredOn: daysAgo(3),
          evidenceIds: [theirs],
        },
        userB.auth,
      );
      const byOfficer = await h.get(`/evidence/${theirs}`, officer.auth);
      expect([get.status, content.status, attach.status, byOfficer.status]).toEqual([404, 404, 404, 403]);
    });

    it('refuses an upload to an enterprise the user is not bound to, and an anonymous one', async () => {
      const other = await photo(userA, entityB);
      const anonymous = await upload(
        h,
        `/entities/${entityA}/evidence`,
        [{ name: 'file', filename: 'a.jpg', data: aJpeg() }],
        null,
      );
      expect([other.status, anonymous.status]).toEqual([404, 401]);
    });
  });

  it('lets only administrators load a calendar year, and refuses a wrong schedule in detail', async () => {
    const body = { holidays: ['2031-01-01'], makeupWorkdays: ['2031-01-06'] };
    const byReviewer = await h.http('PUT', '/calendar/schedules/2031', { auth: reviewer.auth, body });
    const wrong = await h.http('PUT', '/calendar/schedules/2031', { auth: admin.auth, body });
    expect(byReviewer.status).toBe(403);
    expect([wrong.status, codeOf(wrong)]).toEqual([400, 'VALIDATION_FAILED']);
    expect(wrong.text).toContain('调休上班日应为周六或周日');
  });
});
