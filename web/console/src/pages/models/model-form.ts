import {
  CATEGORY_LABELS,
  MODEL_TOTAL,
  RECORD_KIND_LABELS,
  SEVERITIES,
  SEVERITY_LABELS,
  validateModel,
  type ModelDefinition,
  type RecordKind,
  type Rule,
} from '@heihe/shared';

export const categoryLabel = (k: string): string => CATEGORY_LABELS[k] ?? k;

/**
 * The model form's logic, apart from React: which numbers of a definition the form edits, where
 * each of the model's issues (the shared zod schema's and the invariants', or the server's) goes,
 * and rules in words for the read-only tree.
 */

export type ModelSection = 'name' | 'groups' | 'indicators' | 'grades' | 'decay';
export interface PlacedIssues {
  /** Field path ('indicators.3.max') → its messages, shown beside the field. */
  byField: Record<string, string[]>;
  /** Messages about a whole section ('groups': the total is not 1000), shown at its head. */
  bySection: Record<ModelSection, string[]>;
}

/** An issue path as antd names the field: 'indicators.3.rule.tiers.0.points' → ['indicators', 3, 'rule', …]. */
export const namePath = (path: string): (string | number)[] =>
  path.split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : p));

/** Every field the form edits, by path, in the order the form shows them. */
export function modelFieldPaths(def: ModelDefinition): string[] {
  const fields = ['name'];
  def.groups.forEach((_, i) => fields.push(`groups.${i}.name`, `groups.${i}.max`));
  def.indicators.forEach((indicator, i) => {
    const p = `indicators.${i}`;
    fields.push(`${p}.max`, ...ruleFieldPaths(indicator.rule, `${p}.rule`));
  });
  for (const g of ['A', 'B', 'C', 'D']) fields.push(`grades.${g}`);
  for (const s of SEVERITIES) fields.push(`decay.${s}.fullMonths`, `decay.${s}.zeroMonths`);
  return fields;
}

export function ruleFieldPaths(rule: Rule, p: string): string[] {
  switch (rule.kind) {
    case 'tiered':
      return rule.tiers.flatMap((t, j) => [
        `${p}.tiers.${j}.${'atLeast' in t ? 'atLeast' : 'above'}`,
        `${p}.tiers.${j}.points`,
      ]);
    case 'categorical':
      return [...Object.keys(rule.points).map((k) => `${p}.points.${k}`), `${p}.none`];
    case 'bonus':
      return [...Object.keys(rule.points).map((k) => `${p}.points.${k}`), `${p}.window.years`];
    case 'deduction':
      return rule.sources.flatMap((s, j) => {
        const sp = `${p}.sources.${j}.points`;
        if (s.by === 'each') return [sp];
        return Object.keys(s.points).map((k) => `${sp}.${k}`);
      });
    case 'presence':
      return [];
  }
}

const sectionOf = (path: string): ModelSection => {
  const head = path.split('.')[0];
  return head === 'groups' || head === 'indicators' || head === 'grades' || head === 'decay' ? head : 'name';
};

/**
 * Puts each issue beside a field: its own path when the form edits it; else the field it is about
 * (a tier's bound, a row's maximum, a period's first month count); else at its section's head.
 */
export function placeIssues(
  issues: readonly { path: string; message: string }[],
  fields: readonly string[],
): PlacedIssues {
  const known = new Set(fields);
  const placed: PlacedIssues = {
    byField: {},
    bySection: { name: [], groups: [], indicators: [], grades: [], decay: [] },
  };
  const fieldFor = (path: string): string | undefined => {
    // The field itself; else, walking up to the row it is about (never to a whole section), the
    // row's maximum or its first field.
    for (let segs = path.split('.'); segs.length > 1 || known.has(segs.join('.')); segs = segs.slice(0, -1)) {
      const p = segs.join('.');
      if (known.has(p)) return p;
      if (known.has(`${p}.max`)) return `${p}.max`;
      const inside = fields.find((f) => f.startsWith(`${p}.`));
      if (inside) return inside;
    }
    return undefined;
  };
  for (const issue of issues) {
    const path = issue.path;
    const target = path ? fieldFor(path) : undefined;
    if (target) (placed.byField[target] ??= []).push(issue.message);
    else placed.bySection[sectionOf(path)].push(issue.message);
  }
  return placed;
}

