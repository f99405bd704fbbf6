import { Injectable } from '@nestjs/common';
import { AppError, ErrorCodes, INVEST_NOTICE, type WatchAlert, type WatchItem } from '@heihe/shared';
import type { Principal } from '../auth';
import { Clock } from '../common/clock';
import { Database } from '../db/database';
import { MAX_RELATED } from './checks.service';
import { InvestRepository } from './invest.repository';
import { auditList, staffIdOf } from './lists-support';
import { RelatedRepository } from './related.repository';

const grade = (g: string | null | undefined) => (g ?? null) as WatchItem['grade'];

/**
 * 关注名单 (issue 16, item 8). A watch stores its target's related set — the risk scan's walk by
 * rings (ADR 0018), `radius` hops, capped at 2,000 — as watch_scope rows; the outbox handlers
 * (watch.outbox.ts) read them to raise alerts for a grade change or a new negative record on any
 * entity of the set. Adding a watched target again recomputes its set.
 */
@Injectable()
export class WatchlistService {
  constructor(
    private readonly related: RelatedRepository,
    private readonly repo: InvestRepository,
    private readonly db: Database,
    private readonly clock: Clock,
  ) {}

  /** The related set: the target at distance 0, then ring by ring over the risk scan's ties. */
  async relatedSet(entityId: number, radius: number): Promise<{ distance: Map<number, number>; truncated: boolean }> {
    const distance = new Map<number, number>([[entityId, 0]]);
    let frontier = [entityId];
    let truncated = false;
    for (let d = 1; d <= radius && frontier.length && !truncated; d++) {
      const next: number[] = [];
      const ties = (await this.related.neighbours(frontier)).sort((a, b) => a.from - b.from || a.to - b.to);
      for (const t of ties) {
        if (distance.has(t.to)) continue;
        if (distance.size >= MAX_RELATED) {
          truncated = true;
          break;
        }
        distance.set(t.to, d);
        next.push(t.to);
      }
      frontier = next;
    }
    return { distance, truncated };
  }

  async add(b: { entityId: number; purpose: string; radius: number }, who: Principal): Promise<WatchItem> {
    const staffId = staffIdOf(who);
    const target = await this.repo.entity(b.entityId);
    if (!target) throw new AppError(ErrorCodes.NOT_FOUND, '主体不存在');
    const set = await this.relatedSet(target.id, b.radius);
    const now = this.clock.now();
    const watchId = await this.db.tx(async (sql) => {
      const existing = await sql.prisma.watchItem.findUnique({
        where: { staffId_entityId: { staffId, entityId: target.id } },
        select: { id: true },
      });
      const w = existing
        ? await sql.prisma.watchItem.update({
            where: { id: existing.id },
            data: { radius: b.radius, purpose: b.purpose, scopeAt: now, scopeTruncated: set.truncated },
            select: { id: true },
          })
        : await sql.prisma.watchItem.create({
            data: {
              staffId,
              entityId: target.id,
              radius: b.radius,
              purpose: b.purpose,
              createdAt: now,
              scopeAt: now,
              scopeTruncated: set.truncated,
            },
            select: { id: true },
          });
      await sql.prisma.watchScope.deleteMany({ where: { watchId: w.id } });
      await sql.prisma.watchScope.createMany({
        data: [...set.distance].map(([entityId, distance]) => ({ watchId: w.id, entityId, distance })),
      });
      await auditList(sql, now, who, {
        action: existing ? 'invest.watch.refresh' : 'invest.watch.add',
        objectType: 'watch_item',
        objectId: String(w.id),
        entityId: target.id,
        purpose: b.purpose,
        detail: { radius: b.radius, scope: set.distance.size, truncated: set.truncated },
      });
      return w.id;
    });
    return (await this.items(staffId, watchId))[0]!;
  }

  async remove(watchId: number, who: Principal): Promise<{ watchId: number; removed: true }> {
    const staffId = staffIdOf(who);
    await this.db.tx(async (sql) => {
      const w = await sql.prisma.watchItem.findFirst({ where: { id: watchId, staffId }, select: { entityId: true } });
      if (!w) throw new AppError(ErrorCodes.NOT_FOUND, '关注项不存在或不属于您');
      // The scope rows go with it (cascade); its alerts stay, as the officer saw them.
      await sql.prisma.watchItem.delete({ where: { id: watchId } });
      await auditList(sql, this.clock.now(), who, {
        action: 'invest.watch.remove',
        objectType: 'watch_item',
        objectId: String(watchId),
        entityId: w.entityId,
        purpose: '取消关注',
      });
    });
    return { watchId, removed: true };
  }

  async list(who: Principal) {
    const staffId = staffIdOf(who);
    const items = await this.items(staffId);
    await auditList(this.db, this.clock.now(), who, {
      action: 'invest.watch.list',
      objectType: 'watch_item',
      objectId: null,
      purpose: '查看关注名单',
      detail: { results: items.length },
    });
    return { items, notice: INVEST_NOTICE };
  }

