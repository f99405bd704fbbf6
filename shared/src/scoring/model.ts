import { z } from 'zod';
import { AppError, type ErrorDetail } from '../errors';
import { RECORD_KINDS, SEVERITIES } from '../records';

/** The plan fixes the total. Group maxima must sum to it in every model version. */
export const MODEL_TOTAL = 1000;

const recordKind = z.enum(RECORD_KINDS);
const wholePoints = z.int().nonnegative();
const pointsByKey = z.record(z.string().min(1), wholePoints);
const code = (pattern: RegExp) => z.string().regex(pattern);

/**
 * One tier of a tiered rule: it applies when the feature is `>= atLeast` (or `> above`) and no
 * later tier applies. A value below the first tier scores 0.
 */
const tierSchema = z.union([
  z.strictObject({ atLeast: z.number(), points: wholePoints }),
  z.strictObject({ above: z.number(), points: wholePoints }),
]);

/**
 * `amount`: the amount of the latest counting fact of the kind (paid-in capital, tax paid, insured
 * headcount). `years_since_occurred`: whole years completed since that fact's occurredOn (years in
 * operation from the registration's established date). Facts without the feature do not take part.
 */
const tieredRuleSchema = z.strictObject({
  kind: z.literal('tiered'),
  recordKind,
  feature: z.enum(['amount', 'years_since_occurred']),
  tiers: z.array(tierSchema).min(1),
  /** When the deciding fact has one of these categories, the points are halved (rounded half-up). */
  halveForCategories: z.array(z.string().min(1)).optional(),
});

/** The latest counting fact's `field` picks the points; no counting fact (or an unknown value) scores `none`. */
const categoricalRuleSchema = z.strictObject({
  kind: z.literal('categorical'),
  recordKind,
  field: z.enum(['grade', 'category']),
  points: pointsByKey,
  none: wholePoints,
});

/**
 * `occurredOn`: a record counts from its occurredOn for `years` years.
 * `reportYear`: a record counts when its report year (its amount) is one of the `years` calendar
 * years before the as-of year; one record per report year.
 */
const bonusWindowSchema = z.discriminatedUnion('from', [
  z.strictObject({ from: z.literal('occurredOn'), years: z.int().positive().max(100) }),
  z.strictObject({ from: z.literal('reportYear'), years: z.int().positive().max(30) }),
]);

/** Each counting record of the kind adds the points of its category; the sum is capped at max. */
const bonusRuleSchema = z.strictObject({
  kind: z.literal('bonus'),
  recordKind,
  points: pointsByKey,
  window: bonusWindowSchema,
});

const severityPointsSchema = z.strictObject({ minor: wholePoints, general: wholePoints, serious: wholePoints });

const deductionSourceSchema = z.discriminatedUnion('by', [
  z.strictObject({ recordKind, by: z.literal('severity'), points: severityPointsSchema }),
  z.strictObject({ recordKind, by: z.literal('category'), points: pointsByKey }),
  z.strictObject({ recordKind, by: z.literal('each'), points: wholePoints }),
]);

/** Starts at max; each counting record deducts its points (times decay when it has a severity); floored at 0. */
const deductionRuleSchema = z.strictObject({
  kind: z.literal('deduction'),
  sources: z.array(deductionSourceSchema).min(1),
});

/** Any counting record of these kinds (and categories, when given) sets the indicator to 0. */
const presenceRuleSchema = z.strictObject({
  kind: z.literal('presence'),
  recordKinds: z.array(recordKind).min(1),
  categories: z.array(z.string().min(1)).nullable(),
});

export const ruleSchema = z.discriminatedUnion('kind', [
  tieredRuleSchema,
  categoricalRuleSchema,
  bonusRuleSchema,
  deductionRuleSchema,
  presenceRuleSchema,
]);

const decayPeriodSchema = z.strictObject({
  /** Months from occurredOn during which the full deduction applies (the minimum publicity period). */
  fullMonths: z.int().nonnegative(),
  /** Months from occurredOn at which the deduction reaches 0 and the record drops off (the maximum). */
  zeroMonths: z.int().nonnegative(),
});

