import type { Evaluation, Grade } from '@heihe/shared';
import type { Sql } from '../db/database';
import { chinaDate } from '../common/china-time';
import { writeEvaluations, type GradeChange, evaluateAsOf } from '../scoring';

/** What a decision did to the entity's score: the same as-of instant, before and after. */
export interface ScoreOutcome {
  scoreBefore: number;
  gradeBefore: Grade;
  scoreAfter: number;
  gradeAfter: Grade;
  modelVersion: number;
  evaluationId: string | null;
  gradeChange: GradeChange | null;
}

async function evaluateAt(sql: Sql, entityId: number, knownAt: Date, asOfDate: string): Promise<Evaluation> {
  const [one] = await evaluateAsOf(sql, [entityId], knownAt, asOfDate);
  return one!.evaluation;
}

/**
 * Runs `change` (which writes record versions stamped `at`) and re-scores the entity at once, in
 * the caller's transaction — the dynamic half of 动态循环评分法, like rescoreIn, but measuring
 * the score before the change too. Inside the decision's transaction, so that the decision, the record version, the evaluation,
 * the grade-change message and the regulators' notices commit together or not at all.
 *
 * "Before" is the same model on the same as-of instant without the change, so the difference is
 * the decision's own effect, not the decay of the days since the last cycle.
 */
export async function rescoreAround(
  sql: Sql,
  entityId: number,
  at: Date,
  trigger: string,
  change: () => Promise<void>,
): Promise<ScoreOutcome> {
  // Versions are valid from recorded_at inclusive, so "before" must look just before `at`.
  const asOfDate = chinaDate(at);
  const before = await evaluateAt(sql, entityId, new Date(at.getTime() - 1), asOfDate);
  await change();
  const after = await evaluateAt(sql, entityId, at, asOfDate);
  const changes = await writeEvaluations(sql, [{ entityId, evaluation: after }], { asOf: at, trigger, cycleId: null });
  const score = await sql.prisma.entityScore.findFirst({
    where: { entityId, asOf: at },
    select: { evaluationId: true },
  });
  return {
    scoreBefore: before.total,
    gradeBefore: before.grade,
    scoreAfter: after.total,
    gradeAfter: after.grade,
    modelVersion: after.modelVersion,
    evaluationId: score?.evaluationId?.toString() ?? null,
    gradeChange: changes[0] ?? null,
  };
}

/** A decision's effect on the score, computed exactly and written nowhere (see ReviewService.preview). */
export interface ScorePreview {
  scoreBefore: number;
  gradeBefore: Grade;
  scoreAfter: number;
  gradeAfter: Grade;
  modelVersion: number;
}

/**
 * What `rescoreAround` would measure for `change`, in the caller's transaction, without writing an
 * evaluation: the caller rolls the transaction back, so the change is never seen by anyone else.
 */
export async function previewAround(
  sql: Sql,
  entityId: number,
  at: Date,
  change: () => Promise<void>,
): Promise<ScorePreview> {
  const asOfDate = chinaDate(at);
  const before = await evaluateAt(sql, entityId, new Date(at.getTime() - 1), asOfDate);
  await change();
  const after = await evaluateAt(sql, entityId, at, asOfDate);
  return {
    scoreBefore: before.total,
    gradeBefore: before.grade,
    scoreAfter: after.total,
    gradeAfter: after.grade,
    modelVersion: after.modelVersion,
  };
}
