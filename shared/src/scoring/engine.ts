import { AppError } from '../errors';
import type { CreditFact, RecordKind, RecordStatus, Severity } from '../records';
import { SEVERITY_LABELS } from '../records';
import { addMonths, completedYears, isoDay, isoDayOfMonth, isoMonth, isoYear } from './dates';
import { gradeOf, type Grade, type GradeCutoffs } from './grades';
import { categoryLabel, formatAmount, RECORD_KIND_LABELS } from './labels';
import { parseModel, type ModelDefinition, type Tier } from './model';

/**
 * Scoring semantics (SCORING.md is the contract; these are the decisions it leaves open).
 *
 * Which facts count. The input is the set of record versions current as of T, one per record.
 * A fact takes part only when all hold:
 * - its status is `active` or `under_objection`. Repaired, revoked and expired records count zero.
 *   A record under objection counts in full and is flagged `underObjection`;
 * - it is valid on the as-of day: validFrom <= asOf and (validTo is null or asOf < validTo);
 * - its dates are real 'YYYY-MM-DD' dates, otherwise it is reported as `invalid_date`.
 *
 * Rule kinds.
 * - deduction: starts at max. A record with a severity deducts its points in full until the
 *   minimum publicity period (occurredOn + fullMonths) and on that day; afterwards the deduction
 *   falls linearly by day, points × (zeroDay − asOf) / (zeroDay − fullEnd), and the record stops
 *   counting on zeroDay (occurredOn + zeroMonths). A record without a severity (listings,
 *   enforcement, arrears, loan defaults) deducts fully while valid. Floored at 0.
 * - presence: any counting record sets the indicator to 0. A record with a severity stops
 *   counting at its maximum publicity period, like a deduction.
 * - bonus (`occurredOn` window): a record counts from occurredOn (inclusive) for N calendar years
 *   (exclusive). Its category's points add up; capped at max.
 * - bonus (`reportYear` window, B03): an annual report counts when its report year (amount) is one
 *   of asOfYear−1 … asOfYear−N and it was filed (occurredOn) by the as-of day; at most one record
 *   per report year counts, the lowest recordId. Consequence: from 1 January a firm has no
 *   report yet for the year just ended, so it holds at most (N−1) × points until it files.
 * - tiered / categorical: the latest counting fact of the kind decides: greatest occurredOn, ties
 *   to the greatest (recordId, version). Facts without the feature (amount, grade) do not take
 *   part. Years are whole years completed, anniversaries by calendar month (a 29 February
 *   anniversary falls on 28 February). A value below the first tier scores 0; no fact scores 0
 *   for tiered and `none` for categorical, as does an unknown category.
 *
 * Points. Each record's effect is rounded half-up on its own (a deduction's magnitude is rounded,
 * so 12.5 deducts 13; halving 15 leaves 8), then the effects are summed and clamped to
 * [0, max]. The clamp is its own effect line (`cap`, `floor`), so the effects of an indicator
 * sum exactly to its points; a group's indicators plus its `cap` line sum to its points; groups
 * sum to the total.
 *
 * Order. Facts are read in (recordId, version) order whatever order they arrive in, so effects
 * and flags come out in that order and the result does not depend on input order.
 */

export type EffectReason =
  'base' | 'tier' | 'category' | 'bonus' | 'deduction' | 'decay' | 'presence' | 'halved_for_arrears' | 'cap' | 'floor';

/** One line of an explanation: a record (or the rule itself, recordId null) moved the points. */
export interface Effect {
  recordId: number | null;
  version: number | null;
  /** Signed whole points. */
  points: number;
  reason: EffectReason;
  note: string;
}

export interface IndicatorResult {
  code: string;
  group: string;
  name: string;
  direction: '+' | '-';
  max: number;
  points: number;
  effects: Effect[];
}

export interface GroupResult {
  code: string;
  name: string;
  max: number;
  points: number;
  /** Only a `cap` line when the indicators sum above the group max. */
  effects: Effect[];
}

