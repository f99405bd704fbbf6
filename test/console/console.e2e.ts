import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { type Browser, type Page } from 'playwright-core';
import type { EvaluationResponse } from '@heihe/shared';
import { createStaffAccount } from '../../cloud/src/auth/accounts';
import { SecretBox } from '../../cloud/src/common/secret-box';
import { bootstrap } from '../../cloud/src/bootstrap';
import { requireService } from '../../cloud/src/testing/services';
import { aDocumentPhoto } from '../journey/support/png';
import { aPdf } from '../rights/support/fixtures';
import { daysAgo, deliverPenalties, upload } from '../rights/support/api';
import { ensureConsoleBuild, settled } from '../support/console-page';
import { chromiumInstalled, launchChromium, watchPage } from '../support/browser';
import { expectStatus, Harness } from '../support/harness';

/**
 * The reviewer's journey through the staff console in Chromium: the console's build served by the
 * API's own server at /console/ (bootstrap's consoleDir), against a real database. An enterprise
 * objects through the API; the reviewer signs in with password and TOTP, finds the case at the top
 * of the queue, opens the photo and upholds the objection; the enterprise's evaluation changes.
 * Screenshots go to test/artifacts/console/.
 */

const REPO_ROOT = path.resolve(__dirname, '..', '..');
const ARTIFACTS = path.join(REPO_ROOT, 'test', 'artifacts', 'console');
const backend = process.env.TEST_DATABASE_URL ? 'postgres' : 'pglite';
const STATEMENT = '该处罚决定已被黑河市人民政府行政复议决定撤销，附复议决定书照片，请予撤销该记录。';
const REASON = '经核查，该处罚决定已被复议机关撤销，记录予以撤销并重新评分。';

jest.setTimeout(300_000);

