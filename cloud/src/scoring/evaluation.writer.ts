import { AppError, ErrorCodes, type Evaluation } from '@heihe/shared';
import type { Sql } from '../db/database';
import { BUCKETS, bucketPredicate } from '../db/shard';
import { factsWhereQuery } from '../records';
import {
  EVALUATION_COLUMNS,
  EvaluationEncoder,
  type EncodeMeta,
  type EncodedEvaluations,
  type EncoderSlots,
} from './evaluation.encoding';

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
 * The entities about to be scored, in the order their evaluations will be added: each one's bucket,
 * its grade before (null: never scored) and the id its evaluation will have (reserved from the
 * sequence, so the evaluation, the current score and the grade-change message are written without
 * reading anything back).
 */
export interface ScoreSlots extends EncoderSlots {
  entityIds: number[];
  buckets: number[];
  previous: (string | null)[];
  evaluationIds: string[];
}

function slots(rows: [number, number, string | null, string][]): ScoreSlots {
  return {
    entityIds: rows.map((r) => r[0]),
    buckets: rows.map((r) => r[1]),
    previous: rows.map((r) => r[2]),
    evaluationIds: rows.map((r) => r[3]),
  };
}

/** A cycle chunk's entities: those of buckets fromBucket..toBucket with ids from..to (ADR 0020). */
export interface ChunkEntities {
  fromBucket: number;
  toBucket: number;
  from: number;
  to: number;
}

/** Whether the chunk's group is every bucket (one node, one group: the default). */
function allBuckets(c: ChunkEntities): boolean {
  return c.fromBucket === 0 && c.toBucket === BUCKETS - 1;
}

/**
 * The chunk's entities as a predicate on a table with `entity_id` and `bucket` columns: its id
 * range, and its buckets when they are not all of them (with one group the bucket adds nothing).
 */
function chunkPredicate(c: ChunkEntities): string {
  for (const v of [c.from, c.to]) if (!Number.isSafeInteger(v)) throw new Error(`bad chunk ${JSON.stringify(c)}`);
  const ids = `entity_id BETWEEN ${c.from} AND ${c.to}`;
  if (allBuckets(c)) return ids;
  return `${bucketPredicate('bucket', c.fromBucket, c.toBucket)} AND ${ids}`;
}

/**
 * Slots for every entity of a cycle chunk, in id order. Every entity has its entity_score row from
 * registration (empty until its first score), so the rows of the chunk are its entities.
 */
export async function slotsInChunk(sql: Sql, c: ChunkEntities): Promise<ScoreSlots> {
  // Raw SQL: the cycle's hot path; a chunk's rows as arrays, with ids drawn from the sequence in the same read.
  return slots(await sql.arrays<[number, number, string | null, string]>(slotsInChunkQuery(c)));
}

/** `slotsInChunk`'s statement. */
export function slotsInChunkQuery(c: ChunkEntities): string {
  return `SELECT entity_id, bucket, grade::text, nextval('evaluation_id_seq')::text
    FROM entity_score WHERE ${chunkPredicate(c)} ORDER BY entity_id`;
}

/**
 * The record versions current at `asOf` of a chunk's entities: the cycle's read, one binary COPY
 * (ADR 0006; COPY takes no parameters: the literals are checked integers and an ISO instant).
 */
export function chunkFactsQuery(c: ChunkEntities, asOf: Date): string {
  return factsWhereQuery(chunkPredicate(c), asOf);
}

/** Slots for the given entities, in the given order: a re-score's. Every one must be registered. */
export async function slotsFor(sql: Sql, entityIds: number[]): Promise<ScoreSlots> {
  // Raw SQL: set-wise, in the caller's order, with ids drawn from the sequence in the same read.
  const found = slots(
    await sql.arrays<[number, number, string | null, string]>(
      `SELECT u.id, s.bucket, s.grade::text, nextval('evaluation_id_seq')::text
       FROM unnest($1::int[]) WITH ORDINALITY AS u(id, n) JOIN entity_score s ON s.entity_id = u.id ORDER BY u.n`,
      [entityIds],
    ),
  );
  if (found.entityIds.length !== entityIds.length) {
    const missing = entityIds.filter((id) => !found.entityIds.includes(id));
    throw new AppError(ErrorCodes.NOT_FOUND, `主体 ${missing.join('、')} 不存在，无法评分`);
  }
  return found;
}

/**
 * After the evaluations are in: the current scores move forward (never backwards in as-of time)
 * and every grade that moved queues a `grade.changed` message in the outbox (a first score is not
 * a change). Every entity has its row already (empty before its first score), so this is one
 * update: it leaves entity_id alone, so it checks no foreign key, and entity_score leaves room in
 * its pages (fillfactor) and indexes only entity_id, so the update stays on the row's page (a HOT
 * update) and touches no index. Only the changes come back.
 *
 * $1 entity ids, $2 evaluation ids, $3 totals, $4 grades, $5 grades before (null: first score),
 * $6 model version, $7 as-of, $8..$9 the least and greatest entity id (so the update reads only
 * that range of entity_score), $10 trigger, $11 as-of as ISO text (for the message), $12 the least
 * bucket and, when the batch has more than one, $13 the greatest (ADR 0025: the statement names its
 * buckets, by equality when it is one, so a partitioned or distributed entity_score routes it). Each
 * message takes its entity's bucket from the score row (ADR 0027 step 3), so on a distributed outbox
 * a one-bucket batch's messages are written on the node of its scores.
 */