  private async items(staffId: number, watchId?: number): Promise<WatchItem[]> {
    const rows = await this.db.prisma.watchItem.findMany({
      where: { staffId, ...(watchId ? { id: watchId } : {}) },
      orderBy: { id: 'desc' },
      select: {
        id: true,
        entityId: true,
        radius: true,
        purpose: true,
        createdAt: true,
        scopeAt: true,
        scopeTruncated: true,
        _count: { select: { scope: true } },
      },
    });
    const ids = rows.map((r) => r.id);
    const [cards, unread] = await Promise.all([
      this.repo.entitiesById(rows.map((r) => r.entityId)),
      ids.length
        ? this.db.prisma.watchAlert.groupBy({
            by: ['watchId'],
            where: { staffId, watchId: { in: ids }, readAt: null },
            _count: { _all: true },
          })
        : [],
    ]);
    const cardOf = new Map(cards.map((c) => [c.id, c]));
    const unreadOf = new Map(unread.map((u) => [u.watchId, u._count._all]));
    return rows.map((r) => {
      const c = cardOf.get(r.entityId);
      return {
        watchId: r.id,
        entityId: r.entityId,
        uscc: c?.uscc ?? '',
        name: c?.name ?? '',
        status: c?.status ?? '',
        grade: grade(c?.grade),
        score: c?.score ?? null,
        radius: r.radius,
        purpose: r.purpose,
        createdAt: r.createdAt.toISOString(),
        scopeAt: r.scopeAt.toISOString(),
        scopeSize: r._count.scope,
        scopeTruncated: r.scopeTruncated,
        unreadAlerts: unreadOf.get(r.id) ?? 0,
      };
    });
  }

  async alerts(
    q: { unread: boolean; watchId?: number; before?: number; limit: number },
    who: Principal,
  ): Promise<{ items: WatchAlert[]; unread: number; nextBefore: number | null; notice: string }> {
    const staffId = staffIdOf(who);
    const [rows, unread] = await Promise.all([
      this.db.prisma.watchAlert.findMany({
        where: {
          staffId,
          ...(q.unread ? { readAt: null } : {}),
          ...(q.watchId ? { watchId: q.watchId } : {}),
          ...(q.before ? { id: { lt: q.before } } : {}),
        },
        orderBy: { id: 'desc' },
        take: q.limit + 1,
      }),
      this.db.prisma.watchAlert.count({ where: { staffId, readAt: null } }),
    ]);
    const page = rows.slice(0, q.limit);
    const cards = new Map(
      (await this.repo.entitiesById([...new Set(page.flatMap((r) => [r.entityId, r.watchedEntityId]))])).map((c) => [
        c.id,
        c,
      ]),
    );
    const ref = (id: number) => ({ entityId: id, name: cards.get(id)?.name ?? '', uscc: cards.get(id)?.uscc ?? '' });
    const items = page.map((r) => {
      const d = (r.detail ?? {}) as Record<string, unknown>;
      return {
        alertId: r.id,
        watchId: r.watchId,
        kind: r.kind as WatchAlert['kind'],
        watched: ref(r.watchedEntityId),
        entity: ref(r.entityId),
        distance: r.distance,
        message: String(d.message ?? ''),
        fromGrade: (d.fromGrade ?? null) as WatchAlert['fromGrade'],
        toGrade: (d.toGrade ?? null) as WatchAlert['toGrade'],
        recordKind: (d.recordKind ?? null) as string | null,
        occurredAt: r.occurredAt.toISOString(),
        createdAt: r.createdAt.toISOString(),
        readAt: r.readAt?.toISOString() ?? null,
      };
    });
    await auditList(this.db, this.clock.now(), who, {
      action: 'invest.watch.alerts',
      objectType: 'watch_alert',
      objectId: null,
      purpose: '查看关注预警',
      detail: { results: items.length, unreadOnly: q.unread, watchId: q.watchId ?? null },
    });
    return {
      items,
      unread,
      nextBefore: rows.length > q.limit ? page[page.length - 1]!.id : null,
      notice: INVEST_NOTICE,
    };
  }

  /** Marks the caller's own alerts read; another officer's IDs are simply not theirs to mark. */
  async markRead(b: { alertIds?: number[]; all?: boolean }, who: Principal) {
    const staffId = staffIdOf(who);
    const now = this.clock.now();
    return this.db.tx(async (sql) => {
      const { count } = await sql.prisma.watchAlert.updateMany({
        where: { staffId, readAt: null, ...(b.all ? {} : { id: { in: b.alertIds ?? [] } }) },
        data: { readAt: now },
      });
      await auditList(sql, now, who, {
        action: 'invest.watch.alerts.read',
        objectType: 'watch_alert',
        objectId: null,
        purpose: '标记预警已读',
        detail: { all: b.all ?? false, alertIds: b.alertIds ?? [], marked: count },
      });
      return { marked: count, unread: await sql.prisma.watchAlert.count({ where: { staffId, readAt: null } }) };
    });
  }
}
