import { RESULT_PUSH_SCHEMAS, type ResultPushTopic } from '@heihe/shared';
import type { Prisma } from '../generated/prisma/client';
import type { Sql } from '../db/database';
import { stringBucket } from '../db/shard';
import { sealResult, type ResultContent } from './result-payload';

export interface OutboxMessage {
  messageId: string;
  destination: string;
  topic: string;
  entityId: number | null;
  payload: Record<string, unknown>;
}

const json = (payload: Record<string, unknown>) => payload as Prisma.InputJsonObject;

/** A message's bucket from its entity as read (null: a message about no entity, by its id's hash). */
function bucketOf(messageId: string, entity: { bucket: number } | null): number {
  return entity ? entity.bucket : stringBucket(messageId);
}

/**
 * The bucket an outbox row lives in (ADR 0027 step 3): its entity's, read by id (one index probe on one node; a probe per shard on Citus),
 * or for a message about no entity (a cycle, a model) the bucket of its message id. Every writer of
 * the outbox that is not handed the bucket by its caller gets it here.
 */
export async function messageBucket(sql: Sql, m: { messageId: string; entityId: number | null }): Promise<number> {
  if (m.entityId === null) return bucketOf(m.messageId, null);
  const entity = await sql.prisma.entity.findFirst({ where: { id: m.entityId }, select: { bucket: true } });
  if (!entity) throw new Error(`outbox message ${m.messageId}: entity ${m.entityId} does not exist`);
  return bucketOf(m.messageId, entity);
}

/**
 * Queues one message in the caller's transaction (the transactional outbox): it exists exactly
 * when the decision that causes it committed. (message_id, destination, bucket) is unique and the
 * bucket a function of the message, so queuing the same message twice is harmless.
 */
export async function enqueue(sql: Sql, m: OutboxMessage): Promise<boolean> {
  const { count } = await sql.prisma.outbox.createMany({
    data: { ...m, bucket: await messageBucket(sql, m), payload: json(m.payload) },
    skipDuplicates: true,
  });
  return count > 0;
}

/** A subscription prefix matches a code it starts; an unset one matches every code. */
const matches = (prefix: string | null, code: string) => prefix === null || code.startsWith(prefix);

/**
 * Queues a result for every regulator department subscribed to the entity's industry or region
 * (each prefix that is set must match; a result about no one entity — a cycle, a model — goes to
 * every department), one row per subscription, all with the same stable message ID. The payload
 * leaves sealed (`sealResult`: its hash and the advisory notice) and is checked against its topic's
 * published schema first, so no department receives a result without them. Returns how many
 * departments will be told.
 */
export async function noticeRegulators(
  sql: Sql,
  m: { messageId: string; topic: ResultPushTopic; entityId: number | null; payload: ResultContent },
): Promise<number> {
  const entity =
    m.entityId === null
      ? null
      : await sql.prisma.entity.findFirst({
          where: { id: m.entityId },
          select: { industryCode: true, regionCode: true, bucket: true },
        });
  if (m.entityId !== null && !entity) return 0;
  const payload = RESULT_PUSH_SCHEMAS[m.topic].parse(sealResult(m.payload)) as Record<string, unknown>;
  // A city has a handful of departments: all of them are read and matched here.
  const subscriptions = await sql.prisma.regulatorSubscription.findMany({
    where: { disabledAt: null },
    select: { id: true, industryPrefix: true, regionPrefix: true },
    orderBy: { id: 'asc' },
  });
  const to = entity
    ? subscriptions.filter(
        (s) => matches(s.industryPrefix, entity.industryCode) && matches(s.regionPrefix, entity.regionCode),
      )
    : subscriptions;
  if (!to.length) return 0;
  const bucket = bucketOf(m.messageId, entity);
  const { count } = await sql.prisma.outbox.createMany({
    data: to.map((s) => ({
      messageId: m.messageId,
      destination: `webhook:${s.id}`,
      topic: m.topic,
      entityId: m.entityId,
      bucket,
      payload: json(payload),
    })),
    skipDuplicates: true,
  });
  return count;
}
