import {
  AppError,
  countdown,
  ErrorCodes,
  RUNNING_STATUSES,
  isOpen,
  provisionalReason,
  type ApplicationKind,
  type ApplicationStatus,
  type DecisionDeadline,
  type WorkingDayCalendar,
} from '@heihe/shared';
import type { applicationEventSchema, deadlineSchema } from '@heihe/shared';
import type { z } from 'zod';
import type { Principal } from '../auth';
import type { Sql } from '../db/database';
import { dateOfDay, dayOf } from '../db/values';
import { MATERIALS_EVENT } from '../evidence';
import type { PrismaClient } from '../generated/prisma/client';

type Deadline = z.infer<typeof deadlineSchema>;
type EventView = z.infer<typeof applicationEventSchema>;

/** The columns every application table has, as Prisma Client reads them. */
export interface ApplicationRow {
  id: number;
  entityId: number;
  userId: number;
  status: string;
  filedAt: Date;
  dueOn: Date;
  dueFrom: Date;
  dueProvisional: boolean;
  decidedAt: Date | null;
  decidedBy: string | null;
  decisionReason: string | null;
  scoreBefore: number | null;
  scoreAfter: number | null;
  gradeBefore: string | null;
  gradeAfter: string | null;
}

/** What the workflow writes to any application table. */
export type ApplicationChange = Partial<Omit<ApplicationRow, 'id' | 'entityId' | 'userId' | 'filedAt'>>;

/** The reads and writes the workflow makes on one kind's table: a narrow view of its Prisma delegate. */
export interface ApplicationTable<Row extends ApplicationRow, Change extends object = object> {
  findUnique(args: { where: { id: number } }): Promise<Row | null>;
  findMany(args: {
    where: { entityId?: { in: number[] }; status?: string | { in: string[] }; dueProvisional?: boolean };
    orderBy: { filedAt?: 'desc'; id?: 'asc' | 'desc' }[];
    take?: number;
  }): Promise<Row[]>;
  update(args: { where: { id: number }; data: ApplicationChange & Change }): Promise<Row>;
}

/** The three application tables, by kind: their SQL name (also the audit object type) and their delegate. */
export const APPLICATION_TABLES: {
  [K in ApplicationKind]: { name: string; of: (prisma: PrismaClient) => ApplicationTable<ApplicationRow> };
} = {
  objection: { name: 'objection', of: (p) => p.objection },
  good_info: { name: 'good_info_report', of: (p) => p.goodInfoReport },
  repair: { name: 'repair_application', of: (p) => p.repairApplication },
};

/** Who did it, as application_event.actor and objection.decided_by keep it. */
export function actorString(p: Principal): string {
  if (p.kind === 'user') return `user:${p.userId}`;
  if (p.kind === 'staff') return `staff:${p.role}:${p.username}`;
  return `api_client:${p.clientId}`;
}

export type BoundUser = Extract<Principal, { kind: 'user' }>;

/** The enterprise user acting for `entityId`, or NOT_FOUND: other enterprises' IDs cannot be probed. */
export function requireBoundUser(p: Principal, entityId: number): asserts p is BoundUser {
  if (p.kind !== 'user' || !p.entityIds.includes(entityId))
    throw new AppError(ErrorCodes.NOT_FOUND, '主体不存在或无权访问');
}

/** Decisions are for the credit agency's reviewers and administrators. */
export function requireReviewer(p: Principal): asserts p is Extract<Principal, { kind: 'staff' }> {
  if (p.kind !== 'staff' || (p.role !== 'reviewer' && p.role !== 'admin'))
    throw new AppError(ErrorCodes.FORBIDDEN, '只有信用工作机构的审核人员可以办理');
}

/** Reads an application for one caller: its enterprise's users, or agency staff. */
export function canSee(p: Principal, entityId: number): boolean {
  if (p.kind === 'staff') return p.role === 'reviewer' || p.role === 'admin';
  return p.kind === 'user' && p.entityIds.includes(entityId);
}

/**
 * Locks the application row for a decision or a resubmission and reads it; a missing one is
 * NOT_FOUND.
 */
export async function lockApplication<Row extends ApplicationRow, Change extends object>(
  sql: Sql,
  kind: ApplicationKind,
  table: ApplicationTable<Row, Change>,
  id: number,
): Promise<Row> {
  // Raw SQL: row lock for the decision (Prisma Client has no SELECT … FOR UPDATE).
  await sql.query(`SELECT 1 FROM ${APPLICATION_TABLES[kind].name} WHERE id = $1 FOR UPDATE`, [id]);
  const row = await table.findUnique({ where: { id } });
  if (!row) throw new AppError(ErrorCodes.NOT_FOUND, '申请不存在或无权访问');
  return row;
}

