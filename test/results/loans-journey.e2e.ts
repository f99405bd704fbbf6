import path from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { type Browser, type Page } from 'playwright-core';
import { bootstrap } from '../../cloud/src/bootstrap';
import { seedDemoLoanProducts } from '../../cloud/src/loans';
import { DEMO_BANK_KEYS, seedDemoBanks } from '../../cloud/src/seed/demo-identities';
import { requireService } from '../../cloud/src/testing/services';
import { ensureH5Build, REPO_ROOT } from '../journey/support/h5';
import { H5Page } from '../journey/support/h5-page';
import { chromiumInstalled, launchChromium, watchPage } from '../support/browser';
import { expectStatus, Harness, type SeededEnterprise } from '../support/harness';
import { gradeOf, makeGradeA } from './support/loans';

/**
 * 信易贷 end to end: the grade-A demo enterprise in the mini program's H5 build (375 px) sees the
 * products it qualifies for with 推介, applies to the demo bank and authorises it in the same step;
 * the bank, over the HTTP API with its demo key, reads the enterprise's credit and approves; the
 * enterprise sees 已授信; it revokes, and the bank's next read is refused (404).
 */

const ARTIFACTS = path.join(REPO_ROOT, 'test', 'artifacts', 'results');
const backend = process.env.TEST_DATABASE_URL ? 'postgres' : 'pglite';

jest.setTimeout(300_000);

