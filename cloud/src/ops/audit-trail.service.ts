import { Injectable } from '@nestjs/common';
import { appendAudit, describeVerification, verifyAuditChain } from '../audit';
import { actorOf, type Principal } from '../auth';
import { Clock } from '../common/clock';
import { Database } from '../db/database';
import type { Prisma } from '../generated/prisma/client';

export interface AuditSearch {
  actor?: string;
  action?: string;
  objectType?: string;
  objectId?: string;
  entityId?: number;
  before?: string;
  limit: number;
}

/**
 * The audit trail for administrators: a search, newest first in keyset pages, and the chain's
 * verification (the same walk as `npm run audit:verify`). Looking is itself audited.
 */
@Injectable()
export class AuditTrailService {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
  ) {}

  async search(q: AuditSearch, by: Principal) {
    const where: Prisma.AuditLogWhereInput = {
      ...(q.actor ? { actorId: { contains: q.actor } } : {}),
      ...(q.action ? { action: { startsWith: q.action } } : {}),
      ...(q.objectType ? { objectType: q.objectType } : {}),
      ...(q.objectId ? { objectId: q.objectId } : {}),
      ...(q.entityId ? { entityId: q.entityId } : {}),
      ...(q.before ? { id: { lt: BigInt(q.before) } } : {}),
    };
    return this.db.tx(async (sql) => {
      const rows = await sql.prisma.auditLog.findMany({
        where,
        orderBy: { id: 'desc' },
        take: q.limit + 1,
        select: {
          id: true,
          at: true,
          actorKind: true,
          actorId: true,
          action: true,
          objectType: true,
          objectId: true,
          entityId: true,
          detail: true,
          seal: { select: { seq: true } },
        },
      });
      const page = rows.slice(0, q.limit);
      const filters = Object.fromEntries(
        Object.entries({
          actor: q.actor,
          action: q.action,
          objectType: q.objectType,
          objectId: q.objectId,
          entityId: q.entityId,
          before: q.before,
        }).filter(([, v]) => v !== undefined),
      );
      await appendAudit(sql, {
        ...actorOf(by),
        action: 'audit.search',
        objectType: 'audit_log',
        objectId: null,
        detail: { filters, returned: page.length },
      });
      return {
        items: page.map((r) => ({
          id: r.id.toString(),
          at: r.at.toISOString(),
          actorKind: r.actorKind,
          actorId: r.actorId,
          action: r.action,
          objectType: r.objectType,
          objectId: r.objectId,
          entityId: r.entityId,
          detail: r.detail,
          sealed: r.seal !== null,
        })),
        nextBefore: rows.length > q.limit ? page[page.length - 1]!.id.toString() : null,
      };
    });
  }

  async verify(by: Principal) {
    const now = this.clock.now();
    const v = await verifyAuditChain(this.db, { now });
    await appendAudit(this.db, {
      ...actorOf(by),
      action: 'audit.verify',
      objectType: 'audit_log',
      objectId: null,
      detail: { ok: v.ok, checked: v.checked, headHash: v.headHash },
    });
    return {
      ok: v.ok && !v.break,
      checked: v.checked,
      firstId: v.firstId,
      anchor: v.anchor,
      headHash: v.headHash,
      unsealed: v.unsealed,
      staleUnsealed: v.staleUnsealed,
      break: v.break ?? null,
      summary: describeVerification(v).text.trim(),
      verifiedAt: now.toISOString(),
    };
  }
}