export const modelDefinitionSchema = z.strictObject({
  version: z.int().positive(),
  name: z.string().min(1),
  groups: z.array(z.strictObject({ code: code(/^[A-Z][A-Z0-9_]*$/), name: z.string().min(1), max: z.int() })).min(1),
  indicators: z
    .array(
      z.strictObject({
        code: code(/^[A-Z][0-9]{2}$/),
        group: z.string().min(1),
        name: z.string().min(1),
        direction: z.enum(['+', '-']),
        max: z.int(),
        rule: ruleSchema,
      }),
    )
    .min(1),
  grades: z.strictObject({ A: z.int(), B: z.int(), C: z.int(), D: z.int() }),
  decay: z.strictObject({ minor: decayPeriodSchema, general: decayPeriodSchema, serious: decayPeriodSchema }),
});

export type ModelDefinition = z.infer<typeof modelDefinitionSchema>;
export type GroupDefinition = ModelDefinition['groups'][number];
export type IndicatorDefinition = ModelDefinition['indicators'][number];
export type Rule = z.infer<typeof ruleSchema>;
export type RuleKind = Rule['kind'];
export type TieredRule = z.infer<typeof tieredRuleSchema>;
export type CategoricalRule = z.infer<typeof categoricalRuleSchema>;
export type BonusRule = z.infer<typeof bonusRuleSchema>;
export type DeductionRule = z.infer<typeof deductionRuleSchema>;
export type DeductionSource = z.infer<typeof deductionSourceSchema>;
export type PresenceRule = z.infer<typeof presenceRuleSchema>;
export type Tier = z.infer<typeof tierSchema>;
export type DecayPeriods = ModelDefinition['decay'];
export type ModelIssue = ErrorDetail;

