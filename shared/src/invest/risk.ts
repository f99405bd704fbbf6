import { addMonths, isoDay, isoDayOfMonth, isoMonth, isoYear } from '../scoring/dates';

/**
 * The risk scan's rules (issue 16, item 5): which credit records of a related entity are findings,
 * under which category, and which stay out and why. Pure: the day is passed in.
 *
 * A record is a finding on `day` when all hold:
 * - its kind and category name a risk below (other records are not risks: grades, honours, …);
 * - its status is `active` or `under_objection` (counted, and marked as under objection). Repaired
 *   and revoked records are excluded, as the repair rules require; expired ones too;
 * - it is in force: validFrom <= day and (validTo is null or day < validTo);
 * - it is inside its publicity window (公示期), counted from occurredOn: a penalty by its severity
 *   (minor 3, general 12, serious 36 months: the longest publicity periods of 《失信行为纪录信用修复
 *   管理办法》, the same periods after which the scoring engine stops deducting), a 严重失信 listing
 *   3 years (国办发〔2025〕22号); other listings while in force.
 */
export const RISK_CATEGORIES = [
  'serious_dishonesty',
  'dishonest_executed',
  'abnormal_operation',
  'penalty_serious',
  'penalty_general',
  'penalty_minor',
  'tax_arrears',
  'loan_default',
  'key_person_listing',
] as const;
export type RiskCategory = (typeof RISK_CATEGORIES)[number];

export const RISK_LABELS: Record<RiskCategory, string> = {
  serious_dishonesty: '严重失信主体名单',
  dishonest_executed: '失信被执行人',
  abnormal_operation: '经营异常名录',
  penalty_serious: '行政处罚（严重）',
  penalty_general: '行政处罚（一般）',
  penalty_minor: '行政处罚（轻微）',
  tax_arrears: '欠税',
  loan_default: '融资违约',
  key_person_listing: '主要人员失信',
};

/** Months from occurredOn that a record of the category stays public; null: while in force. */
export const RISK_WINDOW_MONTHS: Record<RiskCategory, number | null> = {
  serious_dishonesty: 36,
  dishonest_executed: null,
  abnormal_operation: null,
  penalty_serious: 36,
  penalty_general: 12,
  penalty_minor: 3,
  tax_arrears: null,
  loan_default: null,
  key_person_listing: null,
};

export interface RiskFact {
  kind: string;
  category: string | null;
  severity: string | null;
  status: string;
  occurredOn: string;
  validFrom: string;
  validTo: string | null;
}

/** The risk a record is, if any, whatever its status and dates. */
export function riskCategoryOf(f: Pick<RiskFact, 'kind' | 'category' | 'severity'>): RiskCategory | null {
  switch (f.kind) {
    case 'dishonesty_listing':
      return 'serious_dishonesty';
    case 'enforcement':
      return f.category === 'dishonest_executed' ? 'dishonest_executed' : null;
    case 'abnormal_listing':
      return 'abnormal_operation';
    case 'penalty':
      return f.severity === 'serious'
        ? 'penalty_serious'
        : f.severity === 'minor'
          ? 'penalty_minor'
          : 'penalty_general';
    case 'arrears':
      return f.category === 'tax' ? 'tax_arrears' : null;
    case 'loan_default':
      return 'loan_default';
    case 'key_person_listing':
      return 'key_person_listing';
    default:
      return null;
  }
}

/** The record kinds a scan reads (the rest can never be a finding). */
export const RISK_KINDS = [
  'dishonesty_listing',
  'enforcement',
  'abnormal_listing',
  'penalty',
  'arrears',
  'loan_default',
  'key_person_listing',
] as const;

export type RiskVerdict =
  | { counts: true; category: RiskCategory; underObjection: boolean; windowEnds: string | null }
  | {
      counts: false;
      category: RiskCategory | null;
      excluded: 'not_a_risk' | 'repaired' | 'revoked' | 'expired' | 'not_in_force';
    };

function plusMonths(day: string, months: number): number {
  return addMonths(isoYear(day), isoMonth(day), isoDayOfMonth(day), months);
}

function isoOf(dayNo: number): string {
  const d = new Date(dayNo * 86_400_000);
  return d.toISOString().slice(0, 10);
}

/** Whether a record is a finding on `day` ('YYYY-MM-DD'), and if not, why not. */
export function riskVerdict(f: RiskFact, day: string): RiskVerdict {
  const category = riskCategoryOf(f);
  if (!category) return { counts: false, category, excluded: 'not_a_risk' };
  if (f.status === 'repaired' || f.status === 'revoked' || f.status === 'expired')
    return { counts: false, category, excluded: f.status };
  const today = isoDay(day);
  const from = isoDay(f.validFrom);
  const to = f.validTo === null ? null : isoDay(f.validTo);
  if (!(from <= today) || (to !== null && !(today < to))) return { counts: false, category, excluded: 'not_in_force' };
  const months = RISK_WINDOW_MONTHS[category];
  let windowEnds: string | null = null;
  if (months !== null) {
    if (Number.isNaN(isoDay(f.occurredOn))) return { counts: false, category, excluded: 'not_in_force' };
    const end = plusMonths(f.occurredOn, months);
    if (!(today < end)) return { counts: false, category, excluded: 'expired' };
    windowEnds = isoOf(end);
  }
  return { counts: true, category, underObjection: f.status === 'under_objection', windowEnds };
}

/** Per-category counts of findings, in catalogue order, omitting zeros. */
export function riskSummary(categories: Iterable<{ category: RiskCategory; underObjection: boolean }>): {
  total: number;
  underObjection: number;
  byCategory: Array<{ category: RiskCategory; label: string; count: number }>;
} {
  const counts = new Map<RiskCategory, number>();
  let total = 0;
  let underObjection = 0;
  for (const c of categories) {
    counts.set(c.category, (counts.get(c.category) ?? 0) + 1);
    total++;
    if (c.underObjection) underObjection++;
  }
  return {
    total,
    underObjection,
    byCategory: RISK_CATEGORIES.filter((c) => counts.has(c)).map((c) => ({
      category: c,
      label: RISK_LABELS[c],
      count: counts.get(c)!,
    })),
  };
}
