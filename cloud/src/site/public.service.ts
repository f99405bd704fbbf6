import { Injectable } from '@nestjs/common';
import {
  AppError,
  ErrorCodes,
  maskPublicName,
  normalizeUscc,
  PUBLIC_RECORD_KINDS,
  publicRecords,
  SITE_PAGE_SIZE,
  type PublicEntity,
  type PublicSearch,
  type RecordKind,
  type RedList,
  type RedListPublication,
  type ReportRecordInput,
} from '@heihe/shared';
import { appendAudit } from '../audit';
import { actorOf, type Principal } from '../auth';
import { chinaDate } from '../common/china-time';
import { Clock } from '../common/clock';
import { Database } from '../db/database';
import { dayOf, dayOrNull, idOf } from '../db/values';
import { seriousRecordWhere } from '../results';
import { usccKey } from '../db/shard';

export const ENTITY_STATUS_LABELS: Record<string, string> = { active: '存续', revoked: '吊销', cancelled: '注销' };
export const RED_LIST_WITHDRAW_LABELS: Record<string, string> = {
  downgrade: '信用等级下调，自动移出',
  serious_record: '新增严重失信记录，自动移出',
};
export const RED_LIST_BASIS =
  '信用评价为 A 级、且公示期内无严重失信主体名单记录和严重行政处罚的市场主体；等级下调或新增严重失信记录时自动移出';

const USCC_LIKE = /^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$/;
/** Withdrawals stay on the red-list page this long. */
const WITHDRAWN_SHOWN_DAYS = 90;
/** Serialises red-list publications (pg_advisory_xact_lock key). */
const RED_LIST_LOCK = 727290;

interface Payload {
  summary?: unknown;
  documentNo?: unknown;
  authority?: unknown;
}
const text = (v: unknown): string | null => (typeof v === 'string' && v.trim() ? v : null);

/**
 * What anyone may see of an entity on the public site: registration basics, records under public
 * disclosure (shared/src/site: the report's rules), the legal representative masked, and a grade
 * only while the entity is on the published 诚信主体 list.
 */