/** Default model v1: exactly the table in SCORING.md. */
export const DEFAULT_MODEL_V1: ModelDefinition = {
  version: 1,
  name: '默认模型 v1',
  groups: [
    { code: 'B', name: '基本情况', max: 60 },
    { code: 'O', name: '经营状况', max: 790 },
    { code: 'S', name: '社会责任', max: 150 },
  ],
  indicators: [
    {
      code: 'B01',
      group: 'B',
      name: '存续年限',
      direction: '+',
      max: 20,
      rule: {
        kind: 'tiered',
        recordKind: 'registration',
        feature: 'years_since_occurred',
        tiers: [
          { atLeast: 0, points: 4 },
          { atLeast: 1, points: 8 },
          { atLeast: 3, points: 12 },
          { atLeast: 5, points: 16 },
          { atLeast: 10, points: 20 },
        ],
      },
    },
    {
      code: 'B02',
      group: 'B',
      name: '实缴资本',
      direction: '+',
      max: 10,
      rule: {
        kind: 'tiered',
        recordKind: 'registration',
        feature: 'amount',
        tiers: [
          { atLeast: 0, points: 2 },
          { atLeast: 1_000_000, points: 4 },
          { atLeast: 5_000_000, points: 6 },
          { atLeast: 10_000_000, points: 8 },
          { atLeast: 50_000_000, points: 10 },
        ],
      },
    },
    {
      code: 'B03',
      group: 'B',
      name: '年报按时公示',
      direction: '+',
      max: 15,
      rule: {
        kind: 'bonus',
        recordKind: 'annual_report',
        points: { on_time: 5 },
        window: { from: 'reportYear', years: 3 },
      },
    },
    {
      code: 'B04',
      group: 'B',
      name: '关键人员信用',
      direction: '-',
      max: 15,
      rule: { kind: 'presence', recordKinds: ['key_person_listing'], categories: null },
    },
    {
      code: 'O01',
      group: 'O',
      name: '纳税信用等级',
      direction: '+',
      max: 150,
      rule: {
        kind: 'categorical',
        recordKind: 'tax_grade',
        field: 'grade',
        points: { A: 150, B: 120, M: 100, C: 50, D: 0 },
        none: 90,
      },
    },
    {
      code: 'O02',
      group: 'O',
      name: '行政处罚',
      direction: '-',
      max: 150,
      rule: {
        kind: 'deduction',
        sources: [{ recordKind: 'penalty', by: 'severity', points: { minor: 10, general: 40, serious: 100 } }],
      },
    },
    {
      code: 'O03',
      group: 'O',
      name: '经营异常名录',
      direction: '-',
      max: 80,
      rule: { kind: 'deduction', sources: [{ recordKind: 'abnormal_listing', by: 'each', points: 40 }] },
    },
    {
      code: 'O04',
      group: 'O',
      name: '严重失信主体名单',
      direction: '-',
      max: 120,
      rule: { kind: 'presence', recordKinds: ['dishonesty_listing'], categories: null },
    },
    {
      code: 'O05',
      group: 'O',
      name: '司法执行',
      direction: '-',
      max: 100,
      rule: {
        kind: 'deduction',
        sources: [{ recordKind: 'enforcement', by: 'category', points: { executed: 20, dishonest_executed: 100 } }],
      },
    },
    {
      code: 'O06',
      group: 'O',
      name: '欠税欠费',
      direction: '-',
      max: 60,
      rule: {
        kind: 'deduction',
        sources: [{ recordKind: 'arrears', by: 'category', points: { tax: 30, utility: 15 } }],
      },
    },
    {
      code: 'O07',
      group: 'O',
      name: '融资履约',
      direction: '-',
      max: 70,
      rule: {
        kind: 'deduction',
        sources: [{ recordKind: 'loan_default', by: 'category', points: { overdue: 20, evasion: 70 } }],
      },
    },
    {
      code: 'O08',
      group: 'O',
      name: '经营发展',
      direction: '+',
      max: 60,
      rule: {
        kind: 'tiered',
        recordKind: 'tax_paid',
        feature: 'amount',
        tiers: [
          { atLeast: 0, points: 0 },
          { above: 0, points: 15 },
          { atLeast: 100_000, points: 30 },
          { atLeast: 1_000_000, points: 45 },
          { atLeast: 10_000_000, points: 60 },
        ],
      },
    },
    {
      code: 'S01',
      group: 'S',
      name: '社会保险',
      direction: '+',
      max: 50,
      rule: {
        kind: 'tiered',
        recordKind: 'social_insurance',
        feature: 'amount',
        tiers: [
          { atLeast: 0, points: 0 },
          { atLeast: 1, points: 20 },
          { atLeast: 10, points: 30 },
          { atLeast: 50, points: 40 },
          { atLeast: 200, points: 50 },
        ],
        halveForCategories: ['arrears'],
      },
    },
    {
      code: 'S02',
      group: 'S',
      name: '荣誉表彰',
      direction: '+',
      max: 40,
      rule: {
        kind: 'bonus',
        recordKind: 'honour',
        points: { national: 20, provincial: 15, city: 10 },
        window: { from: 'occurredOn', years: 3 },
      },
    },
    {
      code: 'S03',
      group: 'S',
      name: '公益与就业',
      direction: '+',
      max: 20,
      rule: {
        kind: 'bonus',
        recordKind: 'welfare',
        points: { charity: 5, volunteering: 5, employment: 5, contract: 5 },
        window: { from: 'occurredOn', years: 2 },
      },
    },
    {
      code: 'S04',
      group: 'S',
      name: '安全生产、环保与质量',
      direction: '-',
      max: 40,
      rule: {
        kind: 'deduction',
        sources: [{ recordKind: 'safety_violation', by: 'severity', points: { minor: 10, general: 20, serious: 40 } }],
      },
    },
  ],
  grades: { A: 850, B: 790, C: 730, D: 670 },
  decay: {
    minor: { fullMonths: 0, zeroMonths: 3 },
    general: { fullMonths: 3, zeroMonths: 12 },
    serious: { fullMonths: 12, zeroMonths: 36 },
  },
};

const DIRECTION_OF: Record<RuleKind, '+' | '-'> = {
  tiered: '+',
  categorical: '+',
  bonus: '+',
  deduction: '-',
  presence: '-',
};

