import crypto from 'node:crypto';
import path from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { type Browser, type Page } from 'playwright-core';
import type { CreditReportVerification } from '@heihe/shared';
import { bootstrap } from '../../cloud/src/bootstrap';
import { requireService } from '../../cloud/src/testing/services';
import { ensureH5Build, REPO_ROOT } from '../journey/support/h5';
import { H5Page } from '../journey/support/h5-page';
import { chromiumInstalled, launchChromium, watchPage } from '../support/browser';
import { expectStatus, Harness, type SeededEnterprise } from '../support/harness';

/**
 * The enterprise issues its public credit report in the H5 app (the mini program's H5 build served
 * beside the API, as `npm start` does), opens the PDF, and the report's number and code verify.
 * Screenshots at phone width go to test/artifacts/site/.
 */

const ARTIFACTS = path.join(REPO_ROOT, 'test', 'artifacts', 'site');
const backend = process.env.TEST_DATABASE_URL ? 'postgres' : 'pglite';

jest.setTimeout(300_000);

const runs = requireService('chromium', chromiumInstalled(), 'the credit report journey in Chromium');
(runs ? describe : describe.skip)(`the credit report journey in Chromium on ${backend}`, () => {
  let h: Harness;
  let web: NestExpressApplication;
  let origin: string;
  let browser: Browser;
  let app: H5Page;
  let page: Page;
  let enterprise: SeededEnterprise;
  let watched: ReturnType<typeof watchPage> = { pageErrors: [], browserLeaks: [] };

  beforeAll(async () => {
    const h5 = ensureH5Build();
    h = await Harness.start(backend, { env: { DEMO_MODE: 'true' } });
    web = await bootstrap(h.config, h.db, { logger: false, staticDir: h5 });
    await web.listen(0, '127.0.0.1');
    origin = (await web.getUrl()).replace('[::1]', '127.0.0.1');
    enterprise = h.enterprises[0];
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

  it('1. the legal representative signs in and opens the report page from the score breakdown', async () => {
    await app.signInAs(origin, enterprise);

    await visible('[data-testid=view-breakdown]').click();
    await visible('[data-testid=open-reports]').click();

    await visible('[data-testid=generate-report]').waitFor();
    // The form renders at once; the list of earlier reports arrives after it (加载中… until then).
    await visible('.reports-page').getByText('还没有出具过信用报告').waitFor();
    expect(await text('.reports-page')).not.toContain('加载中');
    await shot('report-1-empty');
  });

  it('2. issues a report for a tender, sees its number and verification code, and the list holds it', async () => {
    await visible('[data-testid=purpose-tender]').click();
    await visible('[data-testid=purpose-detail] input').fill('黑河市政务服务中心采购项目');
    await visible('[data-testid=generate-report]').click();

    await visible('[data-testid=report-created]').waitFor({ timeout: 60_000 });
    const code = await text('[data-testid=report-code]');
    expect(code).toMatch(/^([0-9A-HJKMNP-TV-Z]{5}-){3}[0-9A-HJKMNP-TV-Z]{5}$/);
    const item = visible('[data-testid^=report-]:not([data-testid=report-created]):not([data-testid=report-code])');
    await item.waitFor();
    expect(await item.textContent()).toContain('招标投标（黑河市政务服务中心采购项目）');
    await shot('report-2-created');
  });

  it('3. opens the PDF, which verifies by its number and code and as a file', async () => {
    const popup = page.waitForEvent('popup');
    await visible('[data-testid=open-created]').click();
    const tab = await popup;
    expect(tab.url()).toMatch(/^blob:/);
    const pdf = Buffer.from(
      await tab.evaluate(async (url) => Array.from(new Uint8Array(await (await fetch(url)).arrayBuffer())), tab.url()),
    );
    await tab.close();
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');

    const created = (await text('[data-testid=report-created]')).match(/HHXY-\d{8}-[0-9A-Z]{8}/)![0];
    const byCode = await h.post<CreditReportVerification>('/credit-reports/verification', {
      reportNo: created,
      code: await text('[data-testid=report-code]'),
    });
    expectStatus(byCode, 200, 'verifyCreditReport');
    expect(byCode.body).toMatchObject({
      authentic: true,
      enterpriseName: enterprise.name,
      purpose: '招标投标（黑河市政务服务中心采购项目）',
    });
    const row = await h.db.prisma.creditReport.findUnique({ where: { reportNo: created } });
    expect(row!.sha256).toBe(crypto.createHash('sha256').update(pdf).digest('hex'));
  });
});
