import type { Grade, GradeCutoffs } from '@heihe/shared/dist/scoring/grades';
import type { EntityEvaluation, EvaluationRecord } from '@/api/types';
import { pointsOfRecord } from '@/utils/records';
import { estimateRepair, modelCutoffs, type RepairEstimate } from './what-if';

/** The grade above and the points still missing; null at A. */
export interface NextGrade {
  grade: Grade;
  cutoff: number;
  gap: number;
}

export function nextGradeOf(total: number, cutoffs: GradeCutoffs): NextGrade | null {
  const above = (['D', 'C', 'B', 'A'] as const).find((g) => total < cutoffs[g]);
  return above ? { grade: above, cutoff: cutoffs[above], gap: cutoffs[above] - total } : null;
}

/** A record that costs points now: what it costs, when it stops counting, and what removing it would give. */
export interface CostlyRecord {
  record: EvaluationRecord;
  cost: number;
  /** The last day it counts (公示至), or null when open-ended. */
  until: string | null;
  /** The engine's estimate if it stopped counting (objection upheld or repair approved); null when none. */
  estimate: RepairEstimate | null;
  /** An objection or repair is already in progress: no new action is offered. */
  inProgress: boolean;
}

export interface WayUp {
  grade: Grade;
  total: number;
  next: NextGrade | null;
  cutoffs: GradeCutoffs;
  /** Most points first. */
  costly: CostlyRecord[];
}

/**
 * The way to the next grade, from the evaluation and the shared engine only: the gap to the next
 * cut-off, the records that cost the most with the day each stops counting, and for each the
 * estimated total should it stop counting now. Null when the evaluation's model is not at hand.
 */
export function wayUp(evaluation: EntityEvaluation, definition?: unknown): WayUp | null {
  const cutoffs = modelCutoffs(evaluation.modelVersion, definition);
  if (cutoffs === null) return null;
  const seen = new Set<number>();
  const costly: CostlyRecord[] = [];
  for (const record of evaluation.records ?? []) {
    if (!record.counts || seen.has(record.recordId)) continue;
    seen.add(record.recordId);
    const points = pointsOfRecord(evaluation, record.recordId);
    if (points >= 0) continue;
    const result = estimateRepair(evaluation, record.recordId, definition);
    costly.push({
      record,
      cost: -points,
      until: record.publicUntil ?? record.validTo ?? null,
      estimate: result.kind === 'estimate' ? result.estimate : null,
      inProgress: (record.openApplication ?? null) !== null,
    });
  }
  costly.sort((a, b) => b.cost - a.cost || a.record.recordId - b.record.recordId);
  return {
    grade: evaluation.grade,
    total: evaluation.total,
    next: nextGradeOf(evaluation.total, cutoffs),
    cutoffs,
    costly,
  };
}
