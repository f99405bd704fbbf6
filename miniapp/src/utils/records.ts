import type { EntityEvaluation, EvaluationRecord } from '@/api/types';

/** The record's current version in the evaluation, or null. */
export function findRecord(evaluation: EntityEvaluation, recordId: number): EvaluationRecord | null {
  const versions = (evaluation.records ?? []).filter((r) => r.recordId === recordId);
  return versions.reduce<EvaluationRecord | null>((a, b) => (a === null || b.version > a.version ? b : a), null);
}

/** How many points the record moved in this evaluation, over every indicator. */
export function pointsOfRecord(evaluation: EntityEvaluation, recordId: number): number {
  let sum = 0;
  for (const indicator of evaluation.indicators) {
    for (const effect of indicator.effects) if (effect.recordId === recordId) sum += effect.points;
  }
  return sum;
}