const runs = requireService('chromium', chromiumInstalled(), 'the 信易贷 journey in Chromium');
(runs ? describe : describe.skip)(`the 信易贷 journey in Chromium on ${backend}`, () => {
  let h: Harness;
  let web: NestExpressApplication;
  let origin: string;
  let browser: Browser;
  let app: H5Page;
  let page: Page;
  let enterprise: SeededEnterprise;
  let productId: number;
  let applicationId: number;
  const bank = { apiKey: DEMO_BANK_KEYS[0]!.apiKey };
  let watched: ReturnType<typeof watchPage> = { pageErrors: [], browserLeaks: [] };

  beforeAll(async () => {
    const h5 = ensureH5Build();
    h = await Harness.start(backend, { env: { DEMO_MODE: 'true' } });
    web = await bootstrap(h.config, h.db, { logger: false, staticDir: h5 });
    await web.listen(0, '127.0.0.1');
    origin = (await web.getUrl()).replace('[::1]', '127.0.0.1');

    enterprise = h.enterprises[0];
    if ((await gradeOf(h, enterprise.entityId)) !== 'A') await makeGradeA(h, enterprise);
    // The demo banks and their products, as `npm start` seeds them.
    const bankIds = await seedDemoBanks(h.db);
    await seedDemoLoanProducts(h.db, [bankIds[0]!, bankIds[1]!]);
    const product = await h.db.prisma.loanProduct.findFirstOrThrow({
      where: { bankId: bankIds[0]!, name: '诚信贷' },
    });
    productId = product.id;

    browser = await launchChromium();
    app = await H5Page.open(browser, ARTIFACTS);
    page = app.page;
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

  const visible = (selector: string) => app.visible(selector);
  const text = (selector: string) => app.text(selector);
  const shot = (name: string) => app.shot(name);
  const bankRead = () => h.get<{ evaluation: { grade: string } | null }>(`/loans/credit/${enterprise.uscc}`, bank);

  it('1. the grade-A enterprise sees the products it qualifies for with 推介, applies and authorises the bank', async () => {
    await app.signInAs(origin, enterprise);
    await visible('[data-testid=loans]').waitFor();
    await shot('loans-0-home');

    await visible('[data-testid=loans]').click();
    await visible(`[data-testid=product-${productId}]`).waitFor();
    expect(await text('[data-testid=loan-grade]')).toContain('A 级');
    expect(await text('[data-testid=recommended-badge]')).toBe('推介');
    // The demo products for B and C grades show too; the one for other regions and industries does not.
    expect(await page.locator('[data-testid^=product-]:visible').count()).toBeGreaterThanOrEqual(3);
    await shot('loans-1-products');

    await visible(`[data-testid=apply-${productId}]`).click();
    await visible('[data-testid=authorization-statement]').waitFor();
    const statement = await text('[data-testid=authorization-statement]');
    expect(statement).toContain(enterprise.name);
    expect(statement).toContain('黑河示范银行（演示）');
    expect(statement).toContain('信用评价结果');
    expect(statement).toMatch(/至 \d{4}年\d{1,2}月\d{1,2}日/);
    await visible('[data-testid=input-amount] input').fill('200');
    await visible('[data-testid=input-purpose] textarea').fill('采购秋粮收购资金');
    // Without the agreement ticked, nothing is sent.
    await visible('[data-testid=submit]').click();
    await visible('[data-testid=error-agree]').waitFor();
    expect(await h.db.prisma.loanApplication.count()).toBe(0);
    await visible('[data-testid=agree]').click();
    await shot('loans-2-apply');
    await visible('[data-testid=submit]').click();

    await visible('[data-testid=loan-timeline]').waitFor();
    const application = await h.db.prisma.loanApplication.findFirstOrThrow({
      where: { entityId: enterprise.entityId },
    });
    applicationId = application.id;
    expect(await text(`[data-testid=loan-application-${applicationId}] [data-testid=loan-status]`)).toBe('已提交');
    expect(await text(`[data-testid=loan-application-${applicationId}]`)).toMatch(/银行应于 .* 前给出授信结果/);
    await shot('loans-3-submitted');
  });

  it('2. the bank reads the authorised credit over the API and approves', async () => {
    const read = await bankRead();
    expectStatus(read, 200, 'getAuthorizedEnterpriseCredit');
    expect(read.body.evaluation?.grade).toBe('A');

    const listed = await h.get<{ items: Array<{ id: number }> }>('/loans/applications?status=submitted', bank);
    expect(listed.body.items.map((a) => a.id)).toContain(applicationId);
    expectStatus(
      await h.post(`/loans/applications/${applicationId}/status`, { status: 'accepted' }, bank),
      200,
      'updateLoanApplication',
    );
    expectStatus(
      await h.post(
        `/loans/applications/${applicationId}/status`,
        { status: 'approved', approvedAmount: 180, approvedRate: 3.65, note: '纯信用，随借随还' },
        bank,
      ),
      200,
      'updateLoanApplication',
    );
  });

  it('3. the enterprise sees 已授信 with the amount and rate, and each step', async () => {
    await page.reload();
    await visible(`[data-testid=loan-application-${applicationId}]`).waitFor();
    expect(await text(`[data-testid=loan-application-${applicationId}] [data-testid=loan-status]`)).toBe('已授信');
    expect(await text(`[data-testid=loan-application-${applicationId}]`)).toContain('授信 180 万元，年化利率 3.65%');
    expect(await page.locator('[data-testid=loan-timeline]:visible .timeline__item').count()).toBe(3);
    await shot('loans-4-approved');
  });

  it("4. the enterprise sees the bank's read and revokes; the bank's next read is refused", async () => {
    await page.goto(`${origin}/#/packages/loans/pages/authorizations/index?entityId=${enterprise.entityId}`);
    const card = (sel: string) => `[data-testid^=authorization-]:has([data-testid=revoke]) ${sel}`;
    await visible('[data-testid=revoke]').waitFor();
    expect(await text(card('[data-testid=authorization-reads]'))).toContain('银行已查询 1 次');
    await shot('loans-5-authorizations');

    await visible('[data-testid=revoke]').click();
    // Taro's H5 modal: its own elements, named taro-model__* in Taro 4.2.1.
    await visible('.taro-model__confirm').waitFor();
    expect(await text('.taro-modal__text')).toContain('黑河示范银行（演示）将立即无法查询');
    await shot('loans-6-revoke-confirm');
    await visible('.taro-model__confirm').click();
    await page.locator('[data-testid=revoke]:visible').waitFor({ state: 'detached' });
    await visible('[data-testid=authorization-state]').waitFor();
    expect(await page.locator('[data-testid=revoke]:visible').count()).toBe(0);
    expect(await text('[data-testid=authorization-state]')).toBe('已撤销');
    await page.locator('.taro__toast').waitFor({ state: 'hidden' });
    await shot('loans-7-revoked');

    const after = await bankRead();
    expect(after.status).toBe(404);
  });
});
