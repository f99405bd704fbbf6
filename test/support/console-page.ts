import type { Page } from 'playwright-core';

/**
 * Waits until the console has settled for a screenshot: nothing loading (antd's spinners) and every
 * finite animation or transition finished. Endless ones (a "processing" badge's ripple, a skeleton's
 * shimmer) run as long as the page is open and are not waited for. On a timeout the error names
 * what was still moving, and where.
 */
export async function settled(page: Page, name: string, timeout = 30_000): Promise<void> {
  await page
    .waitForFunction(
      () =>
        !document.querySelector('.ant-spin-spinning') &&
        document
          .getAnimations()
          .every((a) => a.playState !== 'running' || a.effect?.getComputedTiming().iterations === Infinity),
      undefined,
      { timeout },
    )
    .catch(async (e: unknown) => {
      const running = await page.evaluate(() =>
        document
          .getAnimations()
          .filter((a) => a.playState === 'running')
          .map(
            (a) =>
              `${(a as CSSAnimation).animationName ?? (a as CSSTransition).transitionProperty} in ${(((a.effect as KeyframeEffect).target as Element)?.closest('[data-testid], .ant-card, .ant-btn') ?? document.body).outerHTML.slice(0, 300)}`,
          ),
      );
      throw new Error(`still moving before ${name}: ${running.join('; ') || 'a spinner'}\n${String(e)}`);
    });
}