const promoteSql = (buckets: string) => `
  WITH x AS (
    SELECT * FROM unnest($1::int[], $2::bigint[], $3::int[], $4::text[], $5::text[])
      AS x(entity_id, evaluation_id, total, grade, previous)
  ), up AS (
    UPDATE entity_score s SET evaluation_id = x.evaluation_id, model_version = $6, as_of = $7::timestamptz,
      total = x.total, grade = x.grade
    FROM x
    WHERE s.entity_id = x.entity_id AND ${buckets} AND s.entity_id BETWEEN $8 AND $9
      AND (s.as_of IS NULL OR s.as_of <= $7::timestamptz)
    RETURNING s.entity_id, s.bucket, x.evaluation_id, x.total, x.grade, x.previous
  ), changed AS (
    SELECT entity_id, bucket, evaluation_id::text AS evaluation_id, previous AS from_grade, grade AS to_grade, total
    FROM up WHERE previous <> grade
  ), queued AS (
    INSERT INTO outbox (message_id, destination, topic, entity_id, bucket, payload)
    SELECT 'grade.changed:' || evaluation_id, 'internal', 'grade.changed', entity_id, bucket,
      json_build_object('entityId', entity_id, 'evaluationId', evaluation_id, 'from', from_grade, 'to', to_grade,
        'total', total, 'asOf', $11::text, 'trigger', $10::text)::jsonb
    FROM changed
    ON CONFLICT (message_id, destination, bucket) DO NOTHING
  )
  SELECT entity_id AS "entityId", evaluation_id AS "evaluationId", from_grade AS "from", to_grade AS "to", total
  FROM changed`;
const PROMOTE_ONE_BUCKET = promoteSql('s.bucket = $12');
const PROMOTE_BUCKETS = promoteSql('s.bucket BETWEEN $12 AND $13');

/** The score update for a batch whose buckets are lo..hi (see promoteSql for its parameters). */
export function promoteQuery(lo: number, hi: number): string {
  return lo === hi ? PROMOTE_ONE_BUCKET : PROMOTE_BUCKETS;
}

/**
 * Writes a batch of encoded evaluations in the caller's transaction: one COPY into `evaluation`,
 * then one statement for the current scores and the outbox. No ON CONFLICT on the evaluations: a
 * cycle chunk's row lock and done-mark make a second write of the same (cycle, entity) impossible,
 * and if one came, the unique index would fail the transaction rather than double it.
 */
export async function writeEncoded(
  sql: Sql,
  meta: EncodeMeta,
  slots: ScoreSlots,
  encoded: EncodedEvaluations,
): Promise<GradeChange[]> {
  const n = encoded.totals.length;
  if (!n) return [];
  const copy = Buffer.from(encoded.copy.buffer, encoded.copy.byteOffset, encoded.copy.byteLength);
  // Raw SQL: binary COPY, the cycle's write path (ADR 0006).
  await sql.copyFrom('evaluation', EVALUATION_COLUMNS, copy, 'binary');
  const ids = slots.entityIds;
  const buckets = slots.buckets;
  let lo = ids[0]!;
  let hi = ids[0]!;
  let bLo = buckets[0]!;
  let bHi = buckets[0]!;
  for (let i = 1; i < n; i++) {
    if (ids[i]! < lo) lo = ids[i]!;
    if (ids[i]! > hi) hi = ids[i]!;
    if (buckets[i]! < bLo) bLo = buckets[i]!;
    if (buckets[i]! > bHi) bHi = buckets[i]!;
  }
  const asOf = meta.asOf.toISOString();
  // Raw SQL: one set-wise statement for the scores and the outbox (see promoteSql).
  return sql.query<GradeChange>(promoteQuery(bLo, bHi), [
    arrayLiteral(ids, n),
    arrayLiteral(slots.evaluationIds, n),
    arrayLiteral(encoded.totals, n),
    arrayLiteral(encoded.grades, n),
    arrayLiteral(slots.previous, n),
    encoded.modelVersion,
    asOf,
    lo,
    hi,
    meta.trigger,
    asOf,
    bLo,
    ...(bLo === bHi ? [] : [bHi]),
  ]);
}

/**
 * The first `n` values as a PostgreSQL array literal, written directly: every value here is a
 * number, a string of digits or a grade letter (nothing to quote), and pg's own array encoding
 * quotes and escapes each element — a measurable part of a chunk's write.
 */
function arrayLiteral(values: readonly (number | string | null)[], n: number): string {
  let s = '{';
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (typeof v === 'string' && !/^[0-9A-Z]+$/.test(v)) throw new Error(`not a plain array element: ${v}`);
    s += (i ? ',' : '') + (v === null || v === undefined ? 'NULL' : String(v));
  }
  return `${s}}`;
}

/**
 * Writes the evaluations of a few entities (a re-score), moves their current scores forward and
 * queues their grade changes, in the caller's transaction.
 */
export async function writeEvaluations(sql: Sql, items: NewEvaluation[], meta: EncodeMeta): Promise<GradeChange[]> {
  if (!items.length) return [];
  const slots = await slotsFor(
    sql,
    items.map((i) => i.entityId),
  );
  const encoder = new EvaluationEncoder(meta, slots);
  for (const { entityId, evaluation } of items) encoder.add(entityId, evaluation);
  return writeEncoded(sql, meta, slots, encoder.done());
}
