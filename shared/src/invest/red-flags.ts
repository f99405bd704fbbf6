import { isoDay } from '../scoring/dates';

/**
 * Red flags of an investment target (issue 16, item 6). Each flag names the threshold it crossed
 * and carries its evidence. Thresholds are configuration (cloud: INVEST_FLAG_* settings); these
 * are the defaults. Pure: the day is passed in.
 */
export interface RedFlagThresholds {
  /** 实缴资本远低于注册资本: paid-in / registered below this ratio. */
  paidInRatioMin: number;
  /** 新设股东: an entity holder (any level) established fewer than this many days ago. */
  youngHolderDays: number;
  /** 关联方低等级: at least this many related entities graded C or lower … */
  lowGradeRelatedMin: number;
  /** … or at least this share of the graded related entities (with at least two of them). */
  lowGradeRelatedShare: number;
  /** 融资无登记变更: an equity round older than this many days with no registered-capital change since. */
  financingGraceDays: number;
}

export const DEFAULT_RED_FLAG_THRESHOLDS: RedFlagThresholds = {
  paidInRatioMin: 0.2,
  youngHolderDays: 730,
  lowGradeRelatedMin: 3,
  lowGradeRelatedShare: 0.3,
  financingGraceDays: 90,
};

export const RED_FLAG_CODES = ['paid_in_low', 'young_holder', 'low_grade_related', 'financing_unregistered'] as const;
export type RedFlagCode = (typeof RED_FLAG_CODES)[number];

export const RED_FLAG_LABELS: Record<RedFlagCode, string> = {
  paid_in_low: '实缴资本远低于注册资本',
  young_holder: '股东新近设立',
  low_grade_related: '关联方低等级较多',
  financing_unregistered: '融资后无登记变更',
};

export interface RedFlag {
  code: RedFlagCode;
  label: string;
  /** In words, with the figures. */
  reason: string;
  /** Which setting was crossed, and its value. */
  threshold: { name: string; value: number };
  observed: number;
  /** Lines of evidence: the holder and its path, the related entities, the financing rounds. */
  evidence: string[];
}

export interface RedFlagInput {
  day: string;
  target: { name: string; registeredCapital: number; paidInCapital: number };
  /** Entity holders above the target, each with the route of names down to the target. */
  holders: Array<{ name: string; establishedOn: string; path: string[] }>;
  /** The related set without the target. */
  related: Array<{ name: string; grade: string | null }>;
  /** The target's financing rounds. */
  financings: Array<{ round: string; amount: number; occurredOn: string; investors: string }>;
  /** Days on which the target's registered capital changed (registration versions). */
  capitalChanges: string[];
}

const LOW_GRADES = new Set(['C', 'D', 'E']);
const pct = (x: number) => `${(Math.round(x * 1000) / 10).toFixed(1)}%`;
const wan = (x: number) => `${(Math.round(x / 100) / 100).toLocaleString('zh-CN')} 万元`;

/** Debt, not equity: a credit line or a loan changes no registration. */
export const isDebtRound = (round: string) => /授信|贷|债/.test(round);

export function redFlags(input: RedFlagInput, t: RedFlagThresholds = DEFAULT_RED_FLAG_THRESHOLDS): RedFlag[] {
  const out: RedFlag[] = [];
  const today = isoDay(input.day);

  const { registeredCapital: reg, paidInCapital: paid } = input.target;
  if (reg > 0 && paid / reg < t.paidInRatioMin) {
    const ratio = paid / reg;
    out.push({
      code: 'paid_in_low',
      label: RED_FLAG_LABELS.paid_in_low,
      reason: `实缴资本 ${wan(paid)}，为注册资本 ${wan(reg)} 的 ${pct(ratio)}，低于阈值 ${pct(t.paidInRatioMin)}`,
      threshold: { name: 'paidInRatioMin', value: t.paidInRatioMin },
      observed: ratio,
      evidence: [`${input.target.name}：注册资本 ${wan(reg)}，实缴资本 ${wan(paid)}`],
    });
  }

  const young = input.holders
    .map((h) => ({ ...h, days: today - isoDay(h.establishedOn) }))
    .filter((h) => h.days >= 0 && h.days < t.youngHolderDays)
    .sort((a, b) => a.days - b.days);
  if (young.length)
    out.push({
      code: 'young_holder',
      label: RED_FLAG_LABELS.young_holder,
      reason: `${young.length} 个股东成立不足 ${t.youngHolderDays} 天，最近的“${young[0]!.name}”成立于 ${young[0]!.establishedOn}（${young[0]!.days} 天）`,
      threshold: { name: 'youngHolderDays', value: t.youngHolderDays },
      observed: young[0]!.days,
      evidence: young.map((h) => `${h.name}（成立于 ${h.establishedOn}）：${h.path.join(' → ')}`),
    });

  const graded = input.related.filter((r) => r.grade !== null);
  const low = graded.filter((r) => LOW_GRADES.has(r.grade!));
  const share = graded.length ? low.length / graded.length : 0;
  const byCount = low.length >= t.lowGradeRelatedMin;
  const byShare = low.length >= 2 && share >= t.lowGradeRelatedShare;
  if (byCount || byShare)
    out.push({
      code: 'low_grade_related',
      label: RED_FLAG_LABELS.low_grade_related,
      reason: byCount
        ? `关联主体中 ${low.length} 家等级为 C 及以下，达到阈值 ${t.lowGradeRelatedMin} 家`
        : `关联主体中 ${low.length} 家等级为 C 及以下，占已评价关联主体的 ${pct(share)}，达到阈值 ${pct(t.lowGradeRelatedShare)}`,
      threshold: byCount
        ? { name: 'lowGradeRelatedMin', value: t.lowGradeRelatedMin }
        : { name: 'lowGradeRelatedShare', value: t.lowGradeRelatedShare },
      observed: byCount ? low.length : share,
      evidence: low.map((r) => `${r.name}：${r.grade} 级`),
    });

  const changes = input.capitalChanges.map(isoDay);
  const unregistered = input.financings.filter((f) => {
    if (isDebtRound(f.round)) return false;
    const on = isoDay(f.occurredOn);
    return today - on >= t.financingGraceDays && !changes.some((c) => c >= on);
  });
  if (unregistered.length)
    out.push({
      code: 'financing_unregistered',
      label: RED_FLAG_LABELS.financing_unregistered,
      reason: `${unregistered.length} 轮股权融资已超过 ${t.financingGraceDays} 天，其后无注册资本变更登记`,
      threshold: { name: 'financingGraceDays', value: t.financingGraceDays },
      observed: unregistered.length,
      evidence: unregistered.map(
        (f) =>
          `${f.occurredOn} ${f.round} ${wan(f.amount)}${f.investors ? `（${f.investors}）` : ''}：其后无注册资本变更`,
      ),
    });

  return out;
}
