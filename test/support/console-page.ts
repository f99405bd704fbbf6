import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';

const REPO_ROOT = path.resolve(__dirname, '..', '..');
const CONSOLE_DIR = path.join(REPO_ROOT, 'web', 'dist', 'console');

function newest(p: string): number {
  if (!fs.existsSync(p)) return 0;
  const s = fs.statSync(p);
  return s.isDirectory() ? Math.max(0, ...fs.readdirSync(p).map((f) => newest(path.join(p, f)))) : s.mtimeMs;
}

/** The console build the journeys drive, rebuilt when older than its sources (or shared's). */
export function ensureConsoleBuild(): string {
  const index = path.join(CONSOLE_DIR, 'index.html');
  const sources = Math.max(...['web/console', 'web/src', 'shared/src'].map((p) => newest(path.join(REPO_ROOT, p))));
  if (fs.existsSync(index) && fs.statSync(index).mtimeMs > sources) return CONSOLE_DIR;
  const r = spawnSync('npm', ['run', 'build', '-w', 'web'], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    env: { ...process.env, NODE_ENV: 'production', NODE_OPTIONS: '' },
  });
  if (r.status !== 0)
    throw new Error(`console build failed (${r.status}):\n${(r.stdout ?? '').slice(-3000)}\n${r.stderr}`);
  return CONSOLE_DIR;
}

/**
 * Waits until the console has settled for a screenshot or a click: nothing loading (antd's spinners),
 * no antd motion about to start, and every finite animation or transition finished. A dialog's zoom
 * or a list's slide-in has two steps of two frames each (`ant-…-appear-prepare`, `-appear-start`)
 * before its CSS animation exists: the element then stands where it will end, getAnimations() is
 * empty, and a click aimed at it lands after it has jumped to the animation's start (CI: a dialog
 * stayed open). Endless animations (a "processing" badge's ripple, a skeleton's shimmer) run as long
 * as the page is open and are not waited for. On a timeout the error names what was still moving,
 * and where.
 */
export async function settled(page: Page, name: string, timeout = 30_000): Promise<void> {
  await page
    .waitForFunction(
      () =>
        !document.querySelector('.ant-spin-spinning') &&
        !Array.from(document.querySelectorAll('[class*="-appear-"], [class*="-enter-"]')).some((el) =>
          Array.from(el.classList).some((c) => /^ant-[\w-]+-(appear|enter)-(prepare|start)$/.test(c)),
        ) &&
        document
          .getAnimations()
          .every((a) => a.playState !== 'running' || a.effect?.getComputedTiming().iterations === Infinity),
      undefined,
      { timeout },
    )
    .catch(async (e: unknown) => {
      const running = await page.evaluate(() => [
        ...Array.from(document.querySelectorAll('[class*="-appear-"], [class*="-enter-"]'))
          .filter((el) => Array.from(el.classList).some((c) => /^ant-[\w-]+-(appear|enter)-(prepare|start)$/.test(c)))
          .map((el) => `motion ${el.className} at ${el.outerHTML.slice(0, 300)}`),
        ...document
          .getAnimations()
          .filter((a) => a.playState === 'running')
          .map(
            (a) =>
              `${(a as CSSAnimation).animationName ?? (a as CSSTransition).transitionProperty} in ${(((a.effect as KeyframeEffect).target as Element)?.closest('[data-testid], .ant-card, .ant-btn') ?? document.body).outerHTML.slice(0, 300)}`,
          ),
      ]);
      throw new Error(`still moving before ${name}: ${running.join('; ') || 'a spinner'}\n${String(e)}`);
    });
}

/**
 * Picks an option of an antd Select: opens it, waits for the list to finish opening (a click
 * during its slide-in can miss: the list then stays open over the page), clicks the option and
 * waits until the list has closed.
 */
export async function chooseOption(page: Page, select: Locator, option: string): Promise<void> {
  await select.click();
  const item = page.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: option }).first();
  await item.waitFor();
  await settled(page, `the options of ${option}`);
  await item.click();
  await page.waitForFunction(
    () => !document.querySelector('.ant-select-dropdown:not(.ant-select-dropdown-hidden)'),
    undefined,
    { timeout: 10_000 },
  );
}

/**
 * Clicks a button of a dialog, popconfirm or drawer once it has finished opening: antd's zoom starts
 * a few frames after the dialog is in the page, and a click aimed before it can miss (the dialog then
 * stays open over the page).
 */
export async function clickSettled(page: Page, target: Locator, what: string): Promise<void> {
  await target.waitFor();
  await settled(page, what);
  await target.click();
}
