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

/**
 * The outbox's rows, and those not in their bucket (ADR 0027 step 3): their entity's, or for a
 * message about no entity the bucket of its message id. Every writer of the outbox must leave the
 * second at 0.
 */
export async function outboxBucketMismatches(db: Database): Promise<{ rows: number; wrong: number }> {
  const [r] = await db.query<{ rows: number; wrong: number }>(
    `SELECT count(*)::int AS rows,
       count(*) FILTER (WHERE o.bucket IS DISTINCT FROM
         CASE WHEN o.entity_id IS NULL THEN uscc_bucket(o.message_id) ELSE e.bucket END)::int AS wrong
     FROM outbox o LEFT JOIN entity e ON e.id = o.entity_id`,
  );
  return r!;
}
