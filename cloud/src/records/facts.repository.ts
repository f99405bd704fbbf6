import type { CreditFact, RecordKind, RecordStatus, Severity } from '@heihe/shared';
import type { Sql } from '../db/database';
import { idOf } from '../db/values';
import { forEachFactInCopy } from './fact-copy';

/** A row of AS_OF_SQL, the raw read below. */
interface FactRow {
  entity_id: number;
  /** BIGINT: a string from node-postgres, a number from PGlite. */
  record_id: number | string;
  version: number;
  kind: RecordKind;
  status: RecordStatus;
  category: string | null;
  severity: Severity | null;
  amount: number | null;
  grade: string | null;
  occurred_on: string;
  valid_from: string;
  valid_to: string | null;
}

/** The version of each record known at `asOf` (system time): a bitemporal "as of" read. */
const AS_OF_SQL = `
  SELECT entity_id, record_id, version, kind::text AS kind, status::text AS status, category,
         severity::text AS severity, amount::float8 AS amount, grade,
         occurred_on::text AS occurred_on, valid_from::text AS valid_from, valid_to::text AS valid_to
  FROM credit_record_version
  WHERE entity_id = ANY($1::int[]) AND recorded_at <= $2
    AND (superseded_at IS NULL OR superseded_at > $2)
  ORDER BY entity_id, record_id`;

function toFact(r: FactRow): CreditFact {
  return {
    recordId: idOf(r.record_id),
    version: r.version,
    kind: r.kind,
    status: r.status,
    category: r.category,
    severity: r.severity,
    amount: r.amount,
    grade: r.grade,
    occurredOn: r.occurred_on,
    validFrom: r.valid_from,
    validTo: r.valid_to,
  };
}

/**
 * The columns the cycle reads, in the order `decodeFact` takes them; the benchmark's read floor
 * copies exactly these.
 */
export const FACT_COLUMNS = `entity_id, record_id, version, kind::text, status::text, category, severity::text,
  amount::float8, grade, occurred_on, valid_from, valid_to`;

/** The record versions current at `asOf` of the entities with ids in [from, to]: the cycle's read. */
export function factsRangeQuery(from: number, to: number, asOf: Date): string {
  if (!Number.isSafeInteger(from) || !Number.isSafeInteger(to)) throw new Error(`bad entity range ${from}..${to}`);
  return factsWhereQuery(`entity_id BETWEEN ${from} AND ${to}`, asOf);
}

/**
 * The record versions current at `asOf` of the entities `entities` selects (a predicate on
 * `entity_id` built from checked literals: COPY takes no parameters).
 */
export function factsWhereQuery(entities: string, asOf: Date): string {
  const at = `'${asOf.toISOString()}'::timestamptz`;
  return `SELECT ${FACT_COLUMNS} FROM credit_record_version
    WHERE ${entities} AND recorded_at <= ${at} AND (superseded_at IS NULL OR superseded_at > ${at})`;
}

/**
 * Calls `fn` with the facts of each of `ids` (sorted, all within [from, to]), as known at `asOf`,
 * in that order: one index range scan copied out in PostgreSQL's binary format, decoded by
 * `forEachFactInCopy`.
 */
export async function forEachFactsInRange(
  sql: Sql,
  ids: readonly number[],
  from: number,
  to: number,
  asOf: Date,
  fn: (entityId: number, facts: CreditFact[]) => void,
): Promise<void> {
  // Raw SQL: binary COPY out, the cycle's read of a whole chunk (ADR 0006).
  forEachFactInCopy(await sql.copyTo(factsRangeQuery(from, to, asOf), 'binary'), ids, from, to, fn);
}

/**
 * Facts of the entities with ids in [from, to], as known at `asOf`; every entity gets an entry.
 * An entity's facts are not necessarily in record order (the engine orders them).
 */
export async function factsInRangeAsOf(
  sql: Sql,
  from: number,
  to: number,
  asOf: Date,
): Promise<Map<number, CreditFact[]>> {
  const out = new Map<number, CreditFact[]>();
  const ids = await sql.prisma.entity.findMany({
    where: { id: { gte: from, lte: to } },
    select: { id: true },
    orderBy: { id: 'asc' },
  });
  await forEachFactsInRange(
    sql,
    ids.map((r) => r.id),
    from,
    to,
    asOf,
    (id, facts) => out.set(id, facts),
  );
  return out;
}

/** Facts per entity as they were known at `asOf`; every requested entity gets an entry. */
export async function factsAsOf(sql: Sql, entityIds: number[], asOf: Date): Promise<Map<number, CreditFact[]>> {
  const out = new Map<number, CreditFact[]>(entityIds.map((id) => [id, []]));
  // Raw SQL: a set-wise read (an ingestion chunk re-scores thousands of entities), and a validity may
  // end on 'infinity', which Prisma's DateTime cannot hold (the text cast keeps it as the domain's).
  const rows = await sql.query<FactRow>(AS_OF_SQL, [entityIds, asOf.toISOString()]);
  for (const r of rows) out.get(r.entity_id)!.push(toFact(r));
  return out;
}
