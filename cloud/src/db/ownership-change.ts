import type { Sql } from './database';

/**
 * The advisory lock of stored ownership penetrations (ADR 0022): a reader storing one tries it
 * exclusively (`InvestRepository.lockOwnershipStore`), a writer of holdings takes it shared.
 */
export const OWNERSHIP_LOCK = [727280, 0] as const;

/** What a write changed that a stored penetration may have read. */
export interface OwnershipWrite {
  /** Companies whose shareholder rows were inserted, updated or deleted. */
  companies?: readonly number[] | null;
  /** USCCs of newly registered entities: the companies they hold, known until now by USCC only, read them anew. */
  registered?: readonly string[] | null;
}

/**
 * Queues the change of a write to `shareholder` or `entity` in the writer's transaction, after the
 * write (ADR 0022): takes the lock shared, then queues the changed companies in `ownership_change`
 * when a stored result's `members` overlap them. Every writer of holdings and registrations calls it
 * (ingestion once per chunk); the queue is written by the writer's statements, not by triggers on
 * the tables, which Citus would run on the shard's node, without the coordinator's tables (ADR 0027).
 * The lock is taken in a statement of its own, before the one that reads `ownership_result`, so that
 * statement sees whatever a reader stored until the writer got the lock.
 */
export async function queueOwnershipChange(sql: Pick<Sql, 'query'>, w: OwnershipWrite): Promise<void> {
  const companies = w.companies ?? [];
  const registered = w.registered ?? [];
  if (!companies.length && !registered.length) return;
  // Raw SQL: an advisory lock, which the client has no API for; then one set-wise statement.
  await sql.query(`SELECT pg_advisory_xact_lock_shared(${OWNERSHIP_LOCK[0]}, ${OWNERSHIP_LOCK[1]})`);
  await sql.query(
    `WITH c AS (
       SELECT array_agg(DISTINCT x) AS ids FROM (
         SELECT unnest($1::int[]) AS x
         UNION ALL
         SELECT s.entity_id FROM shareholder s
         WHERE s.holder_uscc = ANY($2::text[]) AND s.holder_person_id IS NULL) u
     )
     INSERT INTO ownership_change (entity_ids)
     SELECT ids FROM c WHERE ids IS NOT NULL AND EXISTS (SELECT 1 FROM ownership_result o WHERE o.members && c.ids)`,
    [companies, registered],
  );
}
