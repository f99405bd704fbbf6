import fs from 'node:fs';
import path from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { type Browser, type Page } from 'playwright-core';
import { makeIdNumber } from '@heihe/shared';
import { createStaffAccount } from '../../cloud/src/auth/accounts';
import { chinaDate } from '../../cloud/src/common/china-time';
import { SecretBox } from '../../cloud/src/common/secret-box';
import { bootstrap } from '../../cloud/src/bootstrap';
import { IngestRun } from '../../cloud/src/ingest';
import { OutboxRelay } from '../../cloud/src/outbox';
import { investDemoRows, investDemoUscc } from '../../cloud/src/seed/generator';
import { requireService } from '../../cloud/src/testing/services';
import { chooseOption, clickSettled, ensureConsoleBuild, settled } from '../support/console-page';
import { chromiumInstalled, launchChromium, watchPage } from '../support/browser';
import { Harness } from '../support/harness';

/**
 * The investment officer's journey through the console in Chromium, on the demo's ownership
 * structure: sign in with password and TOTP, find the demo target by its former name, see 赵德胜
 * flagged with the path, look at the people, run the risk scan, store a check and find it in the
 * list, and screen the soybean chain; then watch the target, save the screening as a list, see a
 * new serious listing of a related company raise alerts and show in the list's diff, and check a
 * batch of codes for entering a park. Screenshots at 1280 and 1920 px (the lists, watch and park
 * steps at 1280 and 1024 px) go to test/artifacts/invest/.
 */

const REPO_ROOT = path.resolve(__dirname, '..', '..');
const ARTIFACTS = path.join(REPO_ROOT, 'test', 'artifacts', 'invest');
const backend = process.env.TEST_DATABASE_URL ? 'postgres' : 'pglite';
const PURPOSE = '大豆深加工项目入园前信用核查';

jest.setTimeout(300_000);

