import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';

/** What a person must never read: internal codes, record numbers and record versions. */
export const INTERNAL_TEXT = /记录 #|（第 \d+ 版）|(?<![A-Za-z0-9])[BOS]0\d(?![0-9])/;

/** The legal representative a journey verifies as (the harness's seeded enterprise). */
export interface JourneyEnterprise {
  uscc: string;
  legalRep: { name: string; idNumber: string };
}

/**
 * The mini program's H5 build in a phone-sized Chromium page, for the browser journeys: the
 * visible element of a selector, its text, full-page screenshots and the sign-in every journey
 * starts with.
 */
export class H5Page {
  private constructor(
    readonly page: Page,
    private readonly artifacts: string,
  ) {}

  /** A new context at phone size (375 × 812 unless told), in Chinese and China time. */
  static async open(
    browser: Browser,
    artifacts: string,
    viewport: { width: number; height: number } = { width: 375, height: 812 },
  ): Promise<H5Page> {
    fs.mkdirSync(artifacts, { recursive: true });
    const context = await browser.newContext({
      viewport,
      deviceScaleFactor: 2,
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
    });
    return new H5Page(await context.newPage(), artifacts);
  }

  /** The visible element: the H5 router keeps earlier pages of the stack in the DOM, hidden. */
  visible(selector: string): Locator {
    return this.page.locator(`${selector}:visible`).first();
  }

  async text(selector: string): Promise<string> {
    return ((await this.visible(selector).textContent()) ?? '').trim();
  }

  /** The current page's text as a person reads it. */
  async pageText(): Promise<string> {
    return (await this.visible('.taro_page').evaluate((el) => (el as HTMLElement).innerText)) ?? '';
  }

  /**
   * A screenshot of the whole current page once the router's slide-in has finished. Taro's H5 pages
   * scroll inside their own container, so the window is stretched to the page's height for the
   * shot. Every screen shot is scanned: no internal code reaches a person.
   */
  async shot(name: string): Promise<void> {
    const page = this.page;
    // The page the router slides in has arrived (its left edge at 0): on a loaded machine the slide
    // starts a frame late, and the animation check below alone would pass before it began.
    await page.waitForFunction(() => {
      const pages = Array.from(document.querySelectorAll<HTMLElement>('.taro_page')).filter(
        (p) => getComputedStyle(p).display !== 'none' && p.offsetWidth > 0,
      );
      const current = pages[pages.length - 1];
      return !current || Math.abs(current.getBoundingClientRect().left) < 1;
    });
    await page.waitForFunction(() =>
      document
        .getAnimations()
        .every((a) => a.playState !== 'running' || a.effect?.getComputedTiming().iterations === Infinity),
    );
    const text = await this.pageText();
    if (INTERNAL_TEXT.test(text))
      throw new Error(`${name}: the page shows an internal code: ${text.match(INTERNAL_TEXT)![0]}`);
    const size = page.viewportSize()!;
    const height = await page.evaluate(() => {
      const pages = Array.from(document.querySelectorAll<HTMLElement>('.taro_page')).filter(
        (p) => getComputedStyle(p).display !== 'none' && p.offsetWidth > 0,
      );
      const current = pages[pages.length - 1];
      if (!current) return document.documentElement.scrollHeight;
      // A page revisited keeps its scroll position, and the document itself can scroll by the title
      // bar's height (Taro's layout); the shot shows the page from the top, under the title bar.
      current.scrollTop = 0;
      if (document.scrollingElement) document.scrollingElement.scrollTop = 0;
      return current.scrollHeight + current.getBoundingClientRect().top;
    });
    await page.setViewportSize({ width: size.width, height: Math.max(size.height, height) });
    await page.screenshot({ path: path.join(this.artifacts, `${name}.png`) });
    await page.setViewportSize(size);
  }

  /** Privacy consent, WeChat sign-in (the fake server) and verification as the legal representative, up to the grade card. */
  async signInAs(origin: string, enterprise: JourneyEnterprise): Promise<void> {
    await this.page.goto(`${origin}/`);
    await this.visible('[data-testid=consent]').click();
    await this.visible('[data-testid=login]').click();
    await this.visible('[data-testid=verify-form]').waitFor();
    await this.visible('[data-testid=input-name] input').fill(enterprise.legalRep.name);
    await this.visible('[data-testid=input-idNumber] input').fill(enterprise.legalRep.idNumber);
    await this.visible('[data-testid=input-uscc] input').fill(enterprise.uscc);
    await this.visible('[data-testid=submit]').click();
    await this.visible('[data-testid=grade-card]').waitFor({ timeout: 30_000 });
  }
}
