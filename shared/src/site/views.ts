import type { PublicCase, PublicCases, PublicEntity, PublicSearch, RedList } from '../api/site';

/** A verified report as the verify page shows it: the cover and the summary, no person's data. */
export interface VerifiedReport {
  reportNo: string;
  generatedAt: string;
  validUntil: string;
  expired: boolean;
  enterpriseName: string;
  uscc: string;
  purpose: string;
  summary: {
    grade: string | null;
    score: number | null;
    evaluatedAt: string | null;
    /** Records shown per report section. */
    records: Record<string, number>;
  };
}

export type VerifyOutcome =
  | { kind: 'authentic'; report: VerifiedReport; by: 'code' | 'file' }
  /** No hint of which part was wrong. */
  | { kind: 'not_found'; by: 'code' | 'file' };

/**
 * What the cloud hands the site's server renderer (web/site/server.tsx) for each page. Every
 * string is data: the renderer escapes it (React), whatever it holds.
 */
export type SiteView =
  | { page: 'home'; redList: RedList; cases: PublicCases }
  | { page: 'search'; q: string; result: PublicSearch | null; error: string | null }
  | { page: 'entity'; entity: PublicEntity }
  | { page: 'red-list'; redList: RedList }
  | { page: 'cases'; cases: PublicCases }
  | { page: 'case'; typicalCase: PublicCase; objection: 'received' | null; error: string | null; statement: string }
  | {
      page: 'verify';
      reportNo: string;
      code: string;
      outcome: VerifyOutcome | null;
      error: string | null;
    }
  | { page: 'error'; status: number; title: string; message: string };

export interface SiteContext {
  /** The request's path and query, for og:url and the active menu. */
  path: string;
  /** The origin the page was requested at (og:url), e.g. https://credit.heihe.gov.cn. */
  origin: string;
  /** Built asset URLs (the client script and the stylesheet). */
  assets: { script: string | null; style: string | null };
}
