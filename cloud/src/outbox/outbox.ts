import type { Sql } from '../db/database';

export interface OutboxMessage {
  messageId: string;
  destination: string;
  topic: string;
  entityId: number | null;
  payload: Record<string, unknown>;
}

/**
 * Queues one message in the caller's transaction (the transactional outbox): it exists exactly
 * when the decision that causes it committed. (message_id, destination) is unique, so queuing
 * the same message twice is harmless.
 */
export async function enqueue(sql: Sql, m: OutboxMessage): Promise<boolean> {
  const rows = await sql.query(
    `INSERT INTO outbox (message_id, destination, topic, entity_id, payload) VALUES ($1, $2, $3, $4, $5::jsonb)
     ON CONFLICT (message_id, destination) DO NOTHING RETURNING id`,
    [m.messageId, m.destination, m.topic, m.entityId, JSON.stringify(m.payload)],
  );
  return rows.length > 0;
}

/**
 * Queues a notice for every regulator department subscribed to the entity's industry or region
 * (each prefix that is set must match), one row per subscription, all with the same stable
 * message ID. Returns how many departments will be told.
 */
export async function noticeRegulators(
  sql: Sql,
  m: { messageId: string; topic: string; entityId: number; payload: Record<string, unknown> },
): Promise<number> {
  const rows = await sql.query(
    `INSERT INTO outbox (message_id, destination, topic, entity_id, payload)
     SELECT $1, 'webhook:' || s.id, $2, e.id, $4::jsonb
     FROM regulator_subscription s JOIN entity e ON e.id = $3
     WHERE s.disabled_at IS NULL
       AND (s.industry_prefix IS NULL OR e.industry_code LIKE s.industry_prefix || '%')
       AND (s.region_prefix IS NULL OR e.region_code LIKE s.region_prefix || '%')
     ON CONFLICT (message_id, destination) DO NOTHING RETURNING id`,
    [m.messageId, m.topic, m.entityId, JSON.stringify(m.payload)],
  );
  return rows.length;
}