/** Why a fact moved no points. */
export type ExclusionReason =
  | 'repaired'
  | 'revoked'
  | 'expired'
  | 'invalid_date'
  | 'outside_validity'
  | 'outside_window'
  | 'superseded'
  | 'duplicate'
  | 'not_scored';

export interface RecordFlag {
  recordId: number;
  version: number;
  kind: RecordKind;
  status: RecordStatus;
  /** 异议中: counts, and must be shown flagged. */
  underObjection: boolean;
  counts: boolean;
  excluded: ExclusionReason | null;
}

export interface Evaluation {
  modelVersion: number;
  asOf: string;
  total: number;
  grade: Grade;
  groups: GroupResult[];
  indicators: IndicatorResult[];
  /** One flag per input fact, in (recordId, version) order. */
  records: RecordFlag[];
}

/** The numbers of an evaluation without its explanation: for previews over a whole population. */
export interface Score {
  modelVersion: number;
  asOf: string;
  total: number;
  grade: Grade;
  /** Points per group, in model order. */
  groups: number[];
  /** Points per indicator, in model order. */
  indicators: number[];
}

interface TierPlan {
  value: number;
  exclusive: boolean;
  points: number;
  label: string;
}

interface IndicatorBase {
  code: string;
  group: string;
  groupIndex: number;
  name: string;
  direction: '+' | '-';
  max: number;
}

type IndicatorPlan =
  | (IndicatorBase & {
      kind: 'tiered';
      feature: 'amount' | 'years_since_occurred';
      featureLabel: string;
      unit: string;
      tiers: TierPlan[];
      halve: ReadonlySet<string>;
    })
  | (IndicatorBase & {
      kind: 'categorical';
      field: 'grade' | 'category';
      featureLabel: string;
      points: ReadonlyMap<string, number>;
      none: number;
    })
  | (IndicatorBase & { kind: 'bonus' | 'deduction' | 'presence' });

type Feed =
  | { type: 'latest'; indicator: number; requires: 'amount' | 'grade' | 'category' | null }
  | {
      type: 'bonus';
      indicator: number;
      points: ReadonlyMap<string, number>;
      labels: ReadonlyMap<string, string>;
      months: number;
    }
  | {
      type: 'report_year';
      indicator: number;
      points: ReadonlyMap<string, number>;
      labels: ReadonlyMap<string, string>;
      years: number;
    }
  | {
      type: 'deduction';
      indicator: number;
      by: 'severity' | 'category' | 'each';
      /** by severity: indexed minor, general, serious. */
      severityPoints: readonly number[];
      severityLabels: readonly string[];
      points: ReadonlyMap<string, number>;
      labels: ReadonlyMap<string, string>;
      each: number;
      eachLabel: string;
    }
  | { type: 'presence'; indicator: number; categories: ReadonlySet<string> | null; label: string };

interface GroupPlan {
  code: string;
  name: string;
  max: number;
}

/** Per-call working state, allocated once per compiled model: evaluate is synchronous, so it is never shared. */
interface Scratch {
  sums: Int32Array;
  latest: Int32Array;
  latestDay: Float64Array;
  yearsSeen: Int32Array;
  present: Int32Array;
  points: Int32Array;
}

/** A model compiled once and reused for every entity of a cycle. Treat it as opaque. */
export interface CompiledModel {
  readonly version: number;
  readonly definition: ModelDefinition;
  readonly cutoffs: GradeCutoffs;
  readonly groups: readonly GroupPlan[];
  readonly indicators: readonly IndicatorPlan[];
  readonly feeds: ReadonlyMap<string, readonly Feed[]>;
  /** fullMonths / zeroMonths indexed minor, general, serious. */
  readonly decayFull: readonly number[];
  readonly decayZero: readonly number[];
  readonly scratch: Scratch;
}

