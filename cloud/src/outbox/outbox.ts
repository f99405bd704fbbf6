import { RESULT_PUSH_SCHEMAS, type ResultPushTopic } from '@heihe/shared';
import type { Prisma } from '../generated/prisma/client';
import type { Sql } from '../db/database';
import { sealResult, type ResultContent } from './result-payload';

export interface OutboxMessage {
  messageId: string;
  destination: string;
  topic: string;
  entityId: number | null;
  payload: Record<string, unknown>;
}

const json = (payload: Record<string, unknown>) => payload as Prisma.InputJsonObject;

/**
 * Queues one message in the caller's transaction (the transactional outbox): it exists exactly
 * when the decision that causes it committed. (message_id, destination) is unique, so queuing
 * the same message twice is harmless.
 */
export async function enqueue(sql: Sql, m: OutboxMessage): Promise<boolean> {
  const { count } = await sql.prisma.outbox.createMany({
    data: { ...m, payload: json(m.payload) },
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
          select: { industryCode: true, regionCode: true },
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
  const { count } = await sql.prisma.outbox.createMany({
    data: to.map((s) => ({
      messageId: m.messageId,
      destination: `webhook:${s.id}`,
      topic: m.topic,
      entityId: m.entityId,
      payload: json(payload),
    })),
    skipDuplicates: true,
  });
  return count;
}
