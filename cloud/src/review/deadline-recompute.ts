import { decisionDeadline, OPEN_STATUSES, type ApplicationKind, type WorkingDayCalendar } from '@heihe/shared';
import { appendAudit, type AuditEntry } from '../audit';
import type { Sql } from '../db/database';
import { dayOf } from '../db/values';
import { messageDeadlineMoved, type Templates } from '../notify';
import { APPLICATION_TABLES, deadlineColumns } from './applications';

export interface RecomputedDeadline {
  kind: ApplicationKind;
  id: number;
  entityId: number;
  from: string;
  to: string;
  provisional: boolean;
}

/**
 * What loading a schedule would do, without doing it: the open applications whose deadline is
 * provisional, counted again under `calendar` by the same code as the load (and as filing).
 */
export async function previewProvisionalDeadlines(
  sql: Sql,
  calendar: WorkingDayCalendar,
): Promise<RecomputedDeadline[]> {
  const out: RecomputedDeadline[] = [];
  for (const kind of Object.keys(APPLICATION_TABLES) as ApplicationKind[]) {
    const rows = await APPLICATION_TABLES[kind].of(sql.prisma).findMany({
      where: { dueProvisional: true, status: { in: [...OPEN_STATUSES] } },
      orderBy: [{ id: 'asc' }],
    });
    for (const r of rows) out.push(recount(kind, r, calendar));
  }
  return out;
}

function recount(
  kind: ApplicationKind,
  r: { id: number; entityId: number; dueOn: Date; dueFrom: Date },
  calendar: WorkingDayCalendar,
): RecomputedDeadline {
  const next = decisionDeadline(calendar, kind, dayOf(r.dueFrom));
  return { kind, id: r.id, entityId: r.entityId, from: dayOf(r.dueOn), to: next.dueOn, provisional: next.provisional };
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
  for (const kind of Object.keys(APPLICATION_TABLES) as ApplicationKind[]) {
    const { name, of } = APPLICATION_TABLES[kind];
    const table = of(sql.prisma);
    // Raw SQL: row locks on the open provisional applications, so no decision moves one meanwhile.
    await sql.query(`SELECT 1 FROM ${name} WHERE due_provisional AND status = ANY($1::text[]) FOR UPDATE`, [
      OPEN_STATUSES,
    ]);
    const rows = await table.findMany({
      where: { dueProvisional: true, status: { in: [...OPEN_STATUSES] } },
      orderBy: [{ id: 'asc' }],
    });
    for (const r of rows) {
      const [dueOn, dueFrom] = [dayOf(r.dueOn), dayOf(r.dueFrom)];
      const next = decisionDeadline(calendar, kind, dueFrom);
      await table.update({ where: { id: r.id }, data: deadlineColumns(next) });
      changed.push(recount(kind, r, calendar));
      await appendAudit(
        sql,
        {
          ...ctx.actor,
          action: `${kind}.deadline_recompute`,
          objectType: name,
          objectId: String(r.id),
          entityId: r.entityId,
          detail: { countedFrom: dueFrom, from: dueOn, to: next.dueOn, provisional: next.provisional },
        },
        { now: ctx.at },
      );
      if (next.dueOn !== dueOn)
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