const SEVERITY_INDEX: Record<Severity, number> = { minor: 0, general: 1, serious: 2 };
const SEVERITY_ORDER: readonly Severity[] = ['minor', 'general', 'serious'];

const NOT_SCORED = 0;
const OUTSIDE_WINDOW = 1;
const DUPLICATE = 2;
const CANDIDATE = 3;
const COUNTED = 4;
const OUTCOME_EXCLUSION: readonly (ExclusionReason | null)[] = [
  'not_scored',
  'outside_window',
  'duplicate',
  'superseded',
  null,
];

const FEATURE_LABELS: Readonly<Record<string, { label: string; unit: string }>> = {
  'registration:years_since_occurred': { label: '存续年限', unit: '年' },
  'registration:amount': { label: '实缴资本', unit: '元' },
  'tax_paid:amount': { label: '年度纳税额', unit: '元' },
  'social_insurance:amount': { label: '参保人数', unit: '人' },
};

function featureLabel(kind: RecordKind, feature: 'amount' | 'years_since_occurred'): { label: string; unit: string } {
  return (
    FEATURE_LABELS[`${kind}:${feature}`] ??
    (feature === 'amount'
      ? { label: `${RECORD_KIND_LABELS[kind]}数额`, unit: '' }
      : { label: `${RECORD_KIND_LABELS[kind]}年限`, unit: '年' })
  );
}

function tierBound(tier: Tier): { value: number; exclusive: boolean } {
  return 'atLeast' in tier ? { value: tier.atLeast, exclusive: false } : { value: tier.above, exclusive: true };
}

function tierPlans(tiers: readonly Tier[], unit: string): TierPlan[] {
  const bounds = tiers.map(tierBound);
  return tiers.map((tier, i) => {
    const lower = bounds[i] ?? { value: 0, exclusive: false };
    const upper = bounds[i + 1];
    const lowerText = `${lower.exclusive ? '>' : '≥'} ${formatAmount(lower.value, unit)}`;
    let label = lowerText;
    if (upper !== undefined) {
      label =
        upper.value === lower.value && upper.exclusive && !lower.exclusive
          ? `= ${formatAmount(lower.value, unit)}`
          : `${lowerText} 且 ${upper.exclusive ? '≤' : '<'} ${formatAmount(upper.value, unit)}`;
    }
    return { value: lower.value, exclusive: lower.exclusive, points: tier.points, label };
  });
}

function labelMap(points: Readonly<Record<string, number>>, kind: RecordKind): Map<string, string> {
  return new Map(
    Object.keys(points).map((category) => [category, `${RECORD_KIND_LABELS[kind]}（${categoryLabel(category)}）`]),
  );
}

function pointsMap(points: Readonly<Record<string, number>>): Map<string, number> {
  return new Map(Object.entries(points));
}

/**
 * Validates (AppError MODEL_INVALID) and precomputes everything the hot path needs: rule lookups
 * by record kind, tier tables, labels and the scratch buffers.
 */