const runs = requireService('chromium', chromiumInstalled(), 'the investment officer journey in Chromium');
(runs ? describe : describe.skip)(`the investment officer's journey in the console, in Chromium on ${backend}`, () => {
  let h: Harness;
  let web: NestExpressApplication;
  let origin: string;
  let browser: Browser;
  let page: Page;
  const officer = { username: 'li.invest', password: 'Invest-Pass-2026', displayName: '李招商', totpSecret: '' };
  let watched: ReturnType<typeof watchPage> = { pageErrors: [], browserLeaks: [] };

  beforeAll(async () => {
    const consoleDir = ensureConsoleBuild();
    h = await Harness.start(backend, { env: { DEMO_MODE: 'true' } });
    web = await bootstrap(h.config, h.db, { logger: false, consoleDir });
    await web.listen(0, '127.0.0.1');
    origin = (await web.getUrl()).replace('[::1]', '127.0.0.1');
    const created = await createStaffAccount(h.db, new SecretBox(h.config.TOTP_ENCRYPTION_KEY), {
      ...officer,
      role: 'investment_officer',
      scrypt: { log2N: 12, r: 8, p: 1 },
    });
    officer.totpSecret = created.totpSecret;

    const run = await IngestRun.start(h.db, h.vault, 'invest-journey', { chunkSize: 500 });
    let line = 0;
    for (const raw of investDemoRows(chinaDate(new Date()))) await run.push({ line: ++line, raw });
    const report = await run.finish();
    if (report.rejected) throw new Error(JSON.stringify(report.errors));
    // The demo persons' full ID numbers must never reach the browser.
    for (const n of ['23110219720315201', '23112419800722302', '23118119681109403', '23110219850506504'])
      h.sensitive.add(makeIdNumber(n));

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
  });

  afterEach(() => {
    expect(watched.pageErrors).toEqual([]);
    expect(watched.browserLeaks).toEqual([]);
  });

  /** A screenshot once antd's motion has settled, at 1280 px and again at 1920 px, full page. */
  async function shot(name: string) {
    await settled(page, name);
    await page.waitForTimeout(400);
    await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
    await page.setViewportSize({ width: 1920, height: 1080 });
    await page.waitForTimeout(500);
    await page.screenshot({ path: path.join(ARTIFACTS, `${name}-1920.png`), fullPage: true });
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.waitForTimeout(200);
  }
  const testid = (id: string) => page.getByTestId(id);

  /** A screenshot at 1280 px and at 1024 px (the console's narrowest), full page, with no sideways overflow. */
  async function shotNarrow(name: string) {
    // A toast from the step before would cover the page's header.
    await page.locator('.ant-message-notice').first().waitFor({ state: 'detached', timeout: 10_000 });
    await settled(page, name);
    await page.waitForTimeout(400);
    await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
    await page.setViewportSize({ width: 1024, height: 768 });
    await page.waitForTimeout(500);
    await page.screenshot({ path: path.join(ARTIFACTS, `${name}-1024.png`), fullPage: true });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1024);
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.waitForTimeout(200);
  }

  it('1. signs in with password and TOTP and lands on the entity search, with the officer’s menu', async () => {
    await page.goto(`${origin}/console/`);
    await testid('sign-in').waitFor();
    await h.awayFromStepEdge();
    await testid('username').fill(officer.username);
    await testid('password').fill(officer.password);
    await testid('totp').fill(h.totpNow(officer.totpSecret));
    await testid('sign-in-submit').click();
    await testid('invest-search').waitFor();

    expect(new URL(page.url()).pathname).toBe('/console/invest');
    expect(await page.locator('.ant-menu-item').allTextContents()).toEqual([
      '企业查询与核查',
      '优质企业筛选',
      '筛选清单',
      '核查报告',
      '入园核查',
      '关注预警',
      '跟踪评估',
    ]);
  });

  it('2. finds the demo target by its former name, with the reason it matched', async () => {
    await testid('invest-purpose').fill(PURPOSE);
    await testid('invest-purpose').blur();
    await testid('invest-search').locator('input').fill('北疆豆业');
    await testid('invest-search').locator('input').press('Enter');
    await testid('search-hit').first().waitFor();

    expect(await testid('search-hit').first().textContent()).toBe('黑河北疆大豆科技有限公司');
    expect(await testid('match-reason').first().textContent()).toContain('曾用名“黑河北疆豆业有限公司”');
    await shot('invest-1-search');
  });

  it('3. opens the target: 赵德胜 flagged as 疑似实际控制人 with the path as evidence, on the graph too', async () => {
    await testid('search-hit').first().click();
    await testid('ownership-graph').locator('canvas').waitFor();
    expect(await testid('target-name').textContent()).toBe('黑河北疆大豆科技有限公司');

    const flags = testid('ownership-flag');
    expect(await flags.count()).toBe(2);
    const controller = await flags.first().textContent();
    expect(controller).toContain('疑似实际控制人');
    expect(controller).toContain('赵德胜');
    expect(await flags.first().getByTestId('evidence-path').first().textContent()).toMatch(
      /^赵德胜 —80\.00%→ 黑河兴边控股有限公司 —\d+\.\d+%→ .+ —\d+\.\d+%→ 黑河北疆大豆科技有限公司$/,
    );
    expect(await testid('holders').textContent()).toMatch(/赵德胜.*\*/);
    await shot('invest-2-target-ownership');
  });

  it('4. sees the key people and their other companies, graded, with risk summaries', async () => {
    await page.getByRole('tab', { name: '主要人员' }).click();
    await testid('person').first().waitFor();

    expect(await testid('person').count()).toBe(3);
    const zhao = await testid('person').first().textContent();
    expect(zhao).toContain('赵德胜');
    expect(zhao).toContain('法定代表人');
    expect(zhao).toContain('黑河鑫源商贸有限公司');
    expect(zhao).toContain('失信被执行人 1');
    await shot('invest-3-people');
  });

  it('5. runs the risk scan over the related set: findings in their window and the red flags', async () => {
    await page.getByRole('tab', { name: '关联风险' }).click();
    await testid('run-scan').click();
    await testid('findings').locator('.ant-table-row').first().waitFor();

    expect(Number(await testid('findings-total').textContent())).toBeGreaterThanOrEqual(4);
    expect(await testid('findings').textContent()).toContain('失信被执行人');
    const red = await testid('red-flags').textContent();
    expect(red).toContain('股东新近设立');
    expect(red).toContain('融资后无登记变更');
    await shot('invest-4-risk-scan');
  });

  it('6. stores a check with its purpose and lands on the numbered report', async () => {
    await testid('run-check').click();
    await testid('check-purpose').fill(PURPOSE);
    await clickSettled(page, testid('confirm-check'), 'the check dialog');
    await testid('check-number').waitFor();

    expect(await testid('check-number').textContent()).toMatch(/^核查报告 ZSHC-\d{8}-\d{6}$/);
    const flags = await testid('check-flags').textContent();
    expect(flags).toContain('疑似实际控制人');
    expect(flags).toContain('股东新近设立');
    await shot('invest-5-check-report');
  });

  it('7. finds the check in the list', async () => {
    await testid('nav-/invest/checks').click();
    await testid('check-link').first().waitFor();

    expect(await testid('checks').textContent()).toContain(PURPOSE);
    await shot('invest-6-checks');
  });

  it('8. screens the soybean chain behind the credit gate', async () => {
    await testid('nav-/invest/screening').click();
    await chooseOption(page, testid('filter-chain'), '大豆全产业链');
    await testid('run-screen').click();
    await testid('screen-results').locator('.ant-table-row').first().waitFor();

    expect(await testid('screen-results').textContent()).toContain('黑河北疆大豆科技有限公司');
    await shot('invest-7-screening');
  });

  it('9. saves the soybean screening as a list and runs it once', async () => {
    await testid('save-screening').click();
    await testid('screening-name').fill('大豆链 B 级以上');
    await testid('screening-purpose').fill('年度招商推介名单');
    await clickSettled(page, testid('confirm-save-screening'), 'the save-list dialog');
    await testid('screening').first().waitFor();

    expect(new URL(page.url()).pathname).toBe('/console/invest/lists');
    await testid('run-screening').click();
    await testid('screening-run').waitFor();
    expect(await testid('screening-run').textContent()).toContain('首次运行');
    expect(await testid('screening-run').textContent()).toContain('黑河瑷珲农业投资有限公司');
  });

  it('10. watches the target with its related set', async () => {
    const [t] = await h.db.query<{ id: number }>(`SELECT id FROM entity WHERE uscc = $1`, [investDemoUscc(0)]);
    await page.goto(`${origin}/console/invest/entities/${t!.id}`);
    await testid('watch').click();
    await testid('watch-purpose').fill('签约前持续关注');
    await clickSettled(page, testid('confirm-watch'), 'the watch dialog');
    await page.getByText('已关注 黑河北疆大豆科技有限公司').waitFor();
  });

  it('11. a serious listing of a related company: the list’s re-run shows it left, with the diff', async () => {
    // A data source delivers a 严重失信 listing of 瑷珲农业 (the target's holder); the relay handles it.
    const run = await IngestRun.start(h.db, h.vault, 'invest-journey', { chunkSize: 10 });
    await run.push({
      line: 1,
      raw: {
        type: 'record',
        sourceSystem: 'invest-journey',
        sourceId: 'AIHUI-DIS-1',
        uscc: investDemoUscc(1),
        kind: 'dishonesty_listing',
        occurredOn: chinaDate(new Date()),
        summary: '列入严重失信主体名单',
      },
    });
    const report = await run.finish();
    if (report.rejected) throw new Error(JSON.stringify(report.errors));
    await web.get(OutboxRelay).drain();

    await testid('nav-/invest/lists').click();
    await testid('run-screening').click();
    await testid('screening-diff').waitFor();
    const diff = await testid('screening-diff').textContent();
    expect(diff).toContain('黑河瑷珲农业投资有限公司');
    expect(diff).toMatch(/移出|等级变化/);
    await shotNarrow('invest-8-lists');
  });

  it('12. sees the alerts on the watch page, marks them read', async () => {
    await testid('nav-/invest/watch').click();
    await testid('alerts').locator('.ant-table-row').first().waitFor();

    const alerts = await testid('alerts').textContent();
    expect(alerts).toContain('黑河瑷珲农业投资有限公司（关联 1 层）');
    expect(alerts).toContain('新增负面记录：严重失信主体名单');
    // The watch list is its own request, answered before or after the alerts: its table is on the
    // page (empty, loading) until it comes.
    await testid('watchlist').locator('.ant-table-row').first().waitFor();
    expect(await testid('watchlist').textContent()).toContain('黑河北疆大豆科技有限公司');
    await shotNarrow('invest-9-watch');
    await testid('read-all').click();
    await page.getByText('没有未读预警').waitFor();
  });

  it('13. checks a batch of codes for entering the park: a row each, the failures called out', async () => {
    await testid('nav-/invest/park-check').click();
    const wrong = investDemoUscc(4).slice(0, 17) + (investDemoUscc(4).endsWith('0') ? '1' : '0');
    await testid('park-text').fill(
      [investDemoUscc(3), investDemoUscc(5), investDemoUscc(1), wrong, '黑河某某公司'].join('\n'),
    );
    await testid('park-name').fill('黑河边境经济合作区');
    await testid('park-purpose').fill('2026 年第四批入园审核');
    await testid('run-park').click();
    await testid('park-result').waitFor();

    const rows = testid('park-rows').locator('.ant-table-row');
    expect(await rows.count()).toBe(5);
    expect(await rows.nth(0).textContent()).toContain('通过');
    expect(await rows.nth(2).textContent()).toContain('公示期内有严重失信主体名单记录');
    expect(await rows.nth(3).textContent()).toContain('校验位不符');
    expect(await rows.nth(4).textContent()).toContain('代码格式不符');
    await shotNarrow('invest-10-park-check');
  });

  it('14. opens a target with a wide upstream: the tree to a readable depth, the rest counted, closed companies linked', async () => {
    // 黑河广持股份有限公司 is held by 12 companies (1/12 each), each by 12 persons: 157 nodes, 144 holders.
    const wide = (k: number) => investDemoUscc(300 + k);
    const reg = (k: number, name: string) => ({
      type: 'registration',
      sourceSystem: 'invest-journey',
      sourceId: `${wide(k)}-REG`,
      uscc: wide(k),
      name,
      entityType: '有限责任公司',
      establishedOn: '2016-05-01',
      registeredCapital: 1e7,
      paidInCapital: 1e7,
      industryCode: 'C1331',
      regionCode: '231102',
      legalRepName: `广持法人${k}`,
      legalRepIdNumber: makeIdNumber(`23110219800101${String(k).padStart(3, '0')}`),
    });
    const holds = (k: number, key: string, share: number, holder: Record<string, unknown>) => ({
      type: 'shareholder',
      sourceSystem: 'invest-journey',
      sourceId: `${wide(k)}-SH-${key}`,
      uscc: wide(k),
      ratio: share,
      amount: share * 1e7,
      ...holder,
    });
    const rows: Record<string, unknown>[] = [reg(0, '黑河广持股份有限公司')];
    for (let c = 1; c <= 12; c++) {
      rows.push(reg(c, `黑河广持第${c}投资有限公司`));
      rows.push(holds(0, `C${c}`, 1 / 12, { holderName: `黑河广持第${c}投资有限公司`, holderUscc: wide(c) }));
      for (let q = 0; q < 12; q++)
        rows.push(
          holds(c, `P${q}`, 1 / 12, {
            holderName: `广持股东${c}-${q}`,
            holderIdNumber: makeIdNumber(`231102${1960 + c}0101${String(q).padStart(3, '0')}`),
          }),
        );
    }
    const run = await IngestRun.start(h.db, h.vault, 'invest-journey', { chunkSize: 500 });
    let line = 0;
    for (const raw of rows) await run.push({ line: ++line, raw });
    const report = await run.finish();
    if (report.rejected) throw new Error(JSON.stringify(report.errors));

    await testid('nav-/invest').click();
    await testid('invest-purpose').fill(PURPOSE);
    await testid('invest-purpose').blur();
    await testid('invest-search').locator('input').fill('黑河广持股份');
    await testid('invest-search').locator('input').press('Enter');
    await testid('search-hit').first().click();
    await testid('ownership-graph').locator('canvas').waitFor();

    expect(await testid('holders-omitted').textContent()).toContain('另有 124 名持有人未列出');
    expect(await testid('collapsed').textContent()).toContain('黑河广持第1投资有限公司');
    expect(await page.getByText('共 157 个节点').count()).toBe(1);
    await shot('invest-11-wide-ownership');
  });
});
