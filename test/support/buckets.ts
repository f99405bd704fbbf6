import type { Database } from '../../cloud/src/db/database';

/** The tables that carry their entity's bucket (ADR 0025): a chunk's, then the entity's relations. */
export const BUCKETED = [
  'credit_record',
  'credit_record_version',
  'evaluation',
  'entity_score',
  'shareholder',
  'investment',
  'financing',
  'entity_person',
] as const;

/**
 * Per table: its rows, and those whose bucket is not their entity's. Every writer (ingestion, the
 * cycle, re-scores, corrections, confirmed reports) must leave the second at 0.
 */
export async function bucketMismatches(db: Database): Promise<Record<string, { rows: number; wrong: number }>> {
  const out: Record<string, { rows: number; wrong: number }> = {};
  for (const table of BUCKETED) {
    const [r] = await db.query<{ rows: number; wrong: number }>(
      `SELECT count(*)::int AS rows, count(*) FILTER (WHERE t.bucket IS DISTINCT FROM e.bucket)::int AS wrong
       FROM ${table} t LEFT JOIN entity e ON e.id = t.entity_id`,
    );
    out[table] = r!;
  }
  return out;
}
