import { AppError } from '../errors';
import type { CreditFact } from '../records';
import { evaluate, type CompiledModel, type Evaluation } from './engine';
import type { Grade } from './grades';

/**
 * A hypothetical change to an entity's records. `repair` and `revoke` act as the agency would: a
 * new version of the record with that status. `add` adds a fact; `remove` drops a record.
 */
export type WhatIfChange = { repair: number } | { revoke: number } | { remove: number } | { add: CreditFact };

export interface IndicatorChange {
  code: string;
  name: string;
  before: number;
  after: number;
  delta: number;
}

export interface EvaluationDiff {
  totalBefore: number;
  totalAfter: number;
  delta: number;
  gradeBefore: Grade;
  gradeAfter: Grade;
  gradeChanged: boolean;
  /** Only the indicators whose points differ, in model order. */
  indicators: IndicatorChange[];
}

export interface WhatIfResult {
  before: Evaluation;
  after: Evaluation;
  diff: EvaluationDiff;
}

/** Compares two evaluations of one entity; indicators are matched by code. */
export function diffEvaluations(before: Evaluation, after: Evaluation): EvaluationDiff {
  const previous = new Map(before.indicators.map((indicator) => [indicator.code, indicator.points]));
  const indicators: IndicatorChange[] = [];
  for (const indicator of after.indicators) {
    const was = previous.get(indicator.code) ?? 0;
    previous.delete(indicator.code);
    if (was !== indicator.points) {
      indicators.push({
        code: indicator.code,
        name: indicator.name,
        before: was,
        after: indicator.points,
        delta: indicator.points - was,
      });
    }
  }
  for (const indicator of before.indicators) {
    if (previous.has(indicator.code) && indicator.points !== 0) {
      indicators.push({
        code: indicator.code,
        name: indicator.name,
        before: indicator.points,
        after: 0,
        delta: -indicator.points,
      });
    }
  }
  return {
    totalBefore: before.total,
    totalAfter: after.total,
    delta: after.total - before.total,
    gradeBefore: before.grade,
    gradeAfter: after.grade,
    gradeChanged: before.grade !== after.grade,
    indicators,
  };
}

function changedFacts(facts: readonly CreditFact[], change: WhatIfChange): CreditFact[] {
  if ('add' in change) return [...facts, change.add];
  const recordId = 'repair' in change ? change.repair : 'revoke' in change ? change.revoke : change.remove;
  if (!facts.some((fact) => fact.recordId === recordId)) {
    throw new AppError('NOT_FOUND', '记录不存在', [{ path: 'recordId', message: `没有记录 ${recordId}` }]);
  }
  if ('remove' in change) return facts.filter((fact) => fact.recordId !== recordId);
  const status = 'repair' in change ? 'repaired' : 'revoked';
  return facts.map((fact) => (fact.recordId === recordId ? { ...fact, status, version: fact.version + 1 } : fact));
}

/** Before and after evaluations for a hypothetical change, e.g. "what if this record were repaired". */
export function whatIf(
  model: CompiledModel,
  facts: readonly CreditFact[],
  asOf: string,
  change: WhatIfChange,
): WhatIfResult {
  const before = evaluate(model, facts, asOf);
  const after = evaluate(model, changedFacts(facts, change), asOf);
  return { before, after, diff: diffEvaluations(before, after) };
}
