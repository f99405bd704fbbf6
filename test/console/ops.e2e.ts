import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { type Browser, type Page } from 'playwright-core';
import { sealAll } from '../../cloud/src/audit';
import { bootstrap } from '../../cloud/src/bootstrap';
import { requireService } from '../../cloud/src/testing/services';
import { daysAgo, deliverPenalties, upload } from '../rights/support/api';
import { aJpeg } from '../rights/support/fixtures';
import { chooseOption, clickSettled, ensureConsoleBuild, settled } from '../support/console-page';
import { chromiumInstalled, launchChromium, watchPage } from '../support/browser';
import { expectStatus, Harness, type StaffSession } from '../support/harness';

/**
 * 运维管理 in Chromium, as an administrator: the holiday schedule previewed and loaded, an API
 * client registered (its key shown once), a staff account created and locked, and the audit trail
 * searched with the chain verified. Screenshots at 1280 and 1024 px go to test/artifacts/console/.
 */

const REPO_ROOT = path.resolve(__dirname, '..', '..');
const ARTIFACTS = path.join(REPO_ROOT, 'test', 'artifacts', 'console');
const backend = process.env.TEST_DATABASE_URL ? 'postgres' : 'pglite';

jest.setTimeout(300_000);

const runs = requireService('chromium', chromiumInstalled(), 'the operations pages in Chromium');
(runs ? describe : describe.skip)(`operations in the console, in Chromium on ${backend}`, () => {
  let h: Harness;
  let web: NestExpressApplication;
  let origin: string;
  let browser: Browser;
  let page: Page;
  let admin: StaffSession;
  let evidenceDir: string;
  let watched: ReturnType<typeof watchPage> = { pageErrors: [], browserLeaks: [] };

  beforeAll(async () => {
    const consoleDir = ensureConsoleBuild();
    evidenceDir = fs.mkdtempSync(path.join(os.tmpdir(), 'heihe-ops-evidence-'));
    h = await Harness.start(backend, {
      env: { DEMO_MODE: 'true', OUTBOX_RELAY_ENABLED: 'false', EVIDENCE_DIR: evidenceDir },
    });
    web = await bootstrap(h.config, h.db, { logger: false, consoleDir });
    await web.listen(0, '127.0.0.1');
    origin = (await web.getUrl()).replace('[::1]', '127.0.0.1');
    admin = await h.signInAsStaff('admin');

    // Two open objections whose count reaches 2027, which has no schedule yet: filed through the
    // API today, then dated to 24 and 29 December (as if filed then), so their deadlines are provisional.
    const enterprise = h.enterprises[0]!;
    const ids = await deliverPenalties(h, enterprise.uscc, enterprise.entityId, [
      { key: 'P1', occurredOn: daysAgo(40), severity: 'general', summary: '黑市监罚〔2026〕101号' },
      { key: 'P2', occurredOn: daysAgo(50), severity: 'general', summary: '黑市监罚〔2026〕102号' },
    ]);
    const user = await h.signInAsEnterpriseUser({ enterprise: 0 });
    for (const [key, from, due] of [
      ['P1', '2026-12-24', '2027-01-05'],
      ['P2', '2026-12-29', '2027-01-08'],
    ] as const) {
      const ev = await upload(
        h,
        `/entities/${enterprise.entityId}/evidence`,
        [{ name: 'file', filename: '复议决定书.jpg', data: aJpeg() }],
        user.auth,
      );
      expectStatus(ev, 201, 'uploadEvidence');
      const res = await h.post<{ id: number }>(
        '/objections',
        {
          entityId: enterprise.entityId,
          recordId: ids[key],
          ground: 'wrong',
          statement: '处罚决定已撤销，请核查。',
          evidenceIds: [String(ev.body.id)],
        },
        user.auth,
      );
      expectStatus(res, 201, 'createObjection');
      await h.db.query(`UPDATE objection SET due_from = $2, due_on = $3, due_provisional = true WHERE id = $1`, [
        res.body.id,
        from,
        due,
      ]);
    }

    fs.mkdirSync(ARTIFACTS, { recursive: true });
    browser = await launchChromium();
    const context = await browser.newContext({
      viewport: { width: 1280, height: 800 },
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
    });
    page = await context.newPage();
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

  async function shot(name: string) {
    for (const width of [1280, 1024]) {
      await page.setViewportSize({ width, height: width === 1280 ? 800 : 768 });
      await settled(page, name);
      await page.waitForTimeout(300);
      await page.screenshot({ path: path.join(ARTIFACTS, `${name}-${width}.png`), fullPage: true });
    }
    await page.setViewportSize({ width: 1280, height: 800 });
  }
  const testid = (id: string) => page.getByTestId(id);
  const choose = (select: string, option: string) => chooseOption(page, testid(select), option);

  it('1. signs in as an administrator, whose menu holds the operations pages', async () => {
    await page.goto(`${origin}/console/ops/calendar`);
    await testid('sign-in').waitFor();
    await h.awayFromStepEdge();
    await testid('username').fill(admin.username);
    await testid('password').fill(admin.password);
    await testid('totp').fill(h.totpNow(admin.totpSecret, 1));
    await testid('sign-in-submit').click();
    await testid('calendar-problem').waitFor();
    expect(new URL(page.url()).pathname).toBe('/console/ops/calendar');
    const menu = await page.locator('.ant-menu-item').allTextContents();
    expect(menu).toEqual(expect.arrayContaining(['节假日安排', 'API 客户端', '工作人员账号', '审计日志']));
  });

  it('2. previews the 2027 schedule (the deadlines it moves, old → new), then loads it', async () => {
    expect(await testid('calendar-problem').textContent()).toContain('2027 年的法定节假日安排尚未加载');
    expect(await testid('schedule-year').inputValue()).toBe('2027');
    // A hypothetical notice that rests Monday 4 January: the provisional 01-05 becomes 01-06.
    await testid('schedule-holidays').fill('2027-01-01~2027-01-04\n2027-02-06~2027-02-12');
    await testid('schedule-makeup').fill('2027-02-20');
    await testid('schedule-preview').click();
    await testid('schedule-impact').waitFor();
    expect(await testid('schedule-impact').textContent()).toContain('2 件未办结申请的期限为暂估');
    expect(await testid('moved').allTextContents()).toEqual(['2027-01-05 → 2027-01-06', '2027-01-08 → 2027-01-11']);
    await shot('ops-1-calendar-preview');

    await testid('schedule-load').click();
    await page.getByText('将改变 2 件未办结申请的办理期限').waitFor();
    await clickSettled(page, testid('schedule-confirm'), 'the load confirmation');
    await testid('schedule-loaded').waitFor();
    expect(await testid('schedule-loaded').textContent()).toContain('重新计算 2 件申请的期限，其中 2 件变化');
    await shot('ops-2-calendar-loaded');
  });

  it('3. registers an API client, checked with the shared schema, and shows its key once', async () => {
    await page.locator('.ant-menu-item').filter({ hasText: 'API 客户端' }).click();
    await testid('new-client').click();
    await clickSettled(page, testid('create-client'), 'the new client dialog');
    await page.getByText('请至少选择一项权限').waitFor();
    await testid('client-name').fill('黑河市市场监督管理局');
    await choose('client-kind', '行业主管部门');
    await page.getByLabel('评价结果订阅与使用反馈').check();
    await page.getByLabel('查询主体评价').check();
    await testid('create-client').click();
    await page.getByText('请填写使用评价结果的用途').waitFor();
    await shot('ops-3-client-form');
    await testid('client-purpose').fill('双随机抽查按信用等级确定抽查比例');
    await testid('client-basis').fill('《黑河市公共信用综合评价办法》第十二条');
    await testid('create-client').click();
    const key = (await testid('client-key').textContent()) ?? '';
    expect(key).toMatch(/^hhk_/);
    expectStatus(
      await h.get(`/entities/${h.enterprises[0].entityId}/evaluation`, { apiKey: key }),
      200,
      'the shown key',
    );
    await shot('ops-4-client-key');
    await page.getByRole('button', { name: /我已妥善保存/ }).click();
    await testid('api-clients').getByText('黑河市市场监督管理局').waitFor();
    await shot('ops-5-clients');
  });

  it('4. creates a staff account (password and TOTP shown once), then locks it', async () => {
    await page.locator('.ant-menu-item').filter({ hasText: '工作人员账号' }).click();
    await testid('new-staff').click();
    await testid('staff-username').fill('li.reviewer');
    await testid('staff-name').fill('李审核');
    await choose('staff-role', '审核人员');
    await testid('create-staff').click();
    await testid('staff-credentials').waitFor();
    const secret = (await testid('staff-totp-secret').textContent()) ?? '';
    const password = (await testid('staff-password').textContent()) ?? '';
    expectStatus(
      await h.post('/auth/staff/login', { username: 'li.reviewer', password, totp: h.totpNow(secret) }),
      200,
      'sign-in with what the page showed',
    );
    await shot('ops-6-staff-created');
    await page.getByRole('button', { name: /我已交给本人/ }).click();

    await testid('lock-li.reviewer').click();
    await clickSettled(page, testid('confirm-lock'), 'the lock confirmation');
    await testid('unlock-li.reviewer').waitFor();
    await shot('ops-7-staff');
  });

  it('5. searches the audit trail by actor and action, and shows the chain verified', async () => {
    // The API's sealer does not run under NODE_ENV=test: seal as it would have by now.
    await sealAll(h.db, { timeoutMs: 5000 });
    await page.locator('.ant-menu-item').filter({ hasText: '审计日志' }).click();
    await testid('chain-status').waitFor();
    // Sealed, or (when other suites' transactions on the server hold the horizon back) not yet: never broken.
    expect(await testid('chain-status').textContent()).toMatch(/^(审计链完整：自创世记录起共校验 \d+ 条|审计日志为空)/);
    await testid('audit-actor').fill(admin.username);
    await testid('audit-action').fill('staff.');
    const answered = page.waitForResponse(
      (r) => r.url().includes('/api/audit-log?') && r.url().includes('action=staff.'),
    );
    await testid('audit-search').click();
    await answered;
    await testid('audit-entries').getByText('staff.lock').waitFor();
    const actions = await testid('audit-entries').locator('tbody code').allTextContents();
    expect(actions).toEqual(['staff.lock', 'staff.create']);
    await shot('ops-8-audit');
    const [searched] = await h.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM audit_log WHERE action = 'audit.search' AND actor_id = $1`,
      [`admin:${admin.username}`],
    );
    expect(searched!.n).toBeGreaterThanOrEqual(2);
  });
});
