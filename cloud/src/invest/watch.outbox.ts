import { CATEGORY_LABELS, INVEST_NOTICE, RECORD_KIND_LABELS, watchAlertPushSchema } from '@heihe/shared';
import type { Prisma } from '../generated/prisma/client';
import type { Sql } from '../db/database';
import { messageBucket, type OutboxContribution } from '../outbox';

/** The internal `grade.changed` message, as the evaluation writer queues it. */
interface GradeChanged {
  entityId: number;
  evaluationId: string;
  from: string;
  to: string;
  total: number;
  asOf: string;
}

/**
 * The internal `record.negative` message, as the trigger on credit_record_version queues it (and
 * `invest.watch.record`, which its earlier trigger queued for watched entities only: rows still
 * queued at migration `triggers_to_relay` are handled alike).
 */
interface WatchedRecord {
  versionId: number;
  recordId: number;
  entityId: number;
  kind: string;
  category: string | null;
  severity: 'minor' | 'general' | 'serious' | null;
  status: string;
  occurredOn: string;
  recordedAt: string;
  summary: string | null;
  authority: string | null;
}

const SEVERITY = { minor: '轻微', general: '一般', serious: '严重' } as const;

/** The webhook topic a department receives an officer's alert under. */
export const WATCH_ALERT_TOPIC = 'invest.watch_alert';

interface Cause {
  entityId: number;
  kind: 'grade_changed' | 'negative_record';
  causeKey: string;
  occurredAt: Date;
  detail: Record<string, unknown>;
  message: string;
}

/**
 * Raises the alerts of one event in the handler's transaction: one per watch whose related set
 * holds the entity (an indexed read of watch_scope), unique on (watch, cause), so a message handled
 * again after a crash adds nothing. An officer whose department (staff_account's regulator
 * subscription, enabled) is set also has the alert queued to that department's webhook, with a
 * message ID per (watch, cause) that receivers de-duplicate on.
 */
export async function raiseWatchAlerts(sql: Sql, c: Cause): Promise<number> {
  const scopes = await sql.prisma.watchScope.findMany({
    where: { entityId: c.entityId },
    select: { distance: true, watch: { select: { id: true, staffId: true, entityId: true } } },
    orderBy: { watchId: 'asc' },
  });
  if (!scopes.length) return 0;
  const { count } = await sql.prisma.watchAlert.createMany({
    data: scopes.map((s) => ({
      watchId: s.watch.id,
      staffId: s.watch.staffId,
      watchedEntityId: s.watch.entityId,
      entityId: c.entityId,
      distance: s.distance,
      kind: c.kind,
      causeKey: c.causeKey,
      detail: { ...c.detail, message: c.message } as Prisma.InputJsonObject,
      occurredAt: c.occurredAt,
    })),
    skipDuplicates: true,
  });

  const officers = await sql.prisma.staffAccount.findMany({
    where: {
      id: { in: [...new Set(scopes.map((s) => s.watch.staffId))] },
      departmentSubscriptionId: { not: null },
      disabledAt: null,
    },
    select: { id: true, username: true, departmentSubscriptionId: true },
  });
  if (!officers.length) return count;
  const departments = new Set(
    (
      await sql.prisma.regulatorSubscription.findMany({
        where: { id: { in: officers.map((o) => o.departmentSubscriptionId!) }, disabledAt: null },
        select: { id: true },
      })
    ).map((d) => d.id),
  );
  const officerOf = new Map(officers.filter((o) => departments.has(o.departmentSubscriptionId!)).map((o) => [o.id, o]));
  if (!officerOf.size) return count;
  const cards = new Map(
    (
      await sql.prisma.entity.findMany({
        where: { id: { in: [c.entityId, ...scopes.map((s) => s.watch.entityId)] } },
        select: { id: true, uscc: true, name: true },
      })
    ).map((e) => [e.id, { uscc: e.uscc, name: e.name }]),
  );
  const rows = scopes.flatMap((s) => {
    const o = officerOf.get(s.watch.staffId);
    if (!o) return [];
    // Checked against the published shape, so no department receives an alert without the notice.
    const payload = watchAlertPushSchema.parse({
      alertKind: c.kind,
      watchId: s.watch.id,
      officer: o.username,
      watched: cards.get(s.watch.entityId) ?? null,
      entity: cards.get(c.entityId) ?? null,
      distance: s.distance,
      message: c.message,
      occurredAt: c.occurredAt.toISOString(),
      detail: c.detail,
      notice: INVEST_NOTICE,
    });
    return [
      {
        messageId: `${WATCH_ALERT_TOPIC}:${s.watch.id}:${c.causeKey}`,
        destination: `webhook:${o.departmentSubscriptionId}`,
        topic: WATCH_ALERT_TOPIC,
        entityId: c.entityId,
        payload: payload as unknown as Prisma.InputJsonObject,
      },
    ];
  });
  if (rows.length) {
    // Every alert is about the same entity: its bucket is theirs.
    const bucket = await messageBucket(sql, { messageId: rows[0]!.messageId, entityId: c.entityId });
    await sql.prisma.outbox.createMany({ data: rows.map((r) => ({ ...r, bucket })), skipDuplicates: true });
  }
  return count;
}

export function gradeChangeCause(p: GradeChanged): Cause {
  return {
    entityId: p.entityId,
    kind: 'grade_changed',
    causeKey: `grade:${p.evaluationId}`,
    occurredAt: new Date(p.asOf),
    detail: { fromGrade: p.from, toGrade: p.to, total: p.total, evaluationId: p.evaluationId },
    message: `信用等级由 ${p.from} 级调整为 ${p.to} 级（${p.total} 分）`,
  };
}

export function recordCause(p: WatchedRecord): Cause {
  const what = [
    RECORD_KIND_LABELS[p.kind as keyof typeof RECORD_KIND_LABELS] ?? p.kind,
    p.category ? (CATEGORY_LABELS[p.category] ?? p.category) : null,
    p.severity ? `${SEVERITY[p.severity]}` : null,
  ]
    .filter(Boolean)
    .join(' · ');
  return {
    entityId: p.entityId,
    kind: 'negative_record',
    causeKey: `record:${p.versionId}`,
    occurredAt: new Date(p.recordedAt),
    detail: {
      recordId: p.recordId,
      versionId: p.versionId,
      recordKind: p.kind,
      category: p.category,
      severity: p.severity,
      occurredOn: p.occurredOn,
      underObjection: p.status === 'under_objection',
      summary: p.summary,
      authority: p.authority,
    },
    message: `新增负面记录：${what}（${p.occurredOn}）${p.summary ? `，${p.summary}` : ''}`,
  };
}

/**
 * What 精准招商 hands the outbox relay: a grade change (the evaluation writer's internal message,
 * however the re-score came) and a new negative record (the trigger's message) on a watched
 * entity or its related set become alerts. Handlers run in the message's transaction, which also
 * marks it handled: all the alerts of a message, or none, and never twice (ADR 0021).
 */
export function investOutbox(): OutboxContribution {
  return {
    from: 'invest',
    handlers: {
      'grade.changed': async (sql, m) => {
        await raiseWatchAlerts(sql, gradeChangeCause(m.payload as unknown as GradeChanged));
      },
      'record.negative': async (sql, m) => {
        await raiseWatchAlerts(sql, recordCause(m.payload as unknown as WatchedRecord));
      },
      // Queued by the trigger before migration `triggers_to_relay`; none is queued since.
      'invest.watch.record': async (sql, m) => {
        await raiseWatchAlerts(sql, recordCause(m.payload as unknown as WatchedRecord));
      },
    },
  };
}
