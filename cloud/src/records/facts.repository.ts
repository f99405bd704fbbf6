import type { CreditFact, RecordKind, RecordStatus, Severity } from '@heihe/shared';
import type { Sql } from '../db/database';

interface FactRow {
  entity_id: number;
  record_id: number;
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
    recordId: r.record_id,
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

const RANGE_SQL = AS_OF_SQL.replace('entity_id = ANY($1::int[])', 'entity_id BETWEEN $1 AND $3');

type FactArray = [
  number,
  number,
  number,
  RecordKind,
  RecordStatus,
  string | null,
  Severity | null,
  number | null,
  string | null,
  string,
  string,
  string | null,
];

/**
 * Facts of the entities with ids in [from, to], as known at `asOf`: one index range scan, rows
 * read as arrays (the cycle's hot path reads millions of them).
 */
export async function factsInRangeAsOf(
  sql: Sql,
  from: number,
  to: number,
  asOf: Date,
): Promise<Map<number, CreditFact[]>> {
  const out = new Map<number, CreditFact[]>();
  for (const [id] of await sql.arrays<[number]>(`SELECT id FROM entity WHERE id BETWEEN $1 AND $2 ORDER BY id`, [
    from,
    to,
  ]))
    out.set(id, []);
  const rows = await sql.arrays<FactArray>(RANGE_SQL, [from, asOf.toISOString(), to]);
  for (const r of rows)
    out.get(r[0])?.push({
      recordId: r[1],
      version: r[2],
      kind: r[3],
      status: r[4],
      category: r[5],
      severity: r[6],
      amount: r[7],
      grade: r[8],
      occurredOn: r[9],
      validFrom: r[10],
      validTo: r[11],
    });
  return out;
}

/** Facts per entity as they were known at `asOf`; every requested entity gets an entry. */
export async function factsAsOf(sql: Sql, entityIds: number[], asOf: Date): Promise<Map<number, CreditFact[]>> {
  const out = new Map<number, CreditFact[]>(entityIds.map((id) => [id, []]));
  const rows = await sql.query<FactRow>(AS_OF_SQL, [entityIds, asOf.toISOString()]);
  for (const r of rows) out.get(r.entity_id)!.push(toFact(r));
  return out;
}
