import type { Effect, Evaluation } from '@heihe/shared';
import { copyText, type Sql } from '../db/database';

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

const COMMA = 0x2c;
const QUOTE = 0x22;
const TAB = 0x09;
const NEWLINE = 0x0a;

/**
 * A growable byte buffer of ASCII text, written without intermediate strings: the cycle encodes
 * ~20 effects per entity, and building them as strings was most of its garbage.
 */
class AsciiOut {
  buf = Buffer.allocUnsafe(1 << 16);
  length = 0;

  private room(n: number): void {
    if (this.length + n <= this.buf.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.length + n));
    this.buf.copy(grown, 0, 0, this.length);
    this.buf = grown;
  }

  byte(c: number): void {
    this.room(1);
    this.buf[this.length++] = c;
  }

  /** ASCII only: every caller writes digits, grade letters, reason codes and ISO instants. */
  text(s: string): void {
    this.room(s.length);
    for (let i = 0; i < s.length; i++) this.buf[this.length++] = s.charCodeAt(i);
  }

  bytes(b: Uint8Array): void {
    this.room(b.length);
    for (let i = 0; i < b.length; i++) this.buf[this.length++] = b[i]!;
  }

  /** Whole numbers in int4 range (points, ids, versions) digit by digit; anything else as String(n). */
  int(n: number): void {
    if (!Number.isInteger(n) || n > 0x7fffffff || n < -0x7fffffff) return this.text(String(n));
    this.room(11);
    const b = this.buf;
    let p = this.length;
    if (n < 0) {
      b[p++] = 0x2d;
      n = -n;
    }
    let digits = 1;
    for (let x = n; x >= 10; x = (x / 10) | 0) digits++;
    p += digits;
    this.length = p;
    do {
      const q = (n / 10) | 0;
      b[--p] = 0x30 + n - q * 10;
      n = q;
    } while (n > 0);
  }
}

/** One effect as `compactEffect` spells it, inside JSON quotes. */
function writeEffect(out: AsciiOut, indicator: number, f: Effect): void {
  out.byte(QUOTE);
  out.int(indicator);
  out.byte(COMMA);
  if (f.recordId !== null) out.int(f.recordId);
  out.byte(COMMA);
  if (f.version !== null) out.int(f.version);
  out.byte(COMMA);
  out.int(f.points);
  out.byte(COMMA);
  out.text(f.reason);
  out.byte(QUOTE);
}

/**
 * The three stored JSON columns of an evaluation — group points, indicator points, effects —
 * separated by `sep`. Every value is a number, or an effect string of numbers and a reason code:
 * nothing needs escaping, in JSON or in COPY text.
 */
function writeStored(out: AsciiOut, ev: Evaluation, sep: string): void {
  out.byte(0x5b);
  ev.groups.forEach((g, i) => {
    if (i) out.byte(COMMA);
    out.int(g.points);
  });
  out.byte(0x5d);
  out.text(sep);
  out.byte(0x5b);
  ev.indicators.forEach((x, i) => {
    if (i) out.byte(COMMA);
    out.int(x.points);
  });
  out.byte(0x5d);
  out.text(sep);
  out.byte(0x5b);
  let first = true;
  ev.indicators.forEach((x, i) => {
    for (const f of x.effects) {
      if (!first) out.byte(COMMA);
      first = false;
      writeEffect(out, i, f);
    }
  });
  for (const g of ev.groups)
    for (const f of g.effects) {
      if (!first) out.byte(COMMA);
      first = false;
      writeEffect(out, -1, f);
    }
  out.byte(0x5d);
}

export interface WriteMeta {
  asOf: Date;
  trigger: string;
  cycleId: number | null;
}

/**
 * What follows the insert of evaluations, as CTEs after `ins` (id, entity_id, total, grade,
 * model_version of the new evaluations): the current scores move forward (never backwards in
 * as-of time), and every grade that moved queues a `grade.changed` message in the outbox (a first
 * score is not a change). `prev` reads entity_score as it was before the statement (one snapshot
 * for all CTEs). Only the changes come back. $1 as-of, $2 cycle id, $3 trigger, $4 as-of as ISO text
 * (for the message; $1 is typed timestamptz by its use).
 */
const PROMOTE_SQL = `
   prev AS (
     SELECT s.entity_id, s.grade FROM entity_score s JOIN ins USING (entity_id)
   ), up AS (
     INSERT INTO entity_score (entity_id, evaluation_id, model_version, as_of, total, grade)
     SELECT entity_id, id, model_version, $1::timestamptz, total, grade FROM ins
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
         'total', total, 'asOf', $4::text, 'trigger', $3::text)::jsonb
     FROM changed
     ON CONFLICT (message_id, destination) DO NOTHING
   )
   SELECT entity_id AS "entityId", evaluation_id AS "evaluationId", from_grade AS "from", to_grade AS "to", total
   FROM changed`;