function tierBound(tier: Tier): { value: number; exclusive: boolean } {
  return 'atLeast' in tier ? { value: tier.atLeast, exclusive: false } : { value: tier.above, exclusive: true };
}

function pointsWithin(issues: ModelIssue[], path: string, points: number, max: number): void {
  if (points > max) issues.push({ path, message: `分值 ${points} 超过指标满分 ${max}` });
}

function ruleIssues(rule: Rule, max: number, path: string, issues: ModelIssue[]): void {
  switch (rule.kind) {
    case 'tiered': {
      rule.tiers.forEach((tier, i) => {
        pointsWithin(issues, `${path}.tiers.${i}.points`, tier.points, max);
        if (i === 0) return;
        const previousTier = rule.tiers[i - 1];
        if (previousTier === undefined) return;
        const previous = tierBound(previousTier);
        const current = tierBound(tier);
        const ascending =
          current.value > previous.value ||
          (current.value === previous.value && current.exclusive && !previous.exclusive);
        if (!ascending) issues.push({ path: `${path}.tiers.${i}`, message: '档位下限须严格递增' });
        if (tier.points < previousTier.points) {
          issues.push({ path: `${path}.tiers.${i}.points`, message: '正向指标的档位分值不得随特征值增大而降低' });
        }
      });
      return;
    }
    case 'categorical': {
      const entries = Object.entries(rule.points);
      if (entries.length === 0) issues.push({ path: `${path}.points`, message: '至少需要一个类别' });
      for (const [category, points] of entries) pointsWithin(issues, `${path}.points.${category}`, points, max);
      pointsWithin(issues, `${path}.none`, rule.none, max);
      return;
    }
    case 'bonus': {
      const entries = Object.entries(rule.points);
      if (entries.length === 0) issues.push({ path: `${path}.points`, message: '至少需要一个类别' });
      for (const [category, points] of entries) pointsWithin(issues, `${path}.points.${category}`, points, max);
      return;
    }
    case 'deduction': {
      const seen = new Set<string>();
      rule.sources.forEach((source, i) => {
        const sourcePath = `${path}.sources.${i}`;
        if (seen.has(source.recordKind)) {
          issues.push({ path: `${sourcePath}.recordKind`, message: `记录类型 ${source.recordKind} 在同一指标中重复` });
        }
        seen.add(source.recordKind);
        if (source.by === 'each') {
          pointsWithin(issues, `${sourcePath}.points`, source.points, max);
        } else if (source.by === 'severity') {
          for (const severity of SEVERITIES)
            pointsWithin(issues, `${sourcePath}.points.${severity}`, source.points[severity], max);
          if (source.points.minor > source.points.general || source.points.general > source.points.serious) {
            issues.push({ path: `${sourcePath}.points`, message: '扣分须满足 轻微 ≤ 一般 ≤ 严重' });
          }
        } else {
          const entries = Object.entries(source.points);
          if (entries.length === 0) issues.push({ path: `${sourcePath}.points`, message: '至少需要一个类别' });
          for (const [category, points] of entries)
            pointsWithin(issues, `${sourcePath}.points.${category}`, points, max);
        }
      });
      return;
    }
    case 'presence':
      if (new Set(rule.recordKinds).size !== rule.recordKinds.length) {
        issues.push({ path: `${path}.recordKinds`, message: '记录类型重复' });
      }
      return;
  }
}

/**
 * Semantic rules beyond the schema:
 * - group codes and indicator codes are unique; every indicator names an existing group;
 * - group maxima are positive and sum to exactly 1000;
 * - every indicator has max > 0, and its direction matches its rule kind (tiered / categorical /
 *   bonus are +, deduction / presence are −);
 * - the indicator maxima of a group sum to at least the group max, so a flawless entity can reach
 *   it. v1 sums exactly; a model that sums higher lets the group cap (an explained `cap` line);
 * - every point value lies in [0, max]; tiers strictly ascend and their points never fall;
 *   severity deductions satisfy minor ≤ general ≤ serious;
 * - grade cut-offs strictly descend A > B > C > D and lie in [1, 1000];
 * - decay periods satisfy 0 < zeroMonths and fullMonths ≤ zeroMonths.
 */