export function compileModel(def: unknown): CompiledModel {
  const definition = parseModel(def);
  const groupIndex = new Map(definition.groups.map((group, i) => [group.code, i]));
  const feeds = new Map<string, Feed[]>();
  const addFeed = (kind: RecordKind, feed: Feed) => {
    const list = feeds.get(kind) ?? [];
    list.push(feed);
    feeds.set(kind, list);
  };

  const indicators = definition.indicators.map((indicator, i): IndicatorPlan => {
    const base: IndicatorBase = {
      code: indicator.code,
      group: indicator.group,
      groupIndex: groupIndex.get(indicator.group) ?? 0,
      name: indicator.name,
      direction: indicator.direction,
      max: indicator.max,
    };
    const rule = indicator.rule;
    switch (rule.kind) {
      case 'tiered': {
        const { label, unit } = featureLabel(rule.recordKind, rule.feature);
        addFeed(rule.recordKind, {
          type: 'latest',
          indicator: i,
          requires: rule.feature === 'amount' ? 'amount' : null,
        });
        return {
          ...base,
          kind: 'tiered',
          feature: rule.feature,
          featureLabel: label,
          unit,
          tiers: tierPlans(rule.tiers, unit),
          halve: new Set(rule.halveForCategories ?? []),
        };
      }
      case 'categorical':
        addFeed(rule.recordKind, { type: 'latest', indicator: i, requires: rule.field });
        return {
          ...base,
          kind: 'categorical',
          field: rule.field,
          featureLabel: RECORD_KIND_LABELS[rule.recordKind],
          points: pointsMap(rule.points),
          none: rule.none,
        };
      case 'bonus':
        addFeed(
          rule.recordKind,
          rule.window.from === 'occurredOn'
            ? {
                type: 'bonus',
                indicator: i,
                points: pointsMap(rule.points),
                labels: labelMap(rule.points, rule.recordKind),
                months: rule.window.years * 12,
              }
            : {
                type: 'report_year',
                indicator: i,
                points: pointsMap(rule.points),
                labels: labelMap(rule.points, rule.recordKind),
                years: rule.window.years,
              },
        );
        return { ...base, kind: 'bonus' };
      case 'deduction':
        for (const source of rule.sources) {
          const kindLabel = RECORD_KIND_LABELS[source.recordKind];
          addFeed(source.recordKind, {
            type: 'deduction',
            indicator: i,
            by: source.by,
            severityPoints: source.by === 'severity' ? SEVERITY_ORDER.map((s) => source.points[s]) : [],
            severityLabels: SEVERITY_ORDER.map((s) => `${kindLabel}（${SEVERITY_LABELS[s]}）`),
            points: source.by === 'category' ? pointsMap(source.points) : new Map(),
            labels: source.by === 'category' ? labelMap(source.points, source.recordKind) : new Map(),
            each: source.by === 'each' ? source.points : 0,
            eachLabel: kindLabel,
          });
        }
        return { ...base, kind: 'deduction' };
      case 'presence': {
        const categories = rule.categories === null ? null : new Set(rule.categories);
        for (const kind of rule.recordKinds) {
          addFeed(kind, { type: 'presence', indicator: i, categories, label: RECORD_KIND_LABELS[kind] });
        }
        return { ...base, kind: 'presence' };
      }
    }
  });

  const n = indicators.length;
  return {
    version: definition.version,
    definition,
    cutoffs: definition.grades,
    groups: definition.groups.map((group) => ({ code: group.code, name: group.name, max: group.max })),
    indicators,
    feeds,
    decayFull: SEVERITY_ORDER.map((s) => definition.decay[s].fullMonths),
    decayZero: SEVERITY_ORDER.map((s) => definition.decay[s].zeroMonths),
    scratch: {
      sums: new Int32Array(n),
      latest: new Int32Array(n),
      latestDay: new Float64Array(n),
      yearsSeen: new Int32Array(n),
      present: new Int32Array(n),
      points: new Int32Array(n),
    },
  };
}

function byRecord(a: CreditFact, b: CreditFact): number {
  return a.recordId - b.recordId || a.version - b.version;
}

/** The facts in (recordId, version) order; copies only when they arrive out of order. */
function inRecordOrder(facts: readonly CreditFact[]): readonly CreditFact[] {
  for (let i = 1; i < facts.length; i++) {
    const previous = facts[i - 1] as CreditFact;
    const current = facts[i] as CreditFact;
    if (
      previous.recordId > current.recordId ||
      (previous.recordId === current.recordId && previous.version > current.version)
    ) {
      return [...facts].sort(byRecord);
    }
  }
  return facts;
}

/** round(numerator / denominator) half-up, exactly, for non-negative integers. */
function roundHalfUpRatio(numerator: number, denominator: number): number {
  return Math.floor((2 * numerator + denominator) / (2 * denominator));
}

