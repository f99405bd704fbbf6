import type { OutboxContribution } from '../outbox';
import { noticeRegulators } from '../outbox';

/** The internal `grade.changed` message, as the evaluation writer queues it. */
interface GradeChanged {
  entityId: number;
  evaluationId: string;
  from: 'A' | 'B' | 'C' | 'D' | 'E';
  to: 'A' | 'B' | 'C' | 'D' | 'E';
  total: number;
  asOf: string;
}

/**
 * What results hands the outbox relay: every grade change, however it came (a decision, a delivery,
 * the daily cycle), appended to the result feed (one event per evaluation) and pushed to the
 * departments subscribed to the entity's industry or region. The message ID is the evaluation's, so
 * a handler run twice queues each webhook once.
 */
export function resultsOutbox(): OutboxContribution {
  return {
    from: 'results',
    handlers: {
      'grade.changed': async (sql, m) => {
        const p = m.payload as unknown as GradeChanged;
        // Unique on the evaluation: a message handled again appends nothing.
        await sql.prisma.resultFeedEvent.createMany({
          data: [{ evaluationId: BigInt(p.evaluationId), entityId: p.entityId, fromGrade: p.from, toGrade: p.to }],
          skipDuplicates: true,
        });
        const [entity, evaluation] = await Promise.all([
          sql.prisma.entity.findFirst({
            where: { id: p.entityId },
            select: { id: true, uscc: true, name: true, industryCode: true, regionCode: true },
          }),
          sql.prisma.evaluation.findFirst({ where: { id: BigInt(p.evaluationId) }, select: { modelVersion: true } }),
        ]);
        if (!entity || !evaluation) return;
        await noticeRegulators(sql, {
          messageId: `result.grade_changed:${p.evaluationId}`,
          topic: 'result.grade_changed',
          entityId: p.entityId,
          payload: {
            modelVersion: evaluation.modelVersion,
            asOf: new Date(p.asOf).toISOString(),
            entity,
            evaluationId: p.evaluationId,
            fromGrade: p.from,
            grade: p.to,
            total: p.total,
          },
        });
      },
    },
  };
}
