/**
 * Every page path lives here: app.config.ts registers them and pages navigate with them, so a
 * moved page breaks the type check instead of a tap.
 *
 * The main package holds only sign-in and home. Everything that needs the shared runtime (zod
 * schemas, validators, the scoring engine) lives in a subpackage, so that weight is downloaded on
 * first use and never counts toward the main package's 1 MB budget.
 */
export const MAIN_PAGES = {
  index: 'pages/index/index',
  login: 'pages/login/index',
} as const;

/** Identity verification, the privacy terms, help, my data and my messages. */
export const ACCOUNT_PACKAGE = {
  root: 'packages/account',
  pages: {
    verify: 'pages/verify/index',
    privacy: 'pages/privacy/index',
    help: 'pages/help/index',
    myData: 'pages/my-data/index',
    messages: 'pages/messages/index',
  },
} as const;

/** Why this score: the breakdown and one record with its what-if estimate and actions. */
export const CREDIT_PACKAGE = {
  root: 'packages/credit',
  pages: { breakdown: 'pages/breakdown/index', record: 'pages/record/index', nextGrade: 'pages/next-grade/index' },
} as const;

/** The three rights: objection, repair, good information, and my applications. */
export const RIGHTS_PACKAGE = {
  root: 'packages/rights',
  pages: {
    objection: 'pages/objection/index',
    repair: 'pages/repair/index',
    goodInfo: 'pages/good-info/index',
    applications: 'pages/applications/index',
    application: 'pages/application/index',
  },
} as const;

/** 信易贷: products, applying with the bank's data authorisation, my applications and authorisations. */
export const LOANS_PACKAGE = {
  root: 'packages/loans',
  pages: {
    products: 'pages/products/index',
    apply: 'pages/apply/index',
    applications: 'pages/applications/index',
    authorizations: 'pages/authorizations/index',
  },
} as const;

/** 信用报告: issue the public credit report (PDF), open and share it, and the reports issued before. */
export const REPORT_PACKAGE = {
  root: 'packages/report',
  pages: { reports: 'pages/reports/index' },
} as const;

export const SUBPACKAGES = [ACCOUNT_PACKAGE, CREDIT_PACKAGE, RIGHTS_PACKAGE, LOANS_PACKAGE, REPORT_PACKAGE] as const;

const sub = <P extends { root: string }>(p: P, page: string) => `/${p.root}/${page}`;

export const ROUTES = {
  index: `/${MAIN_PAGES.index}`,
  login: `/${MAIN_PAGES.login}`,
  verify: sub(ACCOUNT_PACKAGE, ACCOUNT_PACKAGE.pages.verify),
  privacy: sub(ACCOUNT_PACKAGE, ACCOUNT_PACKAGE.pages.privacy),
  help: sub(ACCOUNT_PACKAGE, ACCOUNT_PACKAGE.pages.help),
  myData: sub(ACCOUNT_PACKAGE, ACCOUNT_PACKAGE.pages.myData),
  messages: sub(ACCOUNT_PACKAGE, ACCOUNT_PACKAGE.pages.messages),
  breakdown: sub(CREDIT_PACKAGE, CREDIT_PACKAGE.pages.breakdown),
  record: sub(CREDIT_PACKAGE, CREDIT_PACKAGE.pages.record),
  nextGrade: sub(CREDIT_PACKAGE, CREDIT_PACKAGE.pages.nextGrade),
  objection: sub(RIGHTS_PACKAGE, RIGHTS_PACKAGE.pages.objection),
  repair: sub(RIGHTS_PACKAGE, RIGHTS_PACKAGE.pages.repair),
  goodInfo: sub(RIGHTS_PACKAGE, RIGHTS_PACKAGE.pages.goodInfo),
  applications: sub(RIGHTS_PACKAGE, RIGHTS_PACKAGE.pages.applications),
  application: sub(RIGHTS_PACKAGE, RIGHTS_PACKAGE.pages.application),
  loanProducts: sub(LOANS_PACKAGE, LOANS_PACKAGE.pages.products),
  loanApply: sub(LOANS_PACKAGE, LOANS_PACKAGE.pages.apply),
  loanApplications: sub(LOANS_PACKAGE, LOANS_PACKAGE.pages.applications),
  loanAuthorizations: sub(LOANS_PACKAGE, LOANS_PACKAGE.pages.authorizations),
  reports: sub(REPORT_PACKAGE, REPORT_PACKAGE.pages.reports),
} as const;

export type ApplicationKindRoute = 'objection' | 'good_info' | 'repair';

function withQuery(path: string, query: Record<string, string | number>): string {
  const pairs = Object.entries(query).map(([k, v]) => `${k}=${encodeURIComponent(String(v))}`);
  return `${path}?${pairs.join('&')}`;
}

export const breakdownUrl = (entityId: number) => withQuery(ROUTES.breakdown, { entityId });
export const nextGradeUrl = (entityId: number) => withQuery(ROUTES.nextGrade, { entityId });
export const recordUrl = (entityId: number, recordId: number) => withQuery(ROUTES.record, { entityId, recordId });
export const objectionUrl = (entityId: number, recordId: number) => withQuery(ROUTES.objection, { entityId, recordId });
export const repairUrl = (entityId: number, recordId: number) => withQuery(ROUTES.repair, { entityId, recordId });
export const goodInfoUrl = (entityId: number) => withQuery(ROUTES.goodInfo, { entityId });
export const applicationsUrl = (entityId: number) => withQuery(ROUTES.applications, { entityId });
export const applicationUrl = (kind: ApplicationKindRoute, id: number) => withQuery(ROUTES.application, { kind, id });
export const reportsUrl = (entityId: number) => withQuery(ROUTES.reports, { entityId });
export const loanProductsUrl = (entityId: number) => withQuery(ROUTES.loanProducts, { entityId });
export const loanApplyUrl = (entityId: number, productId: number) =>
  withQuery(ROUTES.loanApply, { entityId, productId });
export const loanApplicationsUrl = (entityId: number, id?: number) =>
  withQuery(ROUTES.loanApplications, id === undefined ? { entityId } : { entityId, id });
export const loanAuthorizationsUrl = (entityId: number) => withQuery(ROUTES.loanAuthorizations, { entityId });

/** A positive integer route parameter, or null. */
export function idParam(value: string | undefined): number | null {
  const n = Number(value);
  return Number.isInteger(n) && n > 0 ? n : null;
}
