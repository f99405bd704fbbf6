import fs from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { findLeaks, type Leak } from './harness';

/** Debian's Chromium; playwright-core drives it (no browser download). */
export const CHROMIUM = '/usr/bin/chromium';

export const chromiumInstalled = (): boolean => fs.existsSync(CHROMIUM);

/** Headless Chromium with the flags this closed network needs (see STACK.md). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/**
 * Collects the page's uncaught errors, and every API response body that holds a known full ID
 * number or session_key: the browser must never receive one, whatever the page shows. `skip`
 * leaves out responses that are not JSON (evidence content).
 */
export function watchPage(
  page: Page,
  sensitive: Iterable<string>,
  skip: (url: string) => boolean = () => false,
): { pageErrors: string[]; browserLeaks: Leak[] } {
  const pageErrors: string[] = [];
  const browserLeaks: Leak[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  page.on('response', async (res) => {
    if (!res.url().includes('/api/') || skip(res.url())) return;
    const text = await res.text().catch(() => '');
    browserLeaks.push(...findLeaks(text, sensitive, `browser ${res.request().method()} ${res.url()}`));
  });
  return { pageErrors, browserLeaks };
}
