import { AppError, ErrorCodes } from '@heihe/shared';
import { appendAudit } from '../audit';
import { actorOf, type Principal } from '../auth';
import type { Sql } from '../db/database';

/** The staff account behind the call: the watch list, screenings and 入园 checks belong to it. */
export function staffIdOf(who: Principal): number {
  if (who.kind !== 'staff') throw new AppError(ErrorCodes.FORBIDDEN, '仅招商人员和管理员可用');
  return who.staffId;
}

/** An audit row of the officer's lists: who, which object and target, and why. */
export function auditList(
  sql: Sql,
  now: Date,
  who: Principal,
  e: {
    action: string;
    objectType: string;
    objectId: string | null;
    entityId?: number | null;
    purpose: string;
    detail?: Record<string, unknown>;
  },
): Promise<void> {
  return appendAudit(
    sql,
    {
      ...actorOf(who),
      action: e.action,
      objectType: e.objectType,
      objectId: e.objectId,
      entityId: e.entityId ?? null,
      detail: { purpose: e.purpose, ...(e.detail ?? {}) },
    },
    { now },
  );
}