function parseAsOf(asOf: string): number {
  const day = isoDay(asOf);
  if (Number.isNaN(day)) {
    throw new AppError('VALIDATION_FAILED', '评价日期须为 YYYY-MM-DD', [
      { path: 'asOf', message: `无效日期：${asOf}` },
    ]);
  }
  return day;
}

function effect(fact: CreditFact | null, points: number, reason: EffectReason, note: string): Effect {
  return {
    recordId: fact === null ? null : fact.recordId,
    version: fact === null ? null : fact.version,
    points,
    reason,
    note,
  };
}

function findTier(tiers: readonly TierPlan[], value: number): TierPlan | null {
  let found: TierPlan | null = null;
  for (const tier of tiers) {
    if (tier.exclusive ? value > tier.value : value >= tier.value) found = tier;
    else break;
  }
  return found;
}

interface Run {
  list: readonly CreditFact[];
  effects: Effect[][] | null;
  records: RecordFlag[] | null;
}

/**
 * The single scoring pass. Leaves indicator points in scratch.points; with `explain` it also
 * builds the effect lines and record flags, and with `notes` their readable notes.
 */
function run(
  model: CompiledModel,
  facts: readonly CreditFact[],
  asOfDay: number,
  asOfYear: number,
  explain: boolean,
  notes: boolean,
): Run {
  const { indicators, feeds, decayFull, decayZero } = model;
  const { sums, latest, latestDay, yearsSeen, present, points } = model.scratch;
  const n = indicators.length;
  for (let i = 0; i < n; i++) {
    sums[i] = 0;
    latest[i] = -1;
    yearsSeen[i] = 0;
    present[i] = 0;
  }

  const list = inRecordOrder(facts);
  const effects: Effect[][] | null = explain ? new Array<Effect[]>(n) : null;
  const records: RecordFlag[] | null = explain ? [] : null;
  if (effects !== null) {
    for (let i = 0; i < n; i++) {
      const plan = indicators[i] as IndicatorPlan;
      effects[i] =
        plan.kind === 'deduction' || plan.kind === 'presence'
          ? [effect(null, plan.max, 'base', notes ? `满分 ${plan.max} 分起算` : '')]
          : [];
    }
  }

  for (let k = 0; k < list.length; k++) {
    const fact = list[k] as CreditFact;
    const status = fact.status;
    let flag: RecordFlag | null = null;
    if (records !== null) {
      flag = {
        recordId: fact.recordId,
        version: fact.version,
        kind: fact.kind,
        status,
        underObjection: status === 'under_objection',
        counts: false,
        excluded: null,
      };
      records.push(flag);
    }
    if (status !== 'active' && status !== 'under_objection') {
      if (flag !== null) flag.excluded = status;
      continue;
    }
    const kindFeeds = feeds.get(fact.kind);
    if (kindFeeds === undefined) {
      if (flag !== null) flag.excluded = 'not_scored';
      continue;
    }
    const occurredOn = fact.occurredOn;
    const occurredDay = isoDay(occurredOn);
    const validFrom = fact.validFrom === occurredOn ? occurredDay : isoDay(fact.validFrom);
    const validTo = fact.validTo === null ? Infinity : isoDay(fact.validTo);
    if (Number.isNaN(occurredDay) || Number.isNaN(validFrom) || Number.isNaN(validTo)) {
      if (flag !== null) flag.excluded = 'invalid_date';
      continue;
    }
    if (validFrom > asOfDay || asOfDay >= validTo) {
      if (flag !== null) flag.excluded = 'outside_validity';
      continue;
    }
    const severityIndex = fact.severity === null ? -1 : SEVERITY_INDEX[fact.severity];

    let outcome = NOT_SCORED;
    for (let f = 0; f < kindFeeds.length; f++) {
      const feed = kindFeeds[f] as Feed;
      const i = feed.indicator;
      let result = NOT_SCORED;
      switch (feed.type) {
        case 'latest': {
          const requires = feed.requires;
          if (
            requires === 'amount'
              ? fact.amount === null || !Number.isFinite(fact.amount)
              : requires !== null && fact[requires] === null
          ) {
            break;
          }
          if ((latest[i] as number) < 0 || occurredDay >= (latestDay[i] as number)) {
            latest[i] = k;
            latestDay[i] = occurredDay;
          }
          result = CANDIDATE;
          break;
        }
        case 'deduction': {
          let full: number;
          let label: string;
          if (feed.by === 'severity') {
            if (severityIndex < 0) break;
            full = feed.severityPoints[severityIndex] as number;
            label = feed.severityLabels[severityIndex] as string;
          } else if (feed.by === 'category') {
            const categoryPoints = fact.category === null ? undefined : feed.points.get(fact.category);
            if (categoryPoints === undefined) break;
            full = categoryPoints;
            label = feed.labels.get(fact.category as string) as string;
          } else {
            full = feed.each;
            label = severityIndex < 0 ? feed.eachLabel : (feed.severityLabels[severityIndex] as string);
          }
          let deducted = full;
          let decayed = false;
          if (severityIndex >= 0) {
            const year = isoYear(occurredOn);
            const month = isoMonth(occurredOn);
            const day = isoDayOfMonth(occurredOn);
            const zeroDay = addMonths(year, month, day, decayZero[severityIndex] as number);
            if (asOfDay >= zeroDay) {
              result = OUTSIDE_WINDOW;
              break;
            }
            const fullEnd = addMonths(year, month, day, decayFull[severityIndex] as number);
            if (asOfDay > fullEnd) {
              deducted = roundHalfUpRatio(full * (zeroDay - asOfDay), zeroDay - fullEnd);
              decayed = true;
            }
          }
          sums[i] = (sums[i] as number) - deducted;
          if (effects !== null) {
            (effects[i] as Effect[]).push(
              decayed
                ? effect(
                    fact,
                    0 - deducted,
                    'decay',
                    notes ? `${label}，已过最短公示期，按线性衰减扣 ${deducted} 分（全额 ${full} 分）` : '',
                  )
                : effect(fact, 0 - deducted, 'deduction', notes ? `${label}，扣 ${deducted} 分` : ''),
            );
          }
          result = COUNTED;
          break;
        }
        case 'bonus': {
          const bonus = fact.category === null ? undefined : feed.points.get(fact.category);
          if (bonus === undefined) break;
          if (occurredDay > asOfDay) {
            result = OUTSIDE_WINDOW;
            break;
          }
          const end = addMonths(isoYear(occurredOn), isoMonth(occurredOn), isoDayOfMonth(occurredOn), feed.months);
          if (asOfDay >= end) {
            result = OUTSIDE_WINDOW;
            break;
          }
          sums[i] = (sums[i] as number) + bonus;
          if (effects !== null) {
            const label = feed.labels.get(fact.category as string) as string;
            (effects[i] as Effect[]).push(effect(fact, bonus, 'bonus', notes ? `${label}，加 ${bonus} 分` : ''));
          }
          result = COUNTED;
          break;
        }
        case 'report_year': {
          const bonus = fact.category === null ? undefined : feed.points.get(fact.category);
          const reportYear = fact.amount;
          if (bonus === undefined || reportYear === null || !Number.isInteger(reportYear)) break;
          const offset = asOfYear - 1 - reportYear;
          if (offset < 0 || offset >= feed.years || occurredDay > asOfDay) {
            result = OUTSIDE_WINDOW;
            break;
          }
          const bit = 1 << offset;
          if (((yearsSeen[i] as number) & bit) !== 0) {
            result = DUPLICATE;
            break;
          }
          yearsSeen[i] = (yearsSeen[i] as number) | bit;
          sums[i] = (sums[i] as number) + bonus;
          if (effects !== null) {
            const label = feed.labels.get(fact.category as string) as string;
            (effects[i] as Effect[]).push(
              effect(fact, bonus, 'bonus', notes ? `${reportYear}年${label}，加 ${bonus} 分` : ''),
            );
          }
          result = COUNTED;
          break;
        }
        case 'presence': {
          if (feed.categories !== null && (fact.category === null || !feed.categories.has(fact.category))) break;
          if (
            severityIndex >= 0 &&
            asOfDay >=
              addMonths(
                isoYear(occurredOn),
                isoMonth(occurredOn),
                isoDayOfMonth(occurredOn),
                decayZero[severityIndex] as number,
              )
          ) {
            result = OUTSIDE_WINDOW;
            break;
          }
          present[i] = (present[i] as number) + 1;
          if (effects !== null) {
            const max = (indicators[i] as IndicatorPlan).max;
            (effects[i] as Effect[]).push(
              present[i] === 1
                ? effect(fact, 0 - max, 'presence', notes ? `${feed.label}在列，本项计 0 分` : '')
                : effect(fact, 0, 'presence', notes ? `${feed.label}同时在列，不再重复扣分` : ''),
            );
          }
          result = COUNTED;
          break;
        }
      }
      if (result > outcome) outcome = result;
    }
    if (flag !== null) {
      flag.counts = outcome === COUNTED;
      flag.excluded = OUTCOME_EXCLUSION[outcome] ?? null;
    }
  }

  for (let i = 0; i < n; i++) {
    const plan = indicators[i] as IndicatorPlan;
    const lines = effects === null ? null : (effects[i] as Effect[]);
    let value: number;
    switch (plan.kind) {
      case 'tiered': {
        const k = latest[i] as number;
        if (k < 0) {
          value = 0;
          if (lines !== null) lines.push(effect(null, 0, 'base', notes ? `无${plan.featureLabel}数据，计 0 分` : ''));
          break;
        }
        const fact = list[k] as CreditFact;
        const feature =
          plan.feature === 'amount'
            ? (fact.amount as number)
            : completedYears(
                isoYear(fact.occurredOn),
                isoMonth(fact.occurredOn),
                isoDayOfMonth(fact.occurredOn),
                asOfDay,
                asOfYear,
              );
        const tier = findTier(plan.tiers, feature);
        const tierPoints = tier === null ? 0 : tier.points;
        value = tierPoints;
        if (lines !== null) {
          lines.push(
            effect(
              fact,
              tierPoints,
              'tier',
              notes
                ? `${plan.featureLabel} ${formatAmount(feature, plan.unit)}，${tier === null ? '低于最低档' : `属 ${tier.label} 档`}，得 ${tierPoints} 分`
                : '',
            ),
          );
        }
        if (fact.category !== null && plan.halve.has(fact.category)) {
          value = Math.floor((tierPoints + 1) / 2);
          if (lines !== null) {
            lines.push(
              effect(
                fact,
                value - tierPoints,
                'halved_for_arrears',
                notes ? `${categoryLabel(fact.category)}，得分减半为 ${value} 分` : '',
              ),
            );
          }
        }
        if (records !== null) markCounted(records[k] as RecordFlag);
        break;
      }
      case 'categorical': {
        const k = latest[i] as number;
        if (k < 0) {
          value = plan.none;
          if (lines !== null)
            lines.push(effect(null, value, 'base', notes ? `无${plan.featureLabel}记录，按 ${value} 分计` : ''));
          break;
        }
        const fact = list[k] as CreditFact;
        const key = fact[plan.field] as string;
        const mapped = plan.points.get(key);
        value = mapped ?? plan.none;
        if (lines !== null) {
          lines.push(
            effect(
              fact,
              value,
              'category',
              !notes
                ? ''
                : mapped === undefined
                  ? `${plan.featureLabel} ${key} 不在模型中，按无记录计 ${value} 分`
                  : `${plan.featureLabel} ${key}，得 ${value} 分`,
            ),
          );
        }
        if (records !== null) markCounted(records[k] as RecordFlag);
        break;
      }
      case 'bonus': {
        const sum = sums[i] as number;
        value = sum > plan.max ? plan.max : sum;
        if (lines !== null && sum > plan.max) {
          lines.push(effect(null, plan.max - sum, 'cap', notes ? `加分合计 ${sum} 分，以满分 ${plan.max} 分为限` : ''));
        }
        break;
      }
      case 'deduction': {
        const raw = plan.max + (sums[i] as number);
        value = raw < 0 ? 0 : raw;
        if (lines !== null && raw < 0)
          lines.push(effect(null, 0 - raw, 'floor', notes ? `扣分超过满分，本项以 0 分为限` : ''));
        break;
      }
      case 'presence':
        value = (present[i] as number) > 0 ? 0 : plan.max;
        break;
    }
    points[i] = value;
  }
  return { list, effects, records };
}