@Injectable()
export class PublicSiteService {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
  ) {}

  async search(q: string, page: number): Promise<PublicSearch> {
    const code = normalizeUscc(q);
    const where = USCC_LIKE.test(code) ? { uscc: code } : { name: { contains: q.trim() } };
    const rows = await this.db.prisma.entity.findMany({
      where,
      select: {
        id: true,
        uscc: true,
        name: true,
        status: true,
        establishedOn: true,
        redList: { where: { withdrawnAt: null }, select: { id: true }, take: 1 },
      },
      orderBy: [{ name: 'asc' }, { id: 'asc' }],
      skip: (page - 1) * SITE_PAGE_SIZE,
      take: SITE_PAGE_SIZE + 1,
    });
    return {
      items: rows.slice(0, SITE_PAGE_SIZE).map((r) => ({
        uscc: r.uscc,
        name: r.name,
        status: ENTITY_STATUS_LABELS[r.status] ?? r.status,
        establishedOn: dayOf(r.establishedOn),
        onRedList: r.redList.length > 0,
      })),
      page,
      pageSize: SITE_PAGE_SIZE,
      hasMore: rows.length > SITE_PAGE_SIZE && page < 20,
    };
  }

  async entity(uscc: string): Promise<PublicEntity> {
    const today = chinaDate(this.clock.now());
    const e = await this.db.prisma.entity.findUnique({
      where: usccKey(uscc),
      select: {
        id: true,
        uscc: true,
        name: true,
        type: true,
        status: true,
        establishedOn: true,
        registeredCapital: true,
        industryCode: true,
        regionCode: true,
        legalRep: { select: { name: true } },
        redList: { orderBy: { listedAt: 'desc' }, take: 10 },
        typicalCases: {
          where: { noticeFrom: { not: null } },
          select: { id: true, title: true, status: true },
          orderBy: { id: 'desc' },
        },
      },
    });
    if (!e) throw new AppError(ErrorCodes.NOT_FOUND, '未找到该市场主体，请核对统一社会信用代码');
    const versions = await this.db.prisma.creditRecordVersion.findMany({
      where: { entityId: e.id, supersededAt: null, kind: { in: [...PUBLIC_RECORD_KINDS] } },
      select: {
        recordId: true,
        kind: true,
        status: true,
        category: true,
        severity: true,
        grade: true,
        occurredOn: true,
        validFrom: true,
        validTo: true,
        payload: true,
        reason: true,
      },
    });
    const inputs: ReportRecordInput[] = versions.map((v) => {
      const p = (v.payload ?? {}) as Payload;
      return {
        recordId: idOf(v.recordId),
        kind: v.kind as RecordKind,
        status: v.status,
        category: v.category,
        severity: v.severity,
        grade: v.grade,
        occurredOn: dayOf(v.occurredOn),
        validFrom: dayOf(v.validFrom),
        validTo: dayOrNull(v.validTo),
        summary: text(p.summary),
        documentNo: text(p.documentNo),
        authority: text(p.authority),
        corrected: v.reason === 'objection_upheld',
      };
    });
    const stays = e.redList.map((r) => ({
      grade: r.grade as 'A',
      gradedAt: r.gradedAt.toISOString(),
      listedAt: r.listedAt.toISOString(),
      withdrawnAt: r.withdrawnAt?.toISOString() ?? null,
      withdrawReason: r.withdrawReason ? (RED_LIST_WITHDRAW_LABELS[r.withdrawReason] ?? r.withdrawReason) : null,
    }));
    return {
      uscc: e.uscc,
      name: e.name,
      type: e.type,
      status: ENTITY_STATUS_LABELS[e.status] ?? e.status,
      establishedOn: dayOf(e.establishedOn),
      registeredCapital: e.registeredCapital.toFixed(2),
      industryCode: e.industryCode,
      regionCode: e.regionCode,
      legalRepresentative: e.legalRep ? maskPublicName(e.legalRep.name) : null,
      records: publicRecords(inputs, today).map((r) => ({
        kindLabel: r.kindLabel,
        detail: r.detail,
        occurredOn: r.occurredOn,
        validTo: r.validTo,
        summary: r.summary,
        documentNo: r.documentNo,
        authority: r.authority,
        marks: r.marks,
      })),
      redList: stays.find((s) => s.withdrawnAt === null) ?? null,
      redListHistory: stays.filter((s) => s.withdrawnAt !== null),
      typicalCases: e.typicalCases,
      asOf: today,
    };
  }

  async redList(page: number): Promise<RedList> {
    const since = new Date(this.clock.now().getTime() - WITHDRAWN_SHOWN_DAYS * 86_400_000);
    const [rows, total, withdrawn] = await Promise.all([
      this.db.prisma.redListEntry.findMany({
        where: { withdrawnAt: null },
        select: { grade: true, gradedAt: true, listedAt: true, entity: { select: { uscc: true, name: true } } },
        orderBy: [{ listedAt: 'desc' }, { id: 'asc' }],
        skip: (page - 1) * SITE_PAGE_SIZE,
        take: SITE_PAGE_SIZE + 1,
      }),
      this.db.prisma.redListEntry.count({ where: { withdrawnAt: null } }),
      this.db.prisma.redListEntry.findMany({
        where: { withdrawnAt: { gte: since } },
        select: {
          listedAt: true,
          withdrawnAt: true,
          withdrawReason: true,
          entity: { select: { uscc: true, name: true } },
        },
        orderBy: [{ withdrawnAt: 'desc' }, { id: 'desc' }],
        take: 20,
      }),
    ]);
    return {
      items: rows.slice(0, SITE_PAGE_SIZE).map((r) => ({
        uscc: r.entity.uscc,
        name: r.entity.name,
        grade: r.grade as 'A',
        gradedAt: r.gradedAt.toISOString(),
        listedAt: r.listedAt.toISOString(),
      })),
      withdrawn: withdrawn.map((r) => ({
        uscc: r.entity.uscc,
        name: r.entity.name,
        listedAt: r.listedAt.toISOString(),
        withdrawnAt: r.withdrawnAt!.toISOString(),
        withdrawReason: RED_LIST_WITHDRAW_LABELS[r.withdrawReason ?? ''] ?? '移出',
      })),
      total,
      page,
      pageSize: SITE_PAGE_SIZE,
      hasMore: rows.length > SITE_PAGE_SIZE && page < 20,
      basis: RED_LIST_BASIS,
    };
  }

  /**
   * Publishes the 诚信主体 list as of now: every A-grade entity in business that passes the credit
   * gate and is not listed yet joins it, with its grade and the evaluation's date; a listed entity
   * that no longer qualifies leaves it (the triggers take most of them off at once; this catches
   * what they cannot see, such as a record whose window begins later). Set-wise, under a lock.
   */
  async publishRedList(who: Principal): Promise<RedListPublication> {
    const now = this.clock.now();
    const today = chinaDate(now);
    const qualifies = {
      status: 'active' as const,
      score: { grade: 'A' },
      records: { none: { versions: { some: seriousRecordWhere(today) } } },
    };
    return this.db.tx(async (sql) => {
      // Raw SQL: an advisory lock, which the client cannot take.
      await sql.query('SELECT pg_advisory_xact_lock($1)', [RED_LIST_LOCK]);
      const stale = await sql.prisma.redListEntry.findMany({
        where: { withdrawnAt: null, entity: { NOT: qualifies } },
        select: { id: true, entityId: true, entity: { select: { score: { select: { grade: true } } } } },
      });
      for (const reason of ['downgrade', 'serious_record'] as const) {
        const ids = stale
          .filter((s) => (s.entity.score?.grade === 'A') === (reason === 'serious_record'))
          .map((s) => s.id);
        if (ids.length)
          await sql.prisma.redListEntry.updateMany({
            where: { id: { in: ids } },
            data: { withdrawnAt: now, withdrawReason: reason },
          });
      }
      const joining = await sql.prisma.entity.findMany({
        where: { ...qualifies, redList: { none: { withdrawnAt: null } } },
        select: { id: true, bucket: true, score: { select: { grade: true, asOf: true } } },
      });
      const by = actorOf(who);
      await sql.prisma.redListEntry.createMany({
        data: joining.map((e) => ({
          entityId: e.id,
          entityBucket: e.bucket,
          grade: e.score!.grade!,
          gradedAt: e.score!.asOf ?? now,
          listedAt: now,
          listedBy: by.actorId,
        })),
      });
      const total = await sql.prisma.redListEntry.count({ where: { withdrawnAt: null } });
      await appendAudit(
        sql,
        {
          ...by,
          action: 'red_list.publish',
          objectType: 'red_list',
          objectId: null,
          detail: { listed: joining.length, withdrawn: stale.length, total, day: today },
        },
        { now },
      );
      return { listed: joining.length, total, publishedAt: now.toISOString() };
    });
  }
}
