import { decisionDeadline, OPEN_STATUSES, type ApplicationKind, type WorkingDayCalendar } from '@heihe/shared';
import { appendAudit, type AuditEntry } from '../audit/audit';
import type { Sql } from '../db/database';
import { messageDeadlineMoved, type Templates } from '../notify/notify';
import { deadlineParams, SET_DEADLINE, TABLE } from './applications';

export interface RecomputedDeadline {
  kind: ApplicationKind;
  id: number;
  entityId: number;
  from: string;
  to: string;
  provisional: boolean;
}

/**
 * When a year's official holiday schedule arrives, every open application whose deadline was
 * provisional is counted again from the day its count started, under the calendar now in force.
 * Each change is audited, and the enterprise is told when its date moved. Runs inside the
 * transaction that stores the schedule, so the two never disagree.
 */
export async function recomputeProvisionalDeadlines(
  sql: Sql,
  calendar: WorkingDayCalendar,
  ctx: { actor: Pick<AuditEntry, 'actorKind' | 'actorId'>; at: Date; templates: Templates },
): Promise<RecomputedDeadline[]> {
  const changed: RecomputedDeadline[] = [];
  for (const kind of Object.keys(TABLE) as ApplicationKind[]) {
    const rows = await sql.query<{ id: number; entityId: number; userId: number; dueOn: string; dueFrom: string }>(
      `SELECT id, entity_id AS "entityId", user_id AS "userId", due_on::text AS "dueOn", due_from::text AS "dueFrom"
       FROM ${TABLE[kind]} WHERE due_provisional AND status = ANY($1::text[]) ORDER BY id FOR UPDATE`,
      [OPEN_STATUSES],
    );
    for (const r of rows) {
      const next = decisionDeadline(calendar, kind, r.dueFrom);
      await sql.query(`UPDATE ${TABLE[kind]} SET ${SET_DEADLINE} WHERE id = $1`, [r.id, ...deadlineParams(next)]);
      const change = {
        kind,
        id: r.id,
        entityId: r.entityId,
        from: r.dueOn,
        to: next.dueOn,
        provisional: next.provisional,
      };
      changed.push(change);
      await appendAudit(
        sql,
        {
          ...ctx.actor,
          action: `${kind}.deadline_recompute`,
          objectType: TABLE[kind],
          objectId: String(r.id),
          entityId: r.entityId,
          detail: { countedFrom: r.dueFrom, from: r.dueOn, to: next.dueOn, provisional: next.provisional },
        },
        { now: ctx.at },
      );
      if (next.dueOn !== r.dueOn)
        await messageDeadlineMoved(sql, ctx.templates, {
          kind,
          id: r.id,
          userId: r.userId,
          entityId: r.entityId,
          dueOn: next.dueOn,
          at: ctx.at,
        });
    }
  }
  return changed;
}
