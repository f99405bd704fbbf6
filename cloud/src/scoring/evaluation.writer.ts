import type { Effect, Evaluation } from '@heihe/shared';
import type { Sql } from '../db/database';

/**
 * One stored effect: `"indicator,recordId,version,points,reason"` (recordId and version empty for
 * an effect of the rule itself; indicator -1 for a group cap), e.g. `"5,8,1,-15,decay"`. A string
 * per effect rather than a five-element array: PostgreSQL parses a JSON string into jsonb several
 * times faster than five numbers (each a `numeric`), and the cycle writes ~20 effects per entity —
 * with arrays, parsing the chunk's document was half of its write.
 */
export type CompactEffect = string;

function compactEffect(indicator: number, f: Effect): CompactEffect {
  return `${indicator},${f.recordId ?? ''},${f.version ?? ''},${f.points},${f.reason}`;
}

/** The stored explanation: every effect of every indicator (and group caps, indicator -1). */
export function compactEffects(e: Evaluation): CompactEffect[] {
  const out: CompactEffect[] = [];
  e.indicators.forEach((ind, i) => {
    for (const f of ind.effects) out.push(compactEffect(i, f));
  });
  for (const g of e.groups) for (const f of g.effects) out.push(compactEffect(-1, f));
  return out;
}

/** Whether a stored explanation is exactly the one `e` gives. */
export function sameEffects(e: Evaluation, stored: unknown): boolean {
  const now = compactEffects(e);
  return Array.isArray(stored) && stored.length === now.length && stored.every((x, i) => x === now[i]);
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
 * One evaluation as an element of the document `writeEncodedEvaluations` takes. Built by hand:
 * every value is a number, a grade letter or an effect string of numbers and a reason code, none
 * of which needs escaping.
 */
export function encodeEvaluation(entityId: number, ev: Evaluation): string {
  let ind = '';
  let ef = '';
  ev.indicators.forEach((x, i) => {
    ind += ind ? `,${x.points}` : `${x.points}`;
    for (const f of x.effects) ef += `${ef ? ',' : ''}"${compactEffect(i, f)}"`;
  });
  let gr = '';
  for (const g of ev.groups) {
    gr += gr ? `,${g.points}` : `${g.points}`;
    for (const f of g.effects) ef += `${ef ? ',' : ''}"${compactEffect(-1, f)}"`;
  }
  return `{"e":${entityId},"mv":${ev.modelVersion},"t":${ev.total},"g":"${ev.grade}","gr":[${gr}],"ind":[${ind}],"ef":[${ef}]}`;
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
  return writeEncodedEvaluations(
    sql,
    items.map((i) => encodeEvaluation(i.entityId, i.evaluation)),
    meta,
  );
}

/** writeEvaluations for evaluations already encoded one by one (`encodeEvaluation`). */
export async function writeEncodedEvaluations(
  sql: Sql,
  parts: string[],
  meta: { asOf: Date; trigger: string; cycleId: number | null },
): Promise<GradeChange[]> {
  if (!parts.length) return [];
  // One JSON document for the whole set: PostgreSQL parses it natively, and nothing is escaped
  // row by row into array literals. Parsed once as jsonb and taken apart with -> (no second parse
  // per column, which jsonb_to_recordset's jsonb columns cost: ~30% of the insert).
  const doc = `[${parts.join(',')}]`;
  // One statement: the evaluations, the current scores (never moved backwards in as-of time), and
  // an outbox row for every grade that moved. `prev` reads entity_score as it was before the
  // statement (one snapshot for all CTEs), so a first score is not a change. Nothing travels back
  // to Node but the changes.
  return sql.query<GradeChange>(
    `WITH ins AS (
       INSERT INTO evaluation (entity_id, model_version, as_of, cycle_id, trigger, total, grade, groups, indicators, effects)
       SELECT (x->>'e')::int, (x->>'mv')::int, $1, $2, $3, (x->>'t')::int, x->>'g', x->'gr', x->'ind', x->'ef'
       FROM jsonb_array_elements($4::jsonb) x
       ON CONFLICT (cycle_id, entity_id) DO NOTHING
       RETURNING id, entity_id, total, grade, model_version
     ), prev AS (
       SELECT s.entity_id, s.grade FROM entity_score s JOIN ins USING (entity_id)
     ), up AS (
       INSERT INTO entity_score (entity_id, evaluation_id, model_version, as_of, total, grade)
       SELECT entity_id, id, model_version, $1, total, grade FROM ins
       ON CONFLICT (entity_id) DO UPDATE SET evaluation_id = EXCLUDED.evaluation_id, model_version = EXCLUDED.model_version,
         as_of = EXCLUDED.as_of, total = EXCLUDED.total, grade = EXCLUDED.grade
       WHERE entity_score.as_of <= EXCLUDED.as_of
       RETURNING entity_id, evaluation_id, total, grade
     ), changed AS (
       SELECT up.entity_id, up.evaluation_id::text AS evaluation_id, prev.grade AS from_grade, up.grade AS to_grade, up.total
       FROM up JOIN prev USING (entity_id)
       WHERE prev.grade <> up.grade
     ), queued AS (
       INSERT INTO outbox (message_id, destination, topic, entity_id, payload)
       SELECT 'grade.changed:' || evaluation_id, 'internal', 'grade.changed', entity_id,
         json_build_object('entityId', entity_id, 'evaluationId', evaluation_id, 'from', from_grade, 'to', to_grade,
           'total', total, 'asOf', $5::text, 'trigger', $3::text)::jsonb
       FROM changed
       ON CONFLICT (message_id, destination) DO NOTHING
     )
     SELECT entity_id AS "entityId", evaluation_id AS "evaluationId", from_grade AS "from", to_grade AS "to", total
     FROM changed`,
    [meta.asOf.toISOString(), meta.cycleId, meta.trigger, doc, meta.asOf.toISOString()],
  );
}
