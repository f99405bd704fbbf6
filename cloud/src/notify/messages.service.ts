import { Injectable } from '@nestjs/common';
import { AppError, ErrorCodes, type UserMessage, type UserMessageList } from '@heihe/shared';
import type { Principal } from '../auth';
import { Clock } from '../common/clock';
import { Database } from '../db/database';

type User = Extract<Principal, { kind: 'user' }>;

const PAGE = 20;
const APPLICATION_KINDS = new Set(['objection', 'good_info', 'repair']);
const LINK_KINDS = new Set(['application', 'evaluation', 'loan_application']);

type Row = {
  id: number;
  entityId: number | null;
  topic: string;
  title: string;
  body: string;
  linkKind: string;
  linkId: number | null;
  applicationKind: string | null;
  createdAt: Date;
  readAt: Date | null;
};

/**
 * The in-app messages list (消息): the notices kept for the caller, only their own, and only for
 * enterprises they are still bound to (an unbound enterprise's notices are its business, no
 * longer theirs).
 */
@Injectable()
export class MessagesService {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
  ) {}

  private visible(who: User) {
    return { userId: who.userId, OR: [{ entityId: null }, { entityId: { in: who.entityIds } }] };
  }

  async list(who: User, q: { unread?: 'true' | 'false'; before?: number }): Promise<UserMessageList> {
    const where = {
      ...this.visible(who),
      ...(q.unread === 'true' ? { readAt: null } : {}),
      ...(q.before ? { id: { lt: q.before } } : {}),
    };
    const [rows, unread] = await Promise.all([
      this.db.prisma.userMessage.findMany({ where, orderBy: { id: 'desc' }, take: PAGE + 1 }),
      this.db.prisma.userMessage.count({ where: { ...this.visible(who), readAt: null } }),
    ]);
    const page = rows.slice(0, PAGE);
    const names = await this.names(page);
    return {
      items: page.map((r) => this.view(r, names)),
      unread,
      nextBefore: rows.length > PAGE ? page[page.length - 1]!.id : null,
    };
  }

  async markRead(who: User, id: number): Promise<UserMessage> {
    const where = { ...this.visible(who), id };
    const row = await this.db.prisma.userMessage.findFirst({ where });
    // Another user's message, or one of an enterprise no longer bound: as if it did not exist.
    if (!row) throw new AppError(ErrorCodes.NOT_FOUND, '消息不存在或已无权查看');
    const read = row.readAt
      ? row
      : await this.db.prisma.userMessage.update({ where: { id }, data: { readAt: this.clock.now() } });
    return this.view(read, await this.names([read]));
  }

  async markAllRead(who: User): Promise<{ marked: number }> {
    const { count } = await this.db.prisma.userMessage.updateMany({
      where: { ...this.visible(who), readAt: null },
      data: { readAt: this.clock.now() },
    });
    return { marked: count };
  }

  private async names(rows: Row[]): Promise<Map<number, string>> {
    const ids = [...new Set(rows.flatMap((r) => (r.entityId === null ? [] : [r.entityId])))];
    if (!ids.length) return new Map();
    const es = await this.db.prisma.entity.findMany({ where: { id: { in: ids } }, select: { id: true, name: true } });
    return new Map(es.map((e) => [e.id, e.name]));
  }

  private view(r: Row, names: Map<number, string>): UserMessage {
    const kind = (LINK_KINDS.has(r.linkKind) ? r.linkKind : 'evaluation') as UserMessage['link']['kind'];
    const appKind =
      r.applicationKind && APPLICATION_KINDS.has(r.applicationKind)
        ? (r.applicationKind as 'objection' | 'good_info' | 'repair')
        : null;
    return {
      id: r.id,
      entityId: r.entityId,
      entityName: r.entityId === null ? null : (names.get(r.entityId) ?? null),
      topic: r.topic,
      title: r.title,
      body: r.body,
      link: { kind, id: r.linkId, applicationKind: appKind },
      createdAt: r.createdAt.toISOString(),
      readAt: r.readAt?.toISOString() ?? null,
    };
  }
}
