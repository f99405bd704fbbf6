import fs from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { TypicalCase } from '@heihe/shared';
import { REPO_ROOT } from '../../cloud/src/config/config';
import { requireService } from '../../cloud/src/testing/services';
import { chromiumInstalled, launchChromium, watchPage } from '../support/browser';
import { expectStatus, Harness, type SeededEnterprise } from '../support/harness';
import { daysAgo, deliverPenalty, drainRelay, endNotice, ensureSiteBuild, makeGradeA, STORY } from './support';

/**
 * Issue 18's journey on the public site 信用中国（黑河）, in Chromium at a phone's width (375 px)
 * and a desktop's (1280 px): a typical case is nominated by a department, checked, approved and
 * put on notice; a visitor objects through the site; staff dismiss the objection and publish the
 * case with photos; the site shows it with the red list; a new penalty is ingested and the case
 * and the red-list entry are withdrawn, with the notices on the pages. Screenshots go to
 * test/artifacts/site/.
 */

const ARTIFACTS = path.join(REPO_ROOT, 'test', 'artifacts', 'site');
const backend = process.env.TEST_DATABASE_URL ? 'postgres' : 'pglite';
const WIDTHS = { phone: { width: 375, height: 812 }, desktop: { width: 1280, height: 900 } } as const;
type Width = keyof typeof WIDTHS;

jest.setTimeout(300_000);