/** Only one open application of a kind per record: two reviews of one record would contradict. */
export async function assertNoOpenApplication(sql: Sql, recordId: number): Promise<void> {
  const open = { recordId, status: { in: ['submitted', 'accepted', 'returned'] } };
  if (await sql.prisma.objection.findFirst({ where: open, select: { id: true } }))
    throw new AppError(ErrorCodes.APPLICATION_OPEN, '该记录有正在办理的异议申请，请待办结后再提交');
  if (await sql.prisma.repairApplication.findFirst({ where: open, select: { id: true } }))
    throw new AppError(ErrorCodes.APPLICATION_OPEN, '该记录有正在办理的信用修复申请，请待办结后再提交');
}

export async function addEvent(
  sql: Sql,
  kind: ApplicationKind,
  id: number,
  status: string,
  actor: string,
  note: string | null,
  at: Date,
): Promise<void> {
  await sql.prisma.applicationEvent.create({
    data: { applicationKind: kind, applicationId: id, at, status, actor, note },
  });
}

/** An enterprise sees that the agency acted, not which reviewer. */
function actorFor(actor: string, forStaff: boolean): string {
  if (forStaff) return actor;
  if (actor.startsWith('user:')) return 'enterprise';
  if (actor.startsWith('staff:')) return 'agency';
  return 'system';
}

/** The timeline of each application, oldest first; the internal materials rows are not part of it. */
export async function eventsOf(
  sql: Sql,
  kind: ApplicationKind,
  ids: number[],
  forStaff: boolean,
): Promise<Map<number, EventView[]>> {
  const out = new Map<number, EventView[]>(ids.map((id) => [id, []]));
  if (!ids.length) return out;
  const rows = await sql.prisma.applicationEvent.findMany({
    where: { applicationKind: kind, applicationId: { in: ids }, status: { not: MATERIALS_EVENT } },
    orderBy: [{ at: 'asc' }, { id: 'asc' }],
  });
  for (const r of rows)
    out
      .get(r.applicationId)
      ?.push({ at: r.at.toISOString(), status: r.status, actor: actorFor(r.actor, forStaff), note: r.note });
  return out;
}

/** A deadline as the application tables keep it (due_on, due_from, due_provisional), in domain days. */
export interface StoredDeadline {
  dueOn: string;
  dueFrom: string;
  dueProvisional: boolean;
}

export const storedDeadline = (r: Pick<ApplicationRow, 'dueOn' | 'dueFrom' | 'dueProvisional'>): StoredDeadline => ({
  dueOn: dayOf(r.dueOn),
  dueFrom: dayOf(r.dueFrom),
  dueProvisional: r.dueProvisional,
});

/** The deadline columns set to a freshly computed deadline. */
export const deadlineColumns = (d: DecisionDeadline): Pick<ApplicationRow, 'dueOn' | 'dueFrom' | 'dueProvisional'> => ({
  dueOn: dateOfDay(d.dueOn),
  dueFrom: dateOfDay(d.countedFrom),
  dueProvisional: d.provisional,
});

/**
 * The deadline as shown: counting down while the agency holds the case, paused while the
 * enterprise supplies material, closed once decided. A deadline that crossed a year without an
 * official schedule is shown as provisional, with the reason in words, until that year is loaded
 * and the deadline recomputed.
 */
export function deadlineView(
  calendar: WorkingDayCalendar,
  today: string,
  status: ApplicationStatus,
  d: StoredDeadline,
): Deadline {
  const provisional = isOpen(status) && d.dueProvisional;
  const shown = {
    provisional,
    provisionalReason: provisional
      ? (provisionalReason(calendar, d.dueFrom, d.dueOn) ?? '节假日安排已更新，期限正在重新计算')
      : null,
  };
  if (!isOpen(status)) return { dueOn: d.dueOn, workingDaysLeft: null, urgency: 'closed', escalated: false, ...shown };
  if (!RUNNING_STATUSES.includes(status))
    return { dueOn: d.dueOn, workingDaysLeft: null, urgency: 'paused', escalated: false, ...shown };
  return { ...countdown(calendar, today, d.dueOn), ...shown };
}
