import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { type Browser, type Page } from 'playwright-core';
import type { EvaluationResponse } from '@heihe/shared';
import { bootstrap } from '../../cloud/src/bootstrap';
import { Ingestor } from '../../cloud/src/ingest/ingestor';
import { Scorer } from '../../cloud/src/scoring/scorer';
import { requireService } from '../../cloud/src/testing/services';
import { daysAgo, deliverPenalties } from '../rights/support/api';
import { chromiumInstalled, launchChromium, watchPage } from '../support/browser';
import { expectStatus, Harness, type SeededEnterprise } from '../support/harness';
import { ensureH5Build, REPO_ROOT } from './support/h5';
import { H5Page, INTERNAL_TEXT } from './support/h5-page';
import { aDocumentPhoto } from './support/png';

/**
 * The enterprise's journey in a real browser: the mini program's H5 build, served by the API's own
 * server (bootstrap's staticDir, same origin as /api), against a real database, signing in through
 * the fake WeChat. Screenshots of every step go to test/artifacts/ (CI keeps them).
 */

const ARTIFACTS = path.join(REPO_ROOT, 'test', 'artifacts');
const backend = process.env.TEST_DATABASE_URL ? 'postgres' : 'pglite';
const STATEMENT = '该处罚决定已被黑河市人民政府行政复议决定撤销，附复议决定书照片，请予撤销该记录。';
const REASON = '经核查，该处罚决定已被复议机关撤销，记录予以撤销并重新评分。';

jest.setTimeout(300_000);