/** The form's values as a definition: what the form holds over the draft it started from. */
export function checkDefinition(values: unknown): { path: string; message: string }[] {
  const issues = validateModel(values);
  // zod says "expected number, received null" for an emptied box: say what to do instead.
  return issues.map((i) => (/null|undefined/.test(i.message) ? { ...i, message: '请填写数值' } : i));
}

export const groupTotal = (def: Pick<ModelDefinition, 'groups'>): number =>
  def.groups.reduce((n, g) => n + (typeof g.max === 'number' ? g.max : 0), 0);

export { MODEL_TOTAL };

const kindLabel = (k: RecordKind) => RECORD_KIND_LABELS[k] ?? k;

/** The unit of a tiered rule's feature, as the rule reads it. */
export function tierUnit(rule: Extract<Rule, { kind: 'tiered' }>): string {
  if (rule.feature === 'years_since_occurred') return '年';
  return rule.recordKind === 'social_insurance' ? '人' : '元';
}

const amount = (n: number, unit: string) =>
  unit === '元' && n !== 0 && n % 10_000 === 0 ? `${n / 10_000} 万元` : `${n} ${unit}`;

/** A rule in words, one line per tier, category or source (the published model's tree). */
export function describeRule(rule: Rule): string[] {
  switch (rule.kind) {
    case 'tiered': {
      const unit = tierUnit(rule);
      const feature =
        rule.feature === 'years_since_occurred' ? `${kindLabel(rule.recordKind)}年限` : kindLabel(rule.recordKind);
      const lines = rule.tiers.map((t) =>
        'atLeast' in t
          ? `${feature} ≥ ${amount(t.atLeast, unit)}：${t.points} 分`
          : `${feature} > ${amount(t.above, unit)}：${t.points} 分`,
      );
      if (rule.halveForCategories?.length)
        lines.push(`${rule.halveForCategories.map(categoryLabel).join('、')}时分值减半`);
      return lines;
    }
    case 'categorical':
      return [
        ...Object.entries(rule.points).map(([k, v]) => `${kindLabel(rule.recordKind)} ${categoryLabel(k)}：${v} 分`),
        `无${kindLabel(rule.recordKind)}记录：${rule.none} 分`,
      ];
    case 'bonus':
      return [
        ...Object.entries(rule.points).map(([k, v]) => `每条${categoryLabel(k)}：加 ${v} 分`),
        rule.window.from === 'reportYear'
          ? `计入前 ${rule.window.years} 个报告年度`
          : `自发生之日起 ${rule.window.years} 年内计分`,
      ];
    case 'deduction':
      return rule.sources.map((s) => {
        const what = kindLabel(s.recordKind);
        if (s.by === 'each') return `每条${what}：扣 ${s.points} 分`;
        if (s.by === 'severity')
          return `${what}：${SEVERITIES.map((sv) => `${SEVERITY_LABELS[sv]}扣 ${s.points[sv]} 分`).join('，')}（随公示期衰减）`;
        return `${what}：${Object.entries(s.points)
          .map(([k, v]) => `${categoryLabel(k)}扣 ${v} 分`)
          .join('，')}`;
      });
    case 'presence':
      return [
        `存在${rule.recordKinds.map(kindLabel).join('或')}${rule.categories ? `（${rule.categories.map(categoryLabel).join('、')}）` : ''}记录时本项为 0 分`,
      ];
  }
}

export const RULE_KIND_LABELS: Record<Rule['kind'], string> = {
  tiered: '分档计分',
  categorical: '按等级计分',
  bonus: '逐条加分',
  deduction: '逐条扣分',
  presence: '一票归零',
};