function markCounted(flag: RecordFlag): void {
  flag.counts = true;
  flag.excluded = null;
}

export interface EvaluateOptions {
  /**
   * Build each effect's readable note (default true). false: every note is '' and nothing else
   * changes — for a caller that stores the effects without notes (the cycle) and re-derives the
   * notes by evaluating again when they are shown.
   */
  notes?: boolean;
}

/**
 * Scores one entity as of `asOf` ('YYYY-MM-DD'; the only clock) and explains every point.
 * Throws AppError VALIDATION_FAILED for a malformed asOf.
 */
export function evaluate(
  model: CompiledModel,
  facts: readonly CreditFact[],
  asOf: string,
  options: EvaluateOptions = {},
): Evaluation {
  const notes = options.notes !== false;
  const asOfDay = parseAsOf(asOf);
  const { effects, records } = run(model, facts, asOfDay, isoYear(asOf), true, notes);
  const points = model.scratch.points;
  const groupSums = new Array<number>(model.groups.length).fill(0);
  const indicators: IndicatorResult[] = model.indicators.map((plan, i) => {
    const value = points[i] as number;
    groupSums[plan.groupIndex] = (groupSums[plan.groupIndex] as number) + value;
    return {
      code: plan.code,
      group: plan.group,
      name: plan.name,
      direction: plan.direction,
      max: plan.max,
      points: value,
      effects: (effects as Effect[][])[i] as Effect[],
    };
  });
  let total = 0;
  const groups: GroupResult[] = model.groups.map((group, g) => {
    const sum = groupSums[g] as number;
    const capped = sum > group.max;
    const value = capped ? group.max : sum;
    total += value;
    return {
      code: group.code,
      name: group.name,
      max: group.max,
      points: value,
      effects: capped
        ? [
            effect(
              null,
              group.max - sum,
              'cap',
              notes ? `二级指标合计 ${sum} 分，以一级指标满分 ${group.max} 分为限` : '',
            ),
          ]
        : [],
    };
  });
  return {
    modelVersion: model.version,
    asOf,
    total,
    grade: gradeOf(total, model.cutoffs),
    groups,
    indicators,
    records: records as RecordFlag[],
  };
}

/** The same numbers as {@link evaluate} without building the explanation; for population previews. */
export function score(model: CompiledModel, facts: readonly CreditFact[], asOf: string): Score {
  const asOfDay = parseAsOf(asOf);
  run(model, facts, asOfDay, isoYear(asOf), false, false);
  const points = model.scratch.points;
  const indicators = Array.from(points);
  const groups = new Array<number>(model.groups.length).fill(0);
  for (let i = 0; i < indicators.length; i++) {
    const g = (model.indicators[i] as IndicatorPlan).groupIndex;
    groups[g] = (groups[g] as number) + (indicators[i] as number);
  }
  let total = 0;
  for (let g = 0; g < groups.length; g++) {
    const max = (model.groups[g] as GroupPlan).max;
    if ((groups[g] as number) > max) groups[g] = max;
    total += groups[g] as number;
  }
  return { modelVersion: model.version, asOf, total, grade: gradeOf(total, model.cutoffs), groups, indicators };
}