const runs = requireService('chromium', chromiumInstalled(), 'the staff console journey in Chromium');
(runs ? describe : describe.skip)(`the reviewer's journey in the console, in Chromium on ${backend}`, () => {
  let h: Harness;
  let web: NestExpressApplication;
  let origin: string;
  let browser: Browser;
  let page: Page;
  let evidenceDir: string;
  let entityId: number;
  let upheldId: number;
  let contestedId: number;
  let before: EvaluationResponse;
  const reviewer = { username: 'wang.reviewer', password: 'Review-Pass-2026', displayName: '王审核', totpSecret: '' };
  let watched: ReturnType<typeof watchPage> = { pageErrors: [], browserLeaks: [] };
  let preview: { draftVersion: number; after: Record<string, number>; expected: string };

  beforeAll(async () => {
    const consoleDir = ensureConsoleBuild();
    evidenceDir = fs.mkdtempSync(path.join(os.tmpdir(), 'heihe-console-evidence-'));
    h = await Harness.start(backend, { env: { DEMO_MODE: 'true', EVIDENCE_DIR: evidenceDir } });
    web = await bootstrap(h.config, h.db, { logger: false, consoleDir });
    await web.listen(0, '127.0.0.1');
    origin = (await web.getUrl()).replace('[::1]', '127.0.0.1');

    const created = await createStaffAccount(h.db, new SecretBox(h.config.TOTP_ENCRYPTION_KEY), {
      ...reviewer,
      role: 'reviewer',
      scrypt: { log2N: 12, r: 8, p: 1 },
    });
    reviewer.totpSecret = created.totpSecret;

    // The enterprise objects through the API: two penalties, one objection each, with evidence.
    const enterprise = h.enterprises[0]!;
    entityId = enterprise.entityId;
    const ids = await deliverPenalties(h, enterprise.uscc, entityId, [
      { key: 'P1', occurredOn: daysAgo(40), severity: 'serious', summary: '黑市监罚〔2026〕88号' },
      { key: 'P2', occurredOn: daysAgo(60), severity: 'general', summary: '黑市监罚〔2026〕31号' },
    ]);
    const user = await h.signInAsEnterpriseUser({ enterprise: 0 });
    const evidence = async (filename: string, contentType: string, data: Buffer) => {
      const res = await upload(
        h,
        `/entities/${entityId}/evidence`,
        [{ name: 'file', filename, contentType, data }],
        user.auth,
      );
      expectStatus(res, 201, 'uploadEvidence');
      return String(res.body.id);
    };
    const object = async (recordId: number, evidenceIds: string[]) => {
      const res = await h.post<{ id: number }>(
        '/objections',
        { entityId, recordId, ground: 'wrong', statement: STATEMENT, evidenceIds },
        user.auth,
      );
      expectStatus(res, 201, 'createObjection');
      return res.body.id;
    };
    upheldId = await object(ids.P1!, [await evidence('复议决定书.png', 'image/png', aDocumentPhoto())]);
    contestedId = await object(ids.P2!, [await evidence('缴款凭证.pdf', 'application/pdf', aPdf())]);
    before = await evaluationNow();

    fs.mkdirSync(ARTIFACTS, { recursive: true });
    browser = await launchChromium();
    const context = await browser.newContext({
      viewport: { width: 1280, height: 800 },
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
    });
    page = await context.newPage();
    watched = watchPage(page, h.sensitive, (url) => url.includes('/content'));
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

  async function evaluationNow(): Promise<EvaluationResponse> {
    const staff = await h.signInAsStaff('reviewer');
    const res = await h.get<EvaluationResponse>(`/entities/${entityId}/evaluation`, staff.auth);
    expectStatus(res, 200, 'getEntityEvaluation');
    return res.body;
  }

  /** A screenshot once antd's motion has settled, at the current viewport (or `width`×`height`), or of the whole page. */
  async function shot(name: string, size?: { width: number; height: number }, fullPage = false) {
    const was = page.viewportSize()!;
    if (size) await page.setViewportSize(size);
    await settled(page, name);
    await page.waitForTimeout(300);
    await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage });
    if (size) await page.setViewportSize(was);
  }
  const testid = (id: string) => page.getByTestId(id);
  /** The decision dialog's confirm, once the dialog has finished opening: a click during antd's zoom-in can miss the button on a loaded machine (CI: the dialog stayed open). */
  async function confirmDecision() {
    await settled(page, 'the decision dialog');
    await testid('confirm-decision').click();
  }

  it('1. a deep link asks for sign-in first; the API refuses a wrong password and says so', async () => {
    await page.goto(`${origin}/console/review`);
    await testid('sign-in').waitFor();
    expect(new URL(page.url()).pathname).toBe('/console/login');
    expect(new URL(page.url()).searchParams.get('next')).toBe('/review');
    await shot('console-1-sign-in');

    await testid('username').fill(reviewer.username);
    await testid('password').fill('wrong-password');
    await testid('totp').fill('12345');
    await testid('sign-in-submit').click();
    // The shared schema catches the 5-digit code beside the field, before any request.
    await page.getByText('动态口令应为 6 位数字').waitFor();
    await testid('totp').fill(h.totpNow(reviewer.totpSecret));
    await testid('sign-in-submit').click();
    await testid('sign-in-error').waitFor();
    expect(await testid('sign-in-error').textContent()).toMatch(/用户名或密码|口令/);
    await shot('console-1-sign-in-error');
  });

  it('2. signs in with password and TOTP, lands on the queue, and finds the case at the top', async () => {
    await h.awayFromStepEdge();
    await testid('password').fill(reviewer.password);
    await testid('totp').fill(h.totpNow(reviewer.totpSecret));
    await testid('sign-in-submit').click();
    await testid('queue-row').first().waitFor();
    expect(new URL(page.url()).pathname).toBe('/console/review');
    expect(await testid('who').textContent()).toBe(reviewer.displayName);

    const rows = testid('queue-row');
    expect(await rows.count()).toBe(2);
    const top = rows.first();
    expect(await top.getByTestId('case-link').getAttribute('href')).toBe(`/console/review/objection/${upheldId}`);
    expect(await top.getByTestId('days-left').textContent()).toMatch(/^剩 \d+ 个工作日$/);
    await shot('console-2-queue');
    await shot('console-2-queue-1920', { width: 1920, height: 1080 });
    await shot('console-2-queue-1024', { width: 1024, height: 768 });

    // Menus by role: a reviewer sees the review pages, the typical cases and the dashboard only.
    expect(await page.locator('.ant-menu-item').allTextContents()).toEqual([
      '审核工作台',
      '督办（已超期）',
      '诚信典型案例',
      '跟踪评估',
    ]);
  });

  it('3. opens the case: the enterprise, its evaluation, the record, the statement and the photo with its SHA-256', async () => {
    await testid('queue-row').first().getByTestId('case-link').click();
    await testid('case').waitFor();
    expect(await testid('entity-name').textContent()).toBe(h.enterprises[0]!.name);
    expect(await testid('record').textContent()).toContain('黑市监罚〔2026〕88号');
    expect(await testid('statement').textContent()).toContain(STATEMENT);
    await testid('evidence-image').locator('img').waitFor();
    expect(await testid('sha256').textContent()).toMatch(/^[0-9a-f]{64}$/);
    await testid('grade').waitFor();
    expect(await testid('evaluation').textContent()).toContain(String(before.total));
    await shot('console-3-case');
    await shot('console-3-case-1920', { width: 1920, height: 1080 });

    await testid('evidence-image').locator('img').click();
    const preview = page.locator('.ant-image-preview');
    await preview.waitFor();
    await page.locator('.ant-image-preview-actions-action-rotateRight').click();
    await shot('console-3-photo-rotated');
    await page.keyboard.press('Escape');
    await preview.waitFor({ state: 'hidden' });
  });

  it('4. accepts, then upholds with the effect named first; the timeline and the score change follow', async () => {
    await testid('action-accept').click();
    await confirmDecision();
    await testid('action-uphold').waitFor();
    expect(await testid('case-status').textContent()).toBe('已受理，核查中');

    await testid('action-uphold').click();
    expect(await testid('decision-effect').textContent()).toContain('该记录撤销、不再计分');
    await confirmDecision();
    await page.getByText('请填写书面理由').waitFor();
    await testid('decision-reason').fill(REASON);
    await shot('console-4-uphold-dialog');
    await confirmDecision();

    await testid('outcome').waitFor();
    const after = await evaluationNow();
    expect(after.total).toBeGreaterThan(before.total);
    expect(await testid('case-status').textContent()).toBe('异议成立');
    expect(await testid('score-change').textContent()).toContain(String(after.total));
    expect(await testid('timeline').textContent()).toContain(REASON.slice(0, 10));
    await page.waitForFunction(
      (total) => document.querySelector('[data-testid=evaluation]')?.textContent?.includes(String(total)),
      after.total,
    );
    await shot('console-4-decided');
    await shot('console-4-decided-1920', { width: 1920, height: 1080 });
  });

  it('5. a case decided meanwhile by another reviewer: the second decision is refused, naming who decided', async () => {
    await page.goto(`${origin}/console/review/objection/${contestedId}`);
    await testid('action-accept').waitFor();
    await testid('evidence-pdf').waitFor();

    const other = await h.signInAsStaff('reviewer');
    expectStatus(
      await h.post(
        `/objections/${contestedId}/decision`,
        { action: 'reject', reason: '材料与记录无关，不予受理。' },
        other.auth,
      ),
      200,
      'reject',
    );

    await testid('action-accept').click();
    // This case's evidence is a PDF. Chromium's PDF viewer is drawn above the page and took the
    // click meant for the dialog's button in one run in three: the viewer pauses while a dialog is open.
    await testid('evidence-pdf-paused').waitFor();
    expect(await testid('evidence-pdf').count()).toBe(0);
    await confirmDecision();
    // Two requests (the refused decision, then the case as it is now) before the notice shows: on a
    // loaded machine that can take longer than a click's default wait. A failure shows the page.
    await testid('conflict')
      .waitFor({ timeout: 90_000 })
      .catch(async (e: unknown) => {
        await shot('console-5-failed');
        console.error(
          `the page when the conflict notice did not show:\n${(await page.locator('body').innerText()).slice(0, 2000)}`,
        );
        throw e;
      });
    expect(await testid('conflict').textContent()).toContain(other.username);
    // The notice is the page's own state, set as the case is fetched again; the case's status comes
    // through the query cache, whose observers hear of it a task later (TanStack's notify batch).
    await testid('case-status')
      .filter({ hasText: /^异议不成立$/ })
      .waitFor();
    expect(await testid('case-status').textContent()).toBe('异议不成立');
    await shot('console-5-conflict');
  });

  it('6. an expired session returns to sign-in, and then to the page the reviewer was on', async () => {
    const where = `/review/objection/${upheldId}`;
    await page.evaluate(() => {
      const key = 'heihe.console.session';
      const s = JSON.parse(sessionStorage.getItem(key)!);
      sessionStorage.setItem(key, JSON.stringify({ ...s, accessToken: 'expired', refreshToken: 'x'.repeat(32) }));
    });
    await page.goto(`${origin}/console${where}`);
    await testid('expired').waitFor();
    expect(new URL(page.url()).searchParams.get('next')).toBe(where);

    const second = await h.signInAsStaff('reviewer');
    await testid('username').fill(second.username);
    await testid('password').fill(second.password);
    await testid('totp').fill(h.totpNow(second.totpSecret, 1));
    await testid('sign-in-submit').click();
    await testid('case').waitFor();
    expect(new URL(page.url()).pathname).toBe(`/console${where}`);
  });

  it('7. an administrator edits a draft of the model in force (the total of 1000 checked beside the field), previews its impact and publishes it', async () => {
    // The cut-off of the enterprise's own grade moves just above its total, so that it drops a grade.
    const now = await evaluationNow();
    const cutoffs = { A: 850, B: 790, C: 730, D: 670 };
    const key = now.grade === 'E' ? 'D' : now.grade;
    const cutoff = now.grade === 'E' ? now.total : now.total + 1;
    const expected = now.grade === 'E' ? 'D' : 'ABCDE'['ABCDE'.indexOf(now.grade) + 1]!;
    expect(cutoffs[key]).not.toBe(cutoff);

    await testid('sign-out').click();
    await testid('sign-in').waitFor();
    const admin = await h.signInAsStaff('admin');
    await h.awayFromStepEdge();
    await testid('username').fill(admin.username);
    await testid('password').fill(admin.password);
    await testid('totp').fill(h.totpNow(admin.totpSecret, 1));
    await testid('sign-in-submit').click();
    await testid('nav-/models').click();
    await testid('model-tree').waitFor();
    expect(await testid('model-in-force').textContent()).toContain('现行评价模型 v1');
    expect(await testid('model-tree').textContent()).toContain('基本情况（B） 满分 60');
    await shot('console-7-models');
    await shot('console-7-models-1024', { width: 1024, height: 768 });

    await testid('new-draft').click();
    await testid('model-form').waitFor();
    const draftVersion = Number(new URL(page.url()).pathname.split('/').pop());
    expect(draftVersion).toBeGreaterThan(1);

    // A weight that breaks the total: named at the weights, and the preview is held back.
    await testid('f-groups.2.max').fill('100');
    await testid('issues-groups').waitFor();
    expect(await testid('issues-groups').textContent()).toContain('一级指标满分合计须为 1000，当前为 950');
    expect(await testid('run-preview').isDisabled()).toBe(true);
    await shot('console-7-draft-invalid');
    await shot('console-7-draft-invalid-1024', { width: 1024, height: 768 });
    await testid('f-groups.2.max').fill('150');
    await testid('issues-groups').waitFor({ state: 'detached' });

    await testid(`f-grades.${key}`).fill(String(cutoff));
    await testid('run-preview').click();
    await testid('migration-matrix').waitFor();
    await testid('impact-chart').locator('canvas').waitFor();
    const api = await h.post<{ changed: number; after: Record<string, number> }>(
      `/models/${draftVersion}/preview`,
      {},
      admin.auth,
    );
    expectStatus(api, 200, 'previewModelImpact');
    expect(api.body.changed).toBeGreaterThan(0);
    expect(await testid('impact-changed').textContent()).toContain(String(api.body.changed));
    expect(await testid(`cell-${now.grade}${expected}`).textContent()).toBe('1');
    expect(await testid('impact-changes').textContent()).toContain(h.enterprises[0]!.name);
    await shot('console-7-preview');
    await shot('console-7-preview-1024', { width: 1024, height: 768 });
    await testid('migration-matrix').scrollIntoViewIfNeeded();
    await shot('console-7-preview-matrix');

    await testid('publish').click();
    expect(await testid('publish-effect').textContent()).toContain(
      `将有 ${api.body.changed} 个市场主体的信用等级发生变化`,
    );
    await shot('console-7-publish-confirm');
    await settled(page, 'the publish confirmation');
    await testid('confirm-publish').click();
    await testid('published-notice').waitFor();
    expect(await testid('model-in-force').textContent()).toContain(`现行评价模型 v${draftVersion}`);
    await shot('console-7-published');
    preview = { draftVersion, after: api.body.after, expected };
  });

  it("8. the dashboard reflects it: the distribution is the preview's, and the enterprise has its new grade", async () => {
    // Publishing with today's date re-scores everyone at once; the cycle runs beside the request.
    const until = Date.now() + 120_000;
    let now = await evaluationNow();
    while (now.modelVersion !== preview.draftVersion && Date.now() < until) {
      await new Promise((r) => setTimeout(r, 500));
      now = await evaluationNow();
    }
    expect(now.modelVersion).toBe(preview.draftVersion);
    expect(now.grade).toBe(preview.expected);
    await testid('nav-/dashboard').click();
    await testid('grade-counts').waitFor();
    for (const g of ['A', 'B', 'C', 'D', 'E'])
      expect(await testid(`grade-count-${g}`).textContent()).toBe(String(preview.after[g]));
    await shot('console-8-dashboard');
    await shot('console-8-dashboard-1024', { width: 1024, height: 768 });
    // The tracking panels further down: incentive checks and 信易贷 (none in this journey, said so).
    await testid('loan-panel').scrollIntoViewIfNeeded();
    await testid('incentive-panel').getByText('查询次数').waitFor();
    await shot('console-8-dashboard-tracking');
    // The 跟踪评估 charts, each from its own operation: this journey's cycles, objections and decisions in them.
    // A second, manual cycle first, so the migration matrix compares two cycles.
    const admin = await h.signInAsStaff('admin');
    const run = await h.runCycle(admin.auth);
    expectStatus(run, 202, 'runScoringCycle');
    await page.reload();
    for (const id of ['grade-history-panel', 'applications-panel', 'objection-outcomes-panel'])
      await testid(id).locator('canvas').first().waitFor();
    expect(await testid('migration-caption').textContent()).toMatch(/→ 第 \d+ 批.*共 2 个主体，升级 0，降级 0/);
    expect(await testid('applications-panel').textContent()).toMatch(/累计 \d+ 件/);
    expect(await testid('objection-outcomes-panel').textContent()).toMatch(/成立 [1-9]\d* 件/);
    expect(await testid('on-time-rate').textContent()).toMatch(/\d+\.\d%/);
    await testid('cycle-runs-panel').getByText('模型发布').first().waitFor();
    await testid('cycle-runs-panel').getByText('手动运行').first().waitFor();
    await shot('console-8-dashboard-charts', undefined, true);
    await shot('console-8-dashboard-charts-1024', { width: 1024, height: 768 }, true);
  });
});
