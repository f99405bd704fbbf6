import { evaluate } from '@heihe/shared';
import type { Database } from '../db/database';
import { factsAsOf } from '../records/facts.repository';
import { chinaDate } from './china-time';
import { writeEvaluations, type GradeChange } from './evaluation.writer';
import { ModelRepository } from './model.repository';

/**
 * The dynamic half of 动态循环评分法: any record change re-scores the affected entities at once,
 * under the model in force, in one transaction.
 */
export class Scorer {
  constructor(private readonly db: Database) {}

  async rescore(entityIds: number[], trigger: string, at: Date = new Date()): Promise<GradeChange[]> {
    if (!entityIds.length) return [];
    return this.db.tx(async (sql) => {
      const models = new ModelRepository(sql);
      const asOfDate = chinaDate(at);
      const model = models.compile(await models.effectiveOn(asOfDate));
      const facts = await factsAsOf(sql, entityIds, at);
      const items = [...facts].map(([entityId, f]) => ({ entityId, evaluation: evaluate(model, f, asOfDate) }));
      return writeEvaluations(sql, items, { asOf: at, trigger, cycleId: null });
    });
  }
}