const runs = requireService('chromium', chromiumInstalled(), 'the public site journey in Chromium');
(runs ? describe : describe.skip)(`the public site journey in Chromium on ${backend}`, () => {
  let h: Harness;
  let origin: string;
  let browser: Browser;
  const contexts: Partial<Record<Width, BrowserContext>> = {};
  const pages: Partial<Record<Width, Page>> = {};
  const watched: Array<ReturnType<typeof watchPage>> = [];
  let good: SeededEnterprise;
  let caseId: number;

  beforeAll(async () => {
    ensureSiteBuild();
    h = await Harness.start(backend);
    origin = h.baseUrl.replace(/\/api$/, '');
    good = h.enterprises[0];
    await makeGradeA(h, good);
    await makeGradeA(h, h.enterprises[1]);
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    browser = await launchChromium();
    for (const w of Object.keys(WIDTHS) as Width[]) {
      const ctx = await browser.newContext({
        viewport: WIDTHS[w],
        deviceScaleFactor: w === 'phone' ? 2 : 1,
        isMobile: w === 'phone',
        locale: 'zh-CN',
        timezoneId: 'Asia/Shanghai',
      });
      contexts[w] = ctx;
      const p = await ctx.newPage();
      watched.push(watchPage(p, h.sensitive));
      pages[w] = p;
    }
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });

  afterEach(() => {
    for (const w of watched) {
      expect(w.pageErrors).toEqual([]);
      expect(w.browserLeaks).toEqual([]);
    }
  });

  /** Opens the path at both widths, waits for `text`, and saves full-page screenshots. */
  async function visit(pathname: string, text: string, shot: string): Promise<string> {
    let body = '';
    for (const w of Object.keys(WIDTHS) as Width[]) {
      const p = pages[w]!;
      const res = await p.goto(`${origin}${pathname}`);
      expect(res?.status()).toBeLessThan(400);
      await p.getByText(text, { exact: false }).first().waitFor();
      const overflow = await p.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow).toBeLessThanOrEqual(0);
      await p.screenshot({ path: path.join(ARTIFACTS, `${shot}-${WIDTHS[w].width}.png`), fullPage: true });
      body = await p.innerText('body');
    }
    return body;
  }

  /** A real photo for the case: a poster rendered by the browser itself. */
  async function poster(title: string, colour: string): Promise<string> {
    const p = await contexts.desktop!.newPage();
    await p.setViewportSize({ width: 640, height: 400 });
    await p.setContent(
      `<body style="margin:0;font-family:sans-serif"><div style="width:640px;height:400px;background:${colour};color:#fff;display:flex;flex-direction:column;align-items:center;justify-content:center"><div style="font-size:40px;font-weight:700">${title}</div><div style="font-size:22px;margin-top:12px">黑河示范粮油有限公司</div></div></body>`,
    );
    const png = await p.screenshot({ type: 'png' });
    await p.close();
    return png.toString('base64');
  }

  it('a department nominates a case; it passes the check and staff approve it for public notice', async () => {
    const admin = await h.signInAsStaff('admin');
    const reviewer = await h.signInAsStaff('reviewer');
    const department = await h.apiClient(['cases:nominate'], { name: '黑河市商务局', kind: 'department' });
    expectStatus(await h.post('/cases/red-list/publication', {}, admin.auth), 200, 'publishRedList');

    const nominated = await h.post<TypicalCase>(
      '/cases',
      {
        uscc: good.uscc,
        title: '诚信经营守护“黑土粮仓”',
        reason: '连续五年纳税信用 A 级，带动 300 余户农户订单种植，履约率 100%，无任何失信记录。',
      },
      department.auth,
    );
    expectStatus(nominated, 201, 'nominateTypicalCase');
    expect(nominated.body).toMatchObject({ status: 'checked', check: { passed: true, grade: 'A' } });
    caseId = nominated.body.id;
    const approved = await h.post<TypicalCase>(
      `/cases/${caseId}/review`,
      { decision: 'approve', reason: '事迹属实，同意公示', noticeDays: 7 },
      reviewer.auth,
    );
    expectStatus(approved, 200, 'reviewTypicalCase');

    const body = await visit(`/site/cases/${caseId}`, '公示期', 'case-notice');
    expect(body).toContain('对本案例提出异议');
  });

  it('a visitor objects on the phone during the notice; the objection waits in the staff queue', async () => {
    const p = pages.phone!;
    await p.goto(`${origin}/site/cases/${caseId}`);
    await p.fill('#statement', '短');
    await p.click('button:has-text("提交异议")');
    // The browser's own validation keeps a too-short statement (minlength) from leaving the page.
    expect(p.url()).toContain(`/site/cases/${caseId}`);
    await p.fill('#statement', '该企业去年曾拖欠合作社货款两个月，请核实其履约情况。');
    await expect(p.locator('.counter').innerText()).resolves.toMatch(/已输入 \d+ \/ 1000 字/);
    await p.click('button:has-text("提交异议")');
    await p.getByText('异议已收到').waitFor();
    await p.screenshot({ path: path.join(ARTIFACTS, 'case-objection-received-375.png'), fullPage: true });

    const reviewer = await h.signInAsStaff('reviewer');
    const queue = await h.get<{ items: Array<{ id: number; caseId: number; statement: string }> }>(
      '/cases/objections?status=queued',
      reviewer.auth,
    );
    expect(queue.body.items).toEqual([
      expect.objectContaining({ caseId, statement: '该企业去年曾拖欠合作社货款两个月，请核实其履约情况。' }),
    ]);
    expectStatus(
      await h.post(
        `/cases/objections/${queue.body.items[0]!.id}/decision`,
        { decision: 'dismissed', note: '经核实，货款已于约定期限内结清' },
        reviewer.auth,
      ),
      200,
      'decideTypicalCaseObjection',
    );
  });

  it('after the notice period the case is published with photos and consent, and the site shows it', async () => {
    await endNotice(h, caseId);
    const reviewer = await h.signInAsStaff('reviewer');
    const published = await h.post<TypicalCase>(
      `/cases/${caseId}/publish`,
      {
        story: `${STORY}\n企业负责人表示，诚信是企业最好的“名片”，将继续守信经营，回馈社会。`,
        photos: [
          { mime: 'image/png', data: await poster('诚信经营 守护粮仓', '#b71c1c'), caption: '企业诚信宣传栏' },
          { mime: 'image/png', data: await poster('订单种植 履约100%', '#1f4e8c'), caption: '订单农业签约现场' },
        ],
        consent: { by: '王建华', on: daysAgo(1), document: '同意公开诚信典型案例确认书' },
      },
      reviewer.auth,
    );
    expectStatus(published, 200, 'publishTypicalCase');

    const home = await visit('/site/', '诚信经营守护“黑土粮仓”', 'home');
    expect(home).toContain('诚信主体名单');
    expect(home).toContain(good.name);
    const page = await visit(`/site/cases/${caseId}`, '企业诚信宣传栏', 'case-published');
    expect(page).toContain('企业已书面同意公开本案例');
    expect(page).not.toContain('王建华');
    // The photos load lazily (loading="lazy"), after the page's load event: scrolled to, as a person
    // would, and read once each has come (or failed, which reads as width 0).
    const phone = pages.phone!;
    await phone.locator('.photos img').last().scrollIntoViewIfNeeded();
    await phone.waitForFunction(() => {
      const imgs = Array.from(document.querySelectorAll<HTMLImageElement>('.photos img'));
      return imgs.length > 0 && imgs.every((i) => i.complete);
    });
    const images = await phone.$$eval('.photos img', (imgs) => imgs.map((i) => (i as HTMLImageElement).naturalWidth));
    expect(images).toEqual([640, 640]);
    const entity = await visit(`/site/entities/${good.uscc}`, '已列入诚信主体名单', 'entity-redlist');
    expect(entity).toContain('A 级');
    expect(entity).toContain('王*华');
    await visit('/site/red-list', '诚信主体名单', 'red-list');
    await visit(`/site/search?q=${encodeURIComponent('黑河示范')}`, '查询结果', 'search');
  });

  it('a new serious penalty is ingested: the case and the red-list entry are withdrawn, and the pages say so', async () => {
    await deliverPenalty(h, good, 'JOURNEY-1', 'serious');
    await drainRelay(h);

    const casePage = await visit(`/site/cases/${caseId}`, '本案例已于', 'case-withdrawn');
    expect(casePage).toContain('新增失信或负面信用记录');
    expect(casePage).not.toContain('企业诚信宣传栏');
    const list = await visit('/site/red-list', '移出公告', 'red-list-withdrawn');
    expect(list).toContain('新增严重失信记录，自动移出');
    const entity = await visit(`/site/entities/${good.uscc}`, '公示信息', 'entity-withdrawn');
    expect(entity).not.toContain('已列入诚信主体名单');
    expect(entity).toContain('黑市监罚〔2026〕JOURNEY-1号');
    expect(entity).not.toMatch(/[B-E] 级/);
  });

  it("the verify page, opened from the report's QR URL, confirms the report; an altered file does not match", async () => {
    const reviewer = await h.signInAsStaff('reviewer');
    const created = await h.post<{ id: number; reportNo: string; verifyUrl: string; verificationCode: string }>(
      '/credit-reports',
      { entityId: good.entityId, purpose: '申请银行信用贷款' },
      reviewer.auth,
    );
    expectStatus(created, 201, 'createCreditReport');
    // The QR code carries the public origin; here the site is this test's server.
    const qr = new URL(created.body.verifyUrl);
    expect(qr.pathname).toBe('/site/verify');

    const body = await visit(`${qr.pathname}${qr.search}`, '报告真实有效', 'verify-qr');
    expect(body).toContain(created.body.reportNo);
    expect(body).toContain(good.name);
    expect(body).toContain('申请银行信用贷款');
    expect(body).not.toContain('王建华');

    const forged = await visit(
      `/site/verify?no=${encodeURIComponent(created.body.reportNo)}&code=AAAAA-AAAAA-AAAAA-AAAAA`,
      '未找到匹配的报告',
      'verify-forged',
    );
    expect(forged).toContain('报告编号或验证码不正确');

    const file = await fetch(`${h.baseUrl}/credit-reports/${created.body.id}/file`, {
      headers: { authorization: `Bearer ${reviewer.accessToken}` },
    });
    expect(file.status).toBe(200);
    const pdf = Buffer.from(await file.arrayBuffer());
    const p = pages.desktop!;
    await p.goto(`${origin}/site/verify`);
    await p.setInputFiles('#file', { name: 'report.pdf', mimeType: 'application/pdf', buffer: pdf });
    await p.click('button:has-text("上传核验")');
    await p.getByText('报告真实有效').waitFor();
    expect(await p.innerText('body')).toContain('上传的文件与信用中心出具的报告完全一致');
    await p.screenshot({ path: path.join(ARTIFACTS, 'verify-file-1280.png'), fullPage: true });

    const altered = Buffer.from(pdf);
    altered[Math.floor(altered.length / 2)] ^= 0x01;
    await p.goto(`${origin}/site/verify`);
    await p.setInputFiles('#file', { name: 'report.pdf', mimeType: 'application/pdf', buffer: altered });
    await p.click('button:has-text("上传核验")');
    await p.getByText('未找到匹配的报告').waitFor();
    expect(await p.innerText('body')).toContain('文件可能被修改过');
    await p.screenshot({ path: path.join(ARTIFACTS, 'verify-file-altered-1280.png'), fullPage: true });
  });
});
