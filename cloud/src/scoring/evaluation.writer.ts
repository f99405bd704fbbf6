import type { EffectReason, Evaluation } from '@heihe/shared';
import type { Sql } from '../db/database';

export type CompactEffect = [
  indicator: number,
  recordId: number | null,
  version: number | null,
  points: number,
  reason: EffectReason,
];

/** The stored explanation: every effect of every indicator (and group caps, indicator -1). */
export function compactEffects(e: Evaluation): CompactEffect[] {
  const out: CompactEffect[] = [];
  e.indicators.forEach((ind, i) => {
    for (const f of ind.effects) out.push([i, f.recordId, f.version, f.points, f.reason]);
  });
  for (const g of e.groups) for (const f of g.effects) out.push([-1, f.recordId, f.version, f.points, f.reason]);
  return out;
}

export interface NewEvaluation {
  entityId: number;
  evaluation: Evaluation;
}

export interface GradeChange {
  entityId: number;
  evaluationId: string;
  from: string | null;
  to: string;
  total: number;
}

/**
 * Writes evaluations set-wise, moves each entity's current score forward (never backwards in
 * as-of time), and queues a `grade.changed` message in the outbox for every grade that moved (a first
 * score is not a change) —
 * all in the caller's transaction.
 */
export async function writeEvaluations(
  sql: Sql,
  items: NewEvaluation[],
  meta: { asOf: Date; trigger: string; cycleId: number | null },
): Promise<GradeChange[]> {
  if (!items.length) return [];
  // One JSON document for the whole set: PostgreSQL parses it natively, and nothing is escaped
  // row by row into array literals.
  const doc = JSON.stringify(
    items.map((i) => ({
      e: i.entityId,
      mv: i.evaluation.modelVersion,
      t: i.evaluation.total,
      g: i.evaluation.grade,
      gr: i.evaluation.groups.map((g) => g.points),
      ind: i.evaluation.indicators.map((x) => x.points),
      ef: compactEffects(i.evaluation),
    })),
  );
  const inserted = await sql.query<{
    id: string;
    entity_id: number;
    total: number;
    grade: string;
    model_version: number;
  }>(
    `INSERT INTO evaluation (entity_id, model_version, as_of, cycle_id, trigger, total, grade, groups, indicators, effects)
     SELECT e, mv, $1, $2, $3, t, g, gr, ind, ef
     FROM jsonb_to_recordset($4::jsonb) AS x(e int, mv int, t int, g text, gr jsonb, ind jsonb, ef jsonb)
     ON CONFLICT (cycle_id, entity_id) DO NOTHING
     RETURNING id::text, entity_id, total, grade, model_version`,
    [meta.asOf.toISOString(), meta.cycleId, meta.trigger, doc],
  );
  if (!inserted.length) return [];
  const changes = await sql.query<GradeChange & { evaluationId: string }>(
    `WITH input AS (
       SELECT * FROM unnest($1::int[], $2::bigint[], $3::int[], $4::int[], $5::text[]) AS x(entity_id, evaluation_id, model_version, total, grade)
     ), prev AS (
       SELECT s.entity_id, s.grade FROM entity_score s JOIN input i USING (entity_id)
     ), up AS (
       INSERT INTO entity_score (entity_id, evaluation_id, model_version, as_of, total, grade)
       SELECT entity_id, evaluation_id, model_version, $6, total, grade FROM input
       ON CONFLICT (entity_id) DO UPDATE SET evaluation_id = EXCLUDED.evaluation_id, model_version = EXCLUDED.model_version,
         as_of = EXCLUDED.as_of, total = EXCLUDED.total, grade = EXCLUDED.grade
       WHERE entity_score.as_of <= EXCLUDED.as_of
       RETURNING entity_id, evaluation_id, total, grade
     )
     SELECT up.entity_id AS "entityId", up.evaluation_id::text AS "evaluationId", prev.grade AS "from", up.grade AS "to", up.total
     FROM up JOIN prev USING (entity_id)
     WHERE prev.grade <> up.grade`,
    [
      inserted.map((r) => r.entity_id),
      inserted.map((r) => r.id),
      inserted.map((r) => r.model_version),
      inserted.map((r) => r.total),
      inserted.map((r) => r.grade),
      meta.asOf.toISOString(),
    ],
  );
  if (changes.length)
    await sql.query(
      `INSERT INTO outbox (message_id, destination, topic, entity_id, payload)
       SELECT 'grade.changed:' || ev, 'internal', 'grade.changed', e, json_build_object('entityId', e, 'evaluationId', ev, 'from', f, 'to', t, 'total', tot, 'asOf', $6::text, 'trigger', $7::text)::jsonb
       FROM unnest($1::int[], $2::text[], $3::text[], $4::text[], $5::int[]) AS x(e, ev, f, t, tot)
       ON CONFLICT (message_id, destination) DO NOTHING`,
      [
        changes.map((c) => c.entityId),
        changes.map((c) => c.evaluationId),
        changes.map((c) => c.from),
        changes.map((c) => c.to),
        changes.map((c) => c.total),
        meta.asOf.toISOString(),
        meta.trigger,
      ],
    );
  return changes;
}