function semanticIssues(def: ModelDefinition): ModelIssue[] {
  const issues: ModelIssue[] = [];
  const groupCodes = new Set<string>();
  let groupSum = 0;
  def.groups.forEach((group, i) => {
    if (groupCodes.has(group.code))
      issues.push({ path: `groups.${i}.code`, message: `一级指标代码 ${group.code} 重复` });
    groupCodes.add(group.code);
    if (group.max <= 0) issues.push({ path: `groups.${i}.max`, message: '一级指标满分须大于 0' });
    groupSum += group.max;
  });
  if (groupSum !== MODEL_TOTAL) {
    issues.push({ path: 'groups', message: `一级指标满分合计须为 ${MODEL_TOTAL}，当前为 ${groupSum}` });
  }

  const indicatorCodes = new Set<string>();
  const indicatorSums = new Map<string, number>();
  def.indicators.forEach((indicator, i) => {
    const path = `indicators.${i}`;
    if (indicatorCodes.has(indicator.code)) {
      issues.push({ path: `${path}.code`, message: `二级指标代码 ${indicator.code} 重复` });
    }
    indicatorCodes.add(indicator.code);
    if (!groupCodes.has(indicator.group)) {
      issues.push({ path: `${path}.group`, message: `一级指标 ${indicator.group} 不存在` });
    }
    if (indicator.max <= 0) issues.push({ path: `${path}.max`, message: '二级指标满分须大于 0' });
    if (DIRECTION_OF[indicator.rule.kind] !== indicator.direction) {
      issues.push({
        path: `${path}.direction`,
        message: `规则 ${indicator.rule.kind} 的方向应为 ${DIRECTION_OF[indicator.rule.kind]}`,
      });
    }
    indicatorSums.set(indicator.group, (indicatorSums.get(indicator.group) ?? 0) + indicator.max);
    ruleIssues(indicator.rule, indicator.max, `${path}.rule`, issues);
  });
  def.groups.forEach((group, i) => {
    const sum = indicatorSums.get(group.code) ?? 0;
    if (sum < group.max) {
      issues.push({
        path: `groups.${i}`,
        message: `一级指标 ${group.name} 的二级指标满分合计 ${sum} 低于其满分 ${group.max}`,
      });
    }
  });

  const { A, B, C, D } = def.grades;
  if (!(A > B && B > C && C > D)) issues.push({ path: 'grades', message: '等级分数线须满足 A > B > C > D' });
  for (const [grade, cutoff] of Object.entries(def.grades)) {
    if (cutoff < 1 || cutoff > MODEL_TOTAL) {
      issues.push({ path: `grades.${grade}`, message: `等级分数线须在 1 到 ${MODEL_TOTAL} 之间` });
    }
  }

  for (const severity of SEVERITIES) {
    const period = def.decay[severity];
    if (period.zeroMonths <= 0) {
      issues.push({ path: `decay.${severity}.zeroMonths`, message: '最长公示期须大于 0 个月' });
    }
    if (period.fullMonths > period.zeroMonths) {
      issues.push({ path: `decay.${severity}`, message: '最短公示期不得长于最长公示期' });
    }
  }
  return issues;
}

function check(def: unknown): { model: ModelDefinition | null; issues: ModelIssue[] } {
  const parsed = modelDefinitionSchema.safeParse(def, { error: z.locales.zhCN().localeError });
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => ({
      path: issue.path.map(String).join('.'),
      message: issue.message,
    }));
    return { model: null, issues };
  }
  const issues = semanticIssues(parsed.data);
  return { model: issues.length === 0 ? parsed.data : null, issues };
}

/** Every problem with a candidate model, as {path, message}; an empty list means it is valid. */
export function validateModel(def: unknown): ModelIssue[] {
  return check(def).issues;
}

/** The validated model, or AppError MODEL_INVALID whose details list every issue. */
export function parseModel(def: unknown): ModelDefinition {
  const { model, issues } = check(def);
  if (model === null) throw new AppError('MODEL_INVALID', '评分模型无效', issues);
  return model;
}
