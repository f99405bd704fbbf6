import {
  AppError,
  countdown,
  ErrorCodes,
  RUNNING_STATUSES,
  isOpen,
  nextStatus,
  provisionalReason,
  type ApplicationKind,
  type ApplicationStatus,
  type DecisionDeadline,
  type WorkingDayCalendar,
} from '@heihe/shared';
import type { applicationEventSchema, deadlineSchema } from '@heihe/shared';
import type { z } from 'zod';
import { appendAudit } from '../audit/audit';
import { actorOf, type Principal } from '../auth/principal';
import type { Sql } from '../db/database';
import { attachEvidence, MATERIALS_EVENT, type AttachRequest } from '../evidence/evidence.repository';

export const TABLE: Record<ApplicationKind, string> = {
  objection: 'objection',
  good_info: 'good_info_report',
  repair: 'repair_application',
};

type Deadline = z.infer<typeof deadlineSchema>;
type EventView = z.infer<typeof applicationEventSchema>;

/** Who did it, as application_event.actor and objection.decided_by keep it. */
export function actorString(p: Principal): string {
  if (p.kind === 'user') return `user:${p.userId}`;
  if (p.kind === 'staff') return `staff:${p.role}:${p.username}`;
  return `api_client:${p.clientId}`;
}

/** The enterprise user acting for `entityId`, or NOT_FOUND: other enterprises' IDs cannot be probed. */
export function requireBoundUser(p: Principal, entityId: number): asserts p is Extract<Principal, { kind: 'user' }> {
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

/** How a service reads its applications: its SELECT (joined to entity) and the application table's alias in it. */
export interface ApplicationRead {
  select: string;
  alias: string;
}

/** Application `id` if the caller may see it; NOT_FOUND otherwise, so another enterprise's IDs reveal nothing. */
export async function findVisible<R extends { entityId: number }>(
  sql: Sql,
  read: ApplicationRead,
  who: Principal,
  id: number,
): Promise<R> {
  const [row] = await sql.query<R>(`${read.select} WHERE ${read.alias}.id = $1`, [id]);
  if (!row || !canSee(who, row.entityId)) throw new AppError(ErrorCodes.NOT_FOUND, '申请不存在或无权访问');
  return row;
}

/**
 * The calling enterprise user's own applications (of one bound enterprise when `entityId` is
 * given), newest first, at most 200. `noun` names them in the refusal to anyone else.
 */
export async function listOwn<R>(
  sql: Sql,
  read: ApplicationRead,
  who: Principal,
  q: { entityId?: number; status?: ApplicationStatus },
  noun: string,
): Promise<R[]> {
  if (who.kind !== 'user') throw new AppError(ErrorCodes.FORBIDDEN, `只有企业用户可以查看本企业的${noun}`);
  const entityIds = q.entityId === undefined ? who.entityIds : who.entityIds.filter((e) => e === q.entityId);
  const a = read.alias;
  return sql.query<R>(
    `${read.select} WHERE ${a}.entity_id = ANY($1::int[]) AND ($2::text IS NULL OR ${a}.status = $2)
     ORDER BY ${a}.filed_at DESC, ${a}.id DESC LIMIT 200`,
    [entityIds, q.status ?? null],
  );
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
  await sql.query(
    `INSERT INTO application_event (application_kind, application_id, at, status, actor, note) VALUES ($1, $2, $3, $4, $5, $6)`,
    [kind, id, at.toISOString(), status, actor, note],
  );
}

/** An enterprise sees that the agency acted, not which reviewer. */
function actorFor(actor: string, forStaff: boolean): string {
  if (forStaff) return actor;
  if (actor.startsWith('user:')) return 'enterprise';
  if (actor.startsWith('staff:')) return 'agency';
  return 'system';
}

export async function eventsOf(
  sql: Sql,
  kind: ApplicationKind,
  ids: number[],
  forStaff: boolean,
): Promise<Map<number, EventView[]>> {
  const out = new Map<number, EventView[]>(ids.map((id) => [id, []]));
  if (!ids.length) return out;
  const rows = await sql.query<{
    application_id: number;
    at: Date | string;
    status: string;
    actor: string;
    note: string | null;
  }>(
    `SELECT application_id, at, status, actor, note FROM application_event
     WHERE application_kind = $1 AND application_id = ANY($2::int[]) AND status <> $3 ORDER BY at, id`,
    [kind, ids, MATERIALS_EVENT],
  );
  for (const r of rows)
    out
      .get(r.application_id)
      ?.push({ at: iso(r.at), status: r.status, actor: actorFor(r.actor, forStaff), note: r.note });
  return out;
}

export const iso = (v: Date | string): string => (v instanceof Date ? v : new Date(v)).toISOString();
export const isoOrNull = (v: Date | string | null): string | null => (v === null ? null : iso(v));

/** A deadline as the application tables keep it (due_on, due_from, due_provisional). */
export interface StoredDeadline {
  dueOn: string;
  dueFrom: string;
  dueProvisional: boolean;
}

/** The deadline columns of an application table, read as a StoredDeadline; `alias` is the table's. */
export const deadlineColumns = (alias: string): string =>
  `${alias}.due_on::text AS "dueOn", ${alias}.due_from::text AS "dueFrom", ${alias}.due_provisional AS "dueProvisional"`;

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

/** The deadline columns set to a freshly computed deadline: `$2` due_on, `$3` due_from, `$4` due_provisional. */
export const SET_DEADLINE = `due_on = $2::date, due_from = $3::date, due_provisional = $4`;
export const deadlineParams = (d: DecisionDeadline): [string, string, boolean] => [
  d.dueOn,
  d.countedFrom,
  d.provisional,
];

export interface LockedApplication {
  id: number;
  entityId: number;
  userId: number;
  status: ApplicationStatus;
}

/** Locks the application row for a decision; a missing one is NOT_FOUND. */
export async function lockApplication(sql: Sql, kind: ApplicationKind, id: number): Promise<LockedApplication> {
  const [r] = await sql.query<LockedApplication>(
    `SELECT id, entity_id AS "entityId", user_id AS "userId", status FROM ${TABLE[kind]} WHERE id = $1 FOR UPDATE`,
    [id],
  );
  if (!r) throw new AppError(ErrorCodes.NOT_FOUND, '申请不存在或无权访问');
  return r;
}

/** Only one open application of a kind per record: two reviews of one record would contradict. */
export async function assertNoOpenApplication(sql: Sql, recordId: number): Promise<void> {
  const open = await sql.query<{ kind: string }>(
    `SELECT 'objection' AS kind FROM objection WHERE record_id = $1 AND status IN ('submitted', 'accepted', 'returned')
     UNION ALL
     SELECT 'repair' FROM repair_application WHERE record_id = $1 AND status IN ('submitted', 'accepted', 'returned')`,
    [recordId],
  );
  if (open.length)
    throw new AppError(
      ErrorCodes.APPLICATION_OPEN,
      open[0]!.kind === 'objection'
        ? '该记录有正在办理的异议申请，请待办结后再提交'
        : '该记录有正在办理的信用修复申请，请待办结后再提交',
    );
}

export interface Resubmission {
  kind: ApplicationKind;
  id: number;
  who: Principal;
  /** The new decision deadline: the clock restarts on resubmission. */
  deadline: DecisionDeadline;
  note: string;
  evidence: Pick<AttachRequest, 'ids' | 'materials' | 'maxFiles'>;
  at: Date;
}

/**
 * The enterprise answers a "return for material": the application goes back to review with a new
 * deadline, the added files attach, and the step is recorded on the timeline and in the audit
 * trail — one transaction, the same for every kind of application.
 */
export async function resubmitApplication(sql: Sql, r: Resubmission): Promise<void> {
  const app = await lockApplication(sql, r.kind, r.id);
  requireBoundUser(r.who, app.entityId);
  const to = nextStatus(r.kind, app.status, 'resubmit');
  await sql.query(`UPDATE ${TABLE[r.kind]} SET ${SET_DEADLINE}, status = $5 WHERE id = $1`, [
    r.id,
    ...deadlineParams(r.deadline),
    to,
  ]);
  await attachEvidence(sql, { entityId: app.entityId, kind: r.kind, applicationId: r.id, at: r.at, ...r.evidence });
  await addEvent(sql, r.kind, r.id, to, actorString(r.who), `补正材料：${r.note}`, r.at);
  await appendAudit(
    sql,
    {
      ...actorOf(r.who),
      action: `${r.kind}.resubmit`,
      objectType: TABLE[r.kind],
      objectId: String(r.id),
      entityId: app.entityId,
      detail: { dueOn: r.deadline.dueOn, provisional: r.deadline.provisional, evidence: r.evidence.ids.length },
    },
    { now: r.at },
  );
}
