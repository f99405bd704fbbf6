import { evaluate } from '@heihe/shared';
import type { Database, Sql } from '../db/database';
import { factsAsOf } from '../records';
import { chinaDate } from '../common/china-time';
import { writeEvaluations, type GradeChange, type NewEvaluation } from './evaluation.writer';
import { ModelRepository } from './model.repository';

/**
 * Evaluates entities on the records known at `knownAt`, under the model in force on `asOfDate`
 * (by default the China date of `knownAt`). Reads only; the caller decides what to write.
 */
export async function evaluateAsOf(
  sql: Sql,
  entityIds: number[],
  knownAt: Date,
  asOfDate: string = chinaDate(knownAt),
): Promise<NewEvaluation[]> {
  const models = new ModelRepository(sql);
  const model = models.compile(await models.effectiveOn(asOfDate));
  const facts = await factsAsOf(sql, entityIds, knownAt);
  return [...facts].map(([entityId, f]) => ({ entityId, evaluation: evaluate(model, f, asOfDate) }));
}

/** Re-scores entities inside the caller's transaction, so a decision and its re-score commit together. */
export async function rescoreIn(sql: Sql, entityIds: number[], trigger: string, at: Date): Promise<GradeChange[]> {
  if (!entityIds.length) return [];
  return writeEvaluations(sql, await evaluateAsOf(sql, entityIds, at), { asOf: at, trigger, cycleId: null });
}

/**
 * The dynamic half of 动态循环评分法: any record change re-scores the affected entities at once,
 * under the model in force, in one transaction.
 */
export class Scorer {
  constructor(private readonly db: Database) {}

  async rescore(entityIds: number[], trigger: string, at: Date = new Date()): Promise<GradeChange[]> {
    if (!entityIds.length) return [];
    return this.db.tx((sql) => rescoreIn(sql, entityIds, trigger, at));
  }
}