/**
 * Writes evaluations set-wise, moves each entity's current score forward (never backwards in
 * as-of time), and queues a `grade.changed` message in the outbox for every grade that moved (a
 * first score is not a change) — all in the caller's transaction. One statement, the evaluations
 * as one JSON document. The path for a few entities at a time (re-scores); a cycle chunk uses
 * {@link EvaluationCopy}.
 */
export async function writeEvaluations(sql: Sql, items: NewEvaluation[], meta: WriteMeta): Promise<GradeChange[]> {
  if (!items.length) return [];
  const out = new AsciiOut();
  out.byte(0x5b);
  items.forEach(({ entityId, evaluation: ev }, i) => {
    out.text(`${i ? ',' : ''}{"e":${entityId},"mv":${ev.modelVersion},"t":${ev.total},"g":"${ev.grade}","s":[`);
    writeStored(out, ev, ',');
    out.text(']}');
  });
  out.byte(0x5d);
  return sql.query<GradeChange>(
    `WITH ins AS (
       INSERT INTO evaluation (entity_id, model_version, as_of, cycle_id, trigger, total, grade, groups, indicators, effects)
       SELECT (x->>'e')::int, (x->>'mv')::int, $1, $2, $3, (x->>'t')::int, x->>'g', x->'s'->0, x->'s'->1, x->'s'->2
       FROM json_array_elements($5::json) x
       ON CONFLICT (cycle_id, entity_id) DO NOTHING
       RETURNING id, entity_id, total, grade, model_version
     ), ${PROMOTE_SQL}`,
    [
      meta.asOf.toISOString(),
      meta.cycleId,
      meta.trigger,
      meta.asOf.toISOString(),
      out.buf.toString('latin1', 0, out.length),
    ],
  );
}

const EVALUATION_COLUMNS = [
  'entity_id',
  'model_version',
  'as_of',
  'cycle_id',
  'trigger',
  'total',
  'grade',
  'groups',
  'indicators',
  'effects',
] as const;

/**
 * A cycle chunk's evaluations as COPY text rows, then written with one COPY into `evaluation` and
 * one statement for the current scores and the outbox. Each entity is encoded as soon as it is
 * scored into a Buffer (off the JS heap), so no string per entity outlives it: a chunk's strings
 * held to the end were most of the garbage collector's work.
 */
export class EvaluationCopy {
  private readonly out = new AsciiOut();
  private readonly ids: number[] = [];
  /** The columns every row of the chunk shares, as COPY text: as-of, cycle, trigger. */
  private readonly shared: Buffer;

  constructor(private readonly meta: WriteMeta & { cycleId: number }) {
    this.shared = Buffer.from(`\t${meta.asOf.toISOString()}\t${meta.cycleId}\t${copyText(meta.trigger)}\t`, 'utf8');
  }

  get count(): number {
    return this.ids.length;
  }

  add(entityId: number, ev: Evaluation): void {
    const out = this.out;
    out.int(entityId);
    out.byte(TAB);
    out.int(ev.modelVersion);
    out.bytes(this.shared);
    out.int(ev.total);
    out.byte(TAB);
    out.text(ev.grade);
    out.byte(TAB);
    writeStored(out, ev, '\t');
    out.byte(NEWLINE);
    this.ids.push(entityId);
  }

  /**
   * Writes the chunk: evaluations by COPY, then current scores and outbox rows from what was
   * written (every evaluation of this cycle for entities in [from, to]). No ON CONFLICT here: the
   * chunk's row lock and done-mark make a second write of the same (cycle, entity) impossible, and
   * if one came, the unique index would fail the chunk's transaction rather than double it.
   */
  async write(sql: Sql, from: number, to: number): Promise<GradeChange[]> {
    if (!this.ids.length) return [];
    await sql.copyFrom('evaluation', EVALUATION_COLUMNS, this.out.buf.subarray(0, this.out.length));
    return sql.query<GradeChange>(
      `WITH ins AS (
         SELECT id, entity_id, total, grade, model_version FROM evaluation WHERE cycle_id = $2 AND entity_id BETWEEN $5 AND $6
       ), ${PROMOTE_SQL}`,
      [this.meta.asOf.toISOString(), this.meta.cycleId, this.meta.trigger, this.meta.asOf.toISOString(), from, to],
    );
  }
}