const runs = requireService('chromium', chromiumInstalled(), 'the enterprise journey in Chromium');
(runs ? describe : describe.skip)(`the enterprise journey in Chromium on ${backend}`, () => {
  let h: Harness;
  let web: NestExpressApplication;
  let origin: string;
  let browser: Browser;
  let app: H5Page;
  let page: Page;
  let enterprise: SeededEnterprise;
  let penaltyId: number;
  let secondPenaltyId: number;
  let secondObjectionId: number;
  let evidenceDir: string;
  let objectionId: number;
  let before: EvaluationResponse;
  let watched: ReturnType<typeof watchPage> = { pageErrors: [], browserLeaks: [] };

  beforeAll(async () => {
    const h5 = ensureH5Build();
    evidenceDir = fs.mkdtempSync(path.join(os.tmpdir(), 'heihe-journey-evidence-'));
    h = await Harness.start(backend, { env: { DEMO_MODE: 'true', EVIDENCE_DIR: evidenceDir } });
    // The harness's app has no static folder; this one is what `npm start` serves: the H5 build at
    // '/' beside the API at '/api', on the same database and config (and so the same fake WeChat).
    web = await bootstrap(h.config, h.db, { logger: false, staticDir: h5 });
    await web.listen(0, '127.0.0.1');
    origin = (await web.getUrl()).replace('[::1]', '127.0.0.1');

    enterprise = h.enterprises[0];
    const ids = await deliverPenalties(h, enterprise.uscc, enterprise.entityId, [
      { key: 'P1', occurredOn: daysAgo(40), severity: 'serious', summary: '黑市监罚〔2026〕88号' },
    ]);
    penaltyId = ids.P1!;

    browser = await launchChromium();
    app = await H5Page.open(browser, ARTIFACTS, { width: 390, height: 844 });
    page = app.page;
    watched = watchPage(page, h.sensitive);
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await web?.close();
    await h?.close();
    if (evidenceDir) fs.rmSync(evidenceDir, { recursive: true, force: true });
  });

  afterEach(() => {
    expect(watched.pageErrors).toEqual([]);
    expect(watched.browserLeaks).toEqual([]);
  });

  const visible = (selector: string) => app.visible(selector);
  const text = (selector: string) => app.text(selector);
  const pageText = () => app.pageText();
  /** A full-page shot once the router's slide-in has finished; every screen shot is scanned for internal codes. */
  const shot = (name: string) => app.shot(name);

  async function evaluationNow(): Promise<EvaluationResponse> {
    const staff = await h.signInAsStaff('reviewer');
    const res = await h.get<EvaluationResponse>(`/entities/${enterprise.entityId}/evaluation`, staff.auth);
    expectStatus(res, 200, 'getEntityEvaluation');
    return res.body;
  }

  it('1. signs in through the fake WeChat, consents, verifies as the legal representative and sees the grade', async () => {
    before = await evaluationNow();
    await page.goto(`${origin}/`);

    await visible('[data-testid=privacy-terms]').waitFor();
    expect(await text('[data-testid=privacy-terms]')).toContain('身份证号加密存储并脱敏展示');
    await shot('journey-1-login');
    await visible('[data-testid=consent]').click();
    await visible('[data-testid=login]').click();

    await visible('[data-testid=verify-form]').waitFor();
    await visible('[data-testid=input-name] input').fill(enterprise.legalRep.name);
    const id = enterprise.legalRep.idNumber;
    await visible('[data-testid=input-idNumber] input').fill(id.slice(0, 17) + (id.endsWith('1') ? '2' : '1'));
    await visible('[data-testid=input-uscc] input').fill(enterprise.uscc);
    await visible('[data-testid=submit]').click();
    // The wrong check digit is caught on the phone, by the shared validator, before any request.
    await visible('[data-testid=error-idNumber]').waitFor();
    expect(await text('[data-testid=error-idNumber]')).toBe('身份证号校验位不正确，请核对后重新输入');
    await visible('[data-testid=input-idNumber] input').fill(enterprise.legalRep.idNumber);
    await shot('journey-1-verify');
    await visible('[data-testid=submit]').click();

    await visible('[data-testid=grade-card]').waitFor({ timeout: 30_000 });
    expect(await text('[data-testid=entity-name]')).toBe(enterprise.name);
    expect(await text('[data-testid=grade-card] .grade-badge__grade')).toBe(before.grade);
    expect(await text('[data-testid=grade-card] .grade-badge__total')).toBe(String(before.total));
    await visible('[data-testid=trend-col]').waitFor();
    await shot('journey-1');
  });

  it('2. opens the penalty, sees the what-if estimate, and objects to it with a photo', async () => {
    await visible('[data-testid=view-breakdown]').click();
    await visible(`[data-testid=effect-${penaltyId}]`).waitFor();
    await visible(`[data-testid=effect-${penaltyId}]`).click();

    await visible('[data-testid=what-if]').waitFor();
    expect(await text('[data-testid=record-card]')).toContain('黑市监罚〔2026〕88号');
    expect(await text('[data-testid=what-if]')).toContain('估算');
    expect(await text('[data-testid=what-if-result]')).toMatch(/^预计 \d+ 分，[A-E] 级$/);
    await visible('[data-testid=repair-not-yet]').waitFor();
    expect(await text('[data-testid=repair-not-yet]')).toMatch(/^\d{4}-\d{2}-\d{2} 起可申请信用修复/);
    await shot('journey-2-record');

    await visible('[data-testid=object]').click();
    await visible('[data-testid=objection-form]').waitFor();
    await visible('[data-testid=ground-wrong]').click();
    await visible('[data-testid=statement] textarea').fill(STATEMENT);
    const chooser = page.waitForEvent('filechooser');
    await visible('[data-testid=evidence-add-evidence]').click();
    await (await chooser).setFiles({ name: '复议决定书.png', mimeType: 'image/png', buffer: aDocumentPhoto() });
    await visible('[data-testid=evidence-item][data-status=done]').waitFor();
    await shot('journey-2');

    await visible('[data-testid=submit]').click();
    await visible('[data-testid=application]').waitFor({ timeout: 30_000 });
    objectionId = Number(/[?&]id=(\d+)/.exec(page.url())?.[1]);
    expect(objectionId).toBeGreaterThan(0);
    expect(await text('[data-testid=application-status]')).toBe('已提交，待受理');
    expect(await text('[data-testid=deadline]')).toMatch(/剩余 7 个工作日/);
    await shot('journey-2-filed');

    // Filed on 2026-12-24 before the 2027 holiday schedule is loaded, the deadline is provisional:
    // the stored deadline is set as that filing would have set it, and the page reads it as such.
    await h.db.query(
      `UPDATE objection SET due_on = '2027-01-05', due_from = '2026-12-24', due_provisional = true WHERE id = $1`,
      [objectionId],
    );
    await page.reload();
    await visible('[data-testid=deadline-provisional]').waitFor();
    expect(await text('[data-testid=deadline]')).toContain('预计办理期限 2027-01-05');
    expect(await text('[data-testid=deadline-provisional]')).toMatch(/^2027 年的节假日安排尚未公布.*重新计算/);
    await shot('journey-2-provisional');

    const filed = await h.get<{ ground: string; statement: string; evidence: Array<{ mime: string }> }>(
      `/objections/${objectionId}`,
      (await h.signInAsStaff('reviewer')).auth,
    );
    expect(filed.body).toMatchObject({ ground: 'wrong', statement: STATEMENT, evidence: [{ mime: 'image/png' }] });
  });

  it('3. the agency upholds the objection through the API, and the user sees it in their applications', async () => {
    const reviewer = await h.signInAsStaff('reviewer');
    const decide = (body: unknown) => h.post(`/objections/${objectionId}/decision`, body, reviewer.auth);
    expectStatus(await decide({ action: 'accept' }), 200, 'accept');
    expectStatus(await decide({ action: 'uphold', reason: REASON, correction: { action: 'revoke' } }), 200, 'uphold');

    await page.goto(`${origin}/#/packages/rights/pages/applications/index?entityId=${enterprise.entityId}`);
    const item = visible(`[data-testid=application-objection-${objectionId}]`);
    await item.waitFor();
    expect(await item.textContent()).toContain('异议成立');
    await shot('journey-3');
  });

  it('4. sees the new grade at home and the decision, its reason and the score change on the application', async () => {
    const after = await evaluationNow();
    expect(after.total).toBeGreaterThan(before.total);
    expect(after.records.find((r) => r.recordId === penaltyId)).toMatchObject({ status: 'revoked', counts: false });

    await page.goto(`${origin}/#/pages/index/index`);
    await visible('[data-testid=grade-card]').waitFor();
    expect(await text('[data-testid=grade-card] .grade-badge__total')).toBe(String(after.total));
    expect(await text('[data-testid=grade-card] .grade-badge__grade')).toBe(after.grade);
    await shot('journey-4');

    await page.goto(`${origin}/#/packages/rights/pages/application/index?kind=objection&id=${objectionId}`);
    await visible('[data-testid=decision]').waitFor();
    expect(await text('[data-testid=application-status]')).toBe('异议成立');
    expect(await text('[data-testid=decision-reason]')).toBe(REASON);
    expect(await text('[data-testid=score-change]')).toBe(
      `${before.total} 分（${before.grade} 级） → ${after.total} 分（${after.grade} 级）+${after.total - before.total}`,
    );
    expect(await text('[data-testid=timeline]')).toContain('异议成立，记录已更正或撤销');
    await shot('journey-4-decision');

    // The narrowest phone the app supports: nothing may overflow sideways.
    await page.setViewportSize({ width: 320, height: 640 });
    await page.goto(`${origin}/#/pages/index/index`);
    await visible('[data-testid=grade-card]').waitFor();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await shot('journey-4-320');
  });
  const phone = () => page.setViewportSize({ width: 375, height: 812 });

  it('5. a record in full; filed from the app, it says 异议处理中 with a link and offers no second application', async () => {
    await phone();
    const ids = await deliverPenalties(h, enterprise.uscc, enterprise.entityId, [
      {
        key: 'P2',
        occurredOn: daysAgo(30),
        severity: 'general',
        summary: '未按规定标明商品价格',
        documentNo: '黑市监罚〔2026〕102号',
        content: '警告，并处罚款人民币 2000 元',
        legalBasis: '《明码标价和禁止价格欺诈规定》第二十一条',
      },
    ]);
    secondPenaltyId = ids.P2!;

    await page.goto(
      `${origin}/#/packages/credit/pages/record/index?entityId=${enterprise.entityId}&recordId=${secondPenaltyId}`,
    );
    await visible('[data-testid=object]').waitFor();
    expect(await text('[data-testid=fact-authority]')).toBe('决定机关黑河市市场监督管理局');
    expect(await text('[data-testid=fact-documentNo]')).toBe('决定文书号黑市监罚〔2026〕102号');
    expect(await text('[data-testid=fact-content]')).toBe('处罚内容警告，并处罚款人民币 2000 元');
    expect(await text('[data-testid=fact-legalBasis]')).toBe('处罚依据《明码标价和禁止价格欺诈规定》第二十一条');
    expect(await text('[data-testid=fact-validTo]')).toMatch(/^公示至\d{4}-\d{2}-\d{2}$/);
    expect(await pageText()).not.toMatch(INTERNAL_TEXT);
    await shot('journey-5-record');

    await visible('[data-testid=object]').click();
    await visible('[data-testid=objection-form]').waitFor();
    await visible('[data-testid=ground-wrong]').click();
    await visible('[data-testid=statement] textarea').fill('该处罚决定所列价格标签已按规定设置，现场照片为证。');
    const chooser = page.waitForEvent('filechooser');
    await visible('[data-testid=evidence-add-evidence]').click();
    await (await chooser).setFiles({ name: '价格标签.png', mimeType: 'image/png', buffer: aDocumentPhoto() });
    await visible('[data-testid=evidence-item][data-status=done]').waitFor();
    await visible('[data-testid=submit]').click();
    await visible('[data-testid=application]').waitFor({ timeout: 30_000 });
    secondObjectionId = Number(/[?&]id=(\d+)/.exec(page.url())?.[1]);
    expect(secondObjectionId).toBeGreaterThan(0);

    await page.goto(
      `${origin}/#/packages/credit/pages/record/index?entityId=${enterprise.entityId}&recordId=${secondPenaltyId}`,
    );
    await visible('[data-testid=record-in-progress]').waitFor();
    expect(await text('[data-testid=record-state]')).toBe('当前状态异议处理中');
    expect(await text('[data-testid=record-in-progress]')).toContain('异议处理中');
    expect(await page.locator('[data-testid=object]:visible').count()).toBe(0);
    expect(await page.locator('[data-testid=apply-repair]:visible').count()).toBe(0);
    expect(await pageText()).not.toMatch(INTERNAL_TEXT);
    await shot('journey-5-in-progress');

    await visible('[data-testid=open-application]').click();
    await page.waitForURL(new RegExp(`kind=objection&id=${secondObjectionId}`));
    await visible('[data-testid=application][data-status=submitted]').waitFor();
  });

  it('6. returned for material, it is resubmitted from the app with a new file and an edited statement, then upheld', async () => {
    await phone();
    const reviewer = await h.signInAsStaff('reviewer');
    const decide = (body: unknown) => h.post(`/objections/${secondObjectionId}/decision`, body, reviewer.auth);
    const RETURN_REASON = '请补充价格标签的现场照片，并注明拍摄日期。';
    expectStatus(await decide({ action: 'return', reason: RETURN_REASON }), 200, 'return');

    await page.goto(`${origin}/#/packages/rights/pages/application/index?kind=objection&id=${secondObjectionId}`);
    await visible('[data-testid=resubmit]').waitFor();
    expect(await text('[data-testid=return-reason]')).toBe(RETURN_REASON);
    expect(await text('[data-testid=application-status]')).toBe('待补正材料');
    expect(await text('[data-testid=deadline]')).toContain('期限暂停');
    await shot('journey-6-returned');

    const chooser = page.waitForEvent('filechooser');
    await visible('[data-testid=evidence-add-resubmit]').click();
    await (await chooser).setFiles({ name: '现场照片-12月.png', mimeType: 'image/png', buffer: aDocumentPhoto() });
    await visible('[data-testid=evidence-resubmit] [data-testid=evidence-item][data-status=done]').waitFor();
    await visible('[data-testid=resubmit-note] textarea').fill('已补充现场照片，拍摄于 12 月 1 日。');
    const EDITED = '该处罚决定所列价格标签已按规定设置，现补充 12 月 1 日拍摄的现场照片为证。';
    await visible('[data-testid=resubmit-statement] textarea').fill(EDITED);
    // Text boxes read in the page's font, not the browser's monospace for a textarea.
    const fonts = await visible('[data-testid=resubmit-statement] textarea').evaluate((el) => [
      getComputedStyle(el).fontFamily,
      getComputedStyle(document.body).fontFamily,
    ]);
    expect(fonts[0]).not.toMatch(/monospace/);
    expect(fonts[0]).toBe(fonts[1]);
    await shot('journey-6-resubmit-form');
    await visible('[data-testid=resubmit] [data-testid=submit]').click();

    await visible('[data-testid=application][data-status=submitted]').waitFor({ timeout: 30_000 });
    expect(await page.locator('[data-testid=resubmit]:visible').count()).toBe(0);
    expect(await text('[data-testid=deadline]')).toMatch(/办理期限 \d{4}-\d{2}-\d{2}，剩余 7 个工作日/);
    expect(await text('[data-testid=statement-text]')).toBe(EDITED);
    expect(await page.locator('[data-testid=own-file]:visible').count()).toBe(2);
    expect(await text('[data-testid=timeline]')).toContain('退回补正材料');
    await shot('journey-6-resubmitted');

    expectStatus(await decide({ action: 'accept' }), 200, 'accept');
    expectStatus(
      await decide({
        action: 'uphold',
        reason: '经核查，价格标签设置符合规定，撤销该记录。',
        correction: { action: 'revoke' },
      }),
      200,
      'uphold',
    );
    await page.reload();
    await visible('[data-testid=decision]').waitFor();
    expect(await text('[data-testid=application-status]')).toBe('异议成立');
    await shot('journey-6-upheld');
  });

  it('7. the trend explains its points, and the breakdown names no internal code', async () => {
    await phone();
    await page.goto(`${origin}/#/pages/index/index`);
    await visible('[data-testid=trend-detail]').waitFor();
    // The latest point is the upheld objection: the revoked penalty gave its points back.
    expect(await text('[data-testid=trend-detail]')).toContain('异议成立');
    expect(await text('[data-testid=trend-change]')).toContain('未按规定标明商品价格');
    const dates = await page.locator('[data-testid=trend-date]:visible').allTextContents();
    // Each column under its own date; a day with several evaluations adds their times.
    expect(dates.every((d) => /^\d{2}-\d{2}(\d{2}:\d{2})?$/.test(d))).toBe(true);
    expect(await pageText()).not.toMatch(INTERNAL_TEXT);
    await shot('journey-7-trend');

    await visible('[data-testid=view-breakdown]').click();
    await visible('[data-testid=effect-rule-base]').waitFor();
    expect(await pageText()).not.toMatch(INTERNAL_TEXT);
    expect(await pageText()).not.toContain('满分 150 分起算');
    await shot('journey-7-breakdown');
  });
  it('8. the way to the next grade: the gap, the records that cost the most and until when, each with its estimate', async () => {
    await phone();
    const ids = await deliverPenalties(h, enterprise.uscc, enterprise.entityId, [
      { key: 'P3', occurredOn: daysAgo(10), severity: 'minor', summary: '未按规定办理变更登记' },
    ]);
    const now = await evaluationNow();
    await page.goto(`${origin}/#/pages/index/index`);
    await visible('[data-testid=next-grade]').click();
    await visible('[data-testid=gap]').waitFor();
    const costly = await text(`[data-testid=costly-${ids.P3}]`);
    expect(costly).toContain('未按规定办理变更登记');
    expect(costly).toMatch(/\d{4}-\d{2}-\d{2} 后不再计分/);
    expect(costly).toMatch(/如不再计分：预计 \+\d+ 分，\d+ 分，[A-E] 级/);
    const nextCutoff = [670, 730, 790, 850].find((c) => now.total < c);
    if (nextCutoff !== undefined)
      expect(await text('[data-testid=gap-text]')).toMatch(new RegExp(`还差 ${nextCutoff - now.total} 分$`));
    expect(await pageText()).not.toMatch(INTERNAL_TEXT);
    await shot('journey-8-next-grade');

    await page.setViewportSize({ width: 320, height: 640 });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await shot('journey-8-next-grade-320');
  });
  it("9. help: answers, the agency's contact and templates to copy", async () => {
    await phone();
    await page.goto(`${origin}/#/pages/index/index`);
    await visible('[data-testid=help]').click();
    await visible('[data-testid=contact]').waitFor();
    expect(await text('[data-testid=contact]')).toContain('12345');
    await visible('[data-testid=faq]').click();
    expect(await text('[data-testid=faq]')).toContain('850 分及以上为 A 级');
    expect(await page.locator('[data-testid=template]:visible').count()).toBe(2);
    await shot('journey-9-help');
  });
  it('10. my data: what the platform holds about me, masked, and the read audited', async () => {
    await phone();
    await page.goto(`${origin}/#/pages/index/index`);
    await visible('[data-testid=my-data]').click();
    await visible('[data-testid=my-bindings]').waitFor();
    expect(await text('[data-testid=my-bindings]')).toContain(enterprise.name);
    const verifiedAs = await text('[data-testid=verified-as]');
    expect(verifiedAs).toContain('*');
    expect(verifiedAs).not.toContain(enterprise.legalRep.idNumber);
    expect(await text('[data-testid=my-consent]')).toMatch(/隐私政策\S+ 版/);
    const [audited] = await h.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM audit_log WHERE action = 'personal_data.view' AND actor_kind = 'user'`,
    );
    expect(audited!.n).toBeGreaterThan(0);
    await shot('journey-10-my-data');
  });
  it('11. at 320 px, the narrowest phone, nothing on the new screens overflows sideways', async () => {
    await page.setViewportSize({ width: 320, height: 640 });
    const screens: Array<[string, string, string]> = [
      [
        'record',
        `#/packages/credit/pages/record/index?entityId=${enterprise.entityId}&recordId=${secondPenaltyId}`,
        'record-card',
      ],
      [
        'application',
        `#/packages/rights/pages/application/index?kind=objection&id=${secondObjectionId}`,
        'application',
      ],
      ['home', '#/pages/index/index', 'trend-detail'],
      ['my-data', '#/packages/account/pages/my-data/index', 'my-bindings'],
    ];
    const overflows: Record<string, number> = {};
    for (const [name, hash, ready] of screens) {
      await page.goto(`${origin}/${hash}`);
      await visible(`[data-testid=${ready}]`).waitFor();
      // After the shot, which waits for the router's slide-in (a page entering from the right is
      // wider than the window while it moves).
      await shot(`journey-11-${name}-320`);
      overflows[name] = Math.max(
        0,
        await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth),
      );
    }
    expect(overflows).toEqual(Object.fromEntries(screens.map(([name]) => [name, 0])));
  });

  it('12. the messages list: every notice, unread marked, each opening its application, read once opened', async () => {
    await phone();
    await page.goto(`${origin}/#/pages/index/index`);
    const link = visible('[data-testid=messages-link]');
    await link.waitFor();
    await page.waitForFunction(() =>
      /条未读/.test(
        Array.from(document.querySelectorAll<HTMLElement>('[data-testid=messages-link]')).pop()?.innerText ?? '',
      ),
    );
    await link.click();
    await visible('[data-testid=message]').waitFor();
    const titles = await page
      .locator('[data-testid=messages]:visible [data-testid=message] .messages__title')
      .allTextContents();
    expect(titles).toEqual(
      expect.arrayContaining(['信用异议：待补正材料', '信用异议：异议成立', '信用异议：已受理，核查中']),
    );
    // No subscribe message was accepted in the journey: the list has them all the same.
    const returned = visible('[data-testid=message]:has-text("待补正材料")');
    expect(await returned.getAttribute('data-unread')).toBe('true');
    expect(await returned.textContent()).toContain('请按要求补正材料后重新提交');
    await shot('journey-12-messages');

    await visible('[data-testid=messages-unread]').click();
    await page.waitForFunction(() => {
      const shown = Array.from(document.querySelectorAll<HTMLElement>('[data-testid=message]')).filter(
        (el) => el.offsetWidth > 0,
      );
      return shown.length > 0 && shown.every((el) => el.dataset.unread === 'true');
    });
    await visible('[data-testid=messages-all]').click();

    await visible('[data-testid=message]:has-text("待补正材料")').click();
    await visible('[data-testid=application]').waitFor();
    expect(page.url()).toContain(`id=${secondObjectionId}`);
    await page.goBack();
    // Back on the list, which shows what it had until its quiet reload answers: wait for the message
    // to be on screen again and marked read (before the router has shown the list, none is on screen,
    // and "every" of none held at once).
    await page.waitForFunction(
      () => {
        const shown = Array.from(document.querySelectorAll<HTMLElement>('[data-testid=message]')).filter(
          (el) => el.offsetWidth > 0 && el.innerText.includes('待补正材料'),
        );
        return shown.length > 0 && shown.every((el) => el.dataset.unread === 'false');
      },
      undefined,
      { timeout: 10_000 },
    );
    const [read] = await h.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM user_message WHERE title = '信用异议：待补正材料' AND read_at IS NOT NULL`,
    );
    expect(read!.n).toBe(1);

    // The narrowest phone: nothing overflows sideways.
    await page.setViewportSize({ width: 320, height: 640 });
    await shot('journey-12-messages-320');
    expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
    await phone();
  });

  it('12b. at grade A, the legal representative sees the 信易+ measures the agency publishes', async () => {
    await phone();
    const admin = await h.signInAsStaff('admin');
    expectStatus(
      await h.post(
        '/results/xinyi-plus/measures',
        {
          effectiveFrom: new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10),
          basis: '黑市开招办发〔2023〕2号：A 级信用主体的法定代表人纳入信易+守信激励',
          measures: [
            {
              code: 'xinyi_yue',
              name: '信易阅',
              description: '凭电子身份凭证免押金办理借阅证，借阅册数上限提高一倍。',
              provider: '黑河市图书馆',
              itemCodes: ['*'],
            },
            {
              code: 'xinyi_yi',
              name: '信易医',
              description: '在合作医院门诊就医可先诊疗后付费。',
              provider: '黑河市卫生健康委员会',
              itemCodes: ['*'],
            },
          ],
        },
        admin.auth,
      ),
      201,
      'updateXinyiPlusMeasures',
    );
    // Tax grade A and a large tax paid last year lift the enterprise to grade A.
    const year = new Date().getFullYear();
    const ingestor = new Ingestor(h.db, h.vault);
    const batch = await ingestor.startBatch('journey-xinyi');
    const rows = [
      { sourceId: 'TG', kind: 'tax_grade', grade: 'A', amount: year - 1, occurredOn: `${year}-04-15` },
      { sourceId: 'TP', kind: 'tax_paid', amount: 2e7, occurredOn: `${year - 1}-12-31` },
    ];
    const res = await ingestor.applyChunk(
      batch,
      rows.map((r, i) => ({
        line: i + 1,
        raw: {
          type: 'record',
          sourceSystem: 'journey-xinyi',
          uscc: enterprise.uscc,
          ...r,
          sourceId: `${enterprise.uscc}-${r.sourceId}`,
        },
      })),
    );
    await ingestor.finishBatch(batch, 'done');
    expect(res.rejected).toBe(0);
    await new Scorer(h.db).rescore([enterprise.entityId], 'journey-xinyi');
    expect((await evaluationNow()).grade).toBe('A');

    await page.goto(`${origin}/#/pages/index/index`);
    await visible('[data-testid=xinyi-measure]').waitFor();
    const names = await page
      .locator('[data-testid=xinyi-plus]:visible [data-testid=xinyi-measure] .xinyi__name')
      .allTextContents();
    expect(names).toEqual(['信易阅', '信易医']);
    await visible('[data-testid=xinyi-plus]').scrollIntoViewIfNeeded();
    await shot('journey-12b-xinyi-plus');
  });

  it('13. my data: a copy of my personal data to keep, and unbinding the enterprise after a confirmation', async () => {
    await phone();
    // By taps, as a person gets there: a typed hash of a page already in the H5 router's stack
    // makes the router unload it.
    await page.goto(`${origin}/#/pages/index/index`);
    await visible('[data-testid=my-data]').click();
    await visible('[data-testid=my-data-actions]').waitFor();
    await shot('journey-13-my-data-actions');

    const [download] = await Promise.all([page.waitForEvent('download'), visible('[data-testid=export]').click()]);
    const file = await download.path();
    const copy = JSON.parse(fs.readFileSync(file!, 'utf8')) as {
      format: string;
      me: { bindings: Array<{ uscc: string }> };
      messages: unknown[];
    };
    expect(copy.format).toBe('heihe-credit-personal-data/1');
    expect(copy.me.bindings.map((b) => b.uscc)).toContain(enterprise.uscc);
    expect(copy.messages.length).toBeGreaterThan(0);
    expect(fs.readFileSync(file!, 'utf8')).not.toContain(enterprise.legalRep.idNumber);
    const [exported] = await h.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM audit_log WHERE action = 'personal_data.export'`,
    );
    expect(exported!.n).toBe(1);
    await visible('.taro__toast')
      .waitFor({ timeout: 3000 })
      .catch(() => undefined);
    await page.locator('.taro__toast').waitFor({ state: 'hidden' });

    await visible('[data-testid=unbind]').click();
    await visible('.taro-model__confirm').waitFor();
    expect(await text('.taro-modal__text')).toContain(`无法查看“${enterprise.name}”的信用评价`);
    await shot('journey-13-unbind-confirm');
    await visible('.taro-model__confirm').click();
    await page.locator('[data-testid=unbind]:visible').waitFor({ state: 'detached' });
    expect(await text('[data-testid=binding-status]')).toContain('已解除（您已解除绑定）');
    // The toast may come just after the page has reloaded, or have come and gone on a busy machine:
    // the shot waits a moment for it, then until it has gone.
    await visible('.taro__toast')
      .waitFor({ timeout: 3000 })
      .catch(() => undefined);
    await page.locator('.taro__toast').waitFor({ state: 'hidden' });
    await shot('journey-13-unbound');
    // The same session no longer reaches the enterprise.
    const raw = await page.evaluate(() => localStorage.getItem('heihe.accessToken'));
    expect(raw).not.toBeNull();
    const stored = JSON.parse(raw!) as { data?: string } | string;
    const accessToken = typeof stored === 'string' ? stored : stored.data!;
    const r = await h.get(`/entities/${enterprise.entityId}/evaluation`, { accessToken });
    expect([403, 404]).toContain(r.status);

    await page.goto(`${origin}/#/pages/index/index`);
    await visible('[data-testid=verify-now]').waitFor();
    await shot('journey-13-home-unbound');
  });

  it('14. my data: withdrawing the privacy consent says what follows first, then asks for it again', async () => {
    await phone();
    await page.goto(`${origin}/#/pages/index/index`);
    await visible('[data-testid=verify-now]').waitFor();
    await visible('[data-testid=my-data]').click();
    // The page on top: the one unbound in step 13 may still be in the router's DOM beneath it.
    const top = page.locator('.taro_page:visible').last();
    await top.locator('[data-testid=my-data-actions]').waitFor();
    await page.waitForFunction(() => {
      const pages = Array.from(document.querySelectorAll<HTMLElement>('.taro_page')).filter(
        (p) => getComputedStyle(p).display !== 'none' && p.offsetWidth > 0,
      );
      const current = pages[pages.length - 1];
      return current !== undefined && Math.abs(current.getBoundingClientRect().left) < 1;
    });
    await top.locator('[data-testid=withdraw]').click();
    await visible('.taro-model__confirm').waitFor();
    expect(await text('.taro-modal__text')).toContain('未使用的消息订阅一并取消');
    await shot('journey-14-withdraw-confirm');
    await visible('.taro-model__confirm').click();
    await page.locator('[data-testid=withdraw]:visible').waitFor({ state: 'detached' });
    expect(await text('[data-testid=my-consent]')).toContain('撤回时间');
    // The toast may come just after the page has reloaded, or have come and gone on a busy machine:
    // the shot waits a moment for it, then until it has gone.
    await visible('.taro__toast')
      .waitFor({ timeout: 3000 })
      .catch(() => undefined);
    await page.locator('.taro__toast').waitFor({ state: 'hidden' });
    await shot('journey-14-withdrawn');
    const [withdrawn] = await h.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM audit_log WHERE action = 'privacy.withdraw'`,
    );
    expect(withdrawn!.n).toBe(1);
  });
});
