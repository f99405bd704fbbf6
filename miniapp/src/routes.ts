/**
 * Every page path lives here: app.config.ts registers them and pages navigate with them, so a
 * moved page breaks the type check instead of a tap.
 */
export const MAIN_PAGES = {
  index: 'pages/index/index',
  login: 'pages/login/index',
} as const;

/** The credit subpackage keeps the breakdown out of the main package's size budget. */
export const CREDIT_PACKAGE = {
  root: 'packages/credit',
  pages: { breakdown: 'pages/breakdown/index' },
} as const;

export const ROUTES = {
  index: `/${MAIN_PAGES.index}`,
  login: `/${MAIN_PAGES.login}`,
  breakdown: `/${CREDIT_PACKAGE.root}/${CREDIT_PACKAGE.pages.breakdown}`,
} as const;

export function breakdownUrl(entityId: number): string {
  return `${ROUTES.breakdown}?entityId=${encodeURIComponent(String(entityId))}`;
}
