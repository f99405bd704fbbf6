import crypto from 'node:crypto';
import { Injectable } from '@nestjs/common';
import {
  AppError,
  ErrorCodes,
  NEGATIVE_RECORD_KINDS,
  RECORD_KIND_LABELS,
  SITE_PAGE_SIZE,
  TYPICAL_CASE_MAX_PHOTO_BYTES,
  TYPICAL_CASE_STATUS_LABELS,
  type NominateTypicalCaseBody,
  type PublicCase,
  type PublicCases,
  type PublishTypicalCaseBody,
  type ReviewTypicalCaseBody,
  type TypicalCase,
  type TypicalCaseStatus,
} from '@heihe/shared';
import { appendAudit } from '../audit';
import { actorOf, type Principal } from '../auth';
import { chinaDate } from '../common/china-time';
import { Clock } from '../common/clock';
import { Database, type Sql } from '../db/database';
import { dateOfDay, dayOf } from '../db/values';
import { FileStorage } from '../evidence';
import type { TypicalCase as CaseRow } from '../generated/prisma/client';
import { usccKey } from '../db/shard';

/** Where published case photos live: the evidence FileStorage adapter, its own DI token. */
export abstract class CasePhotoStorage extends FileStorage {}

const KIND = 'typical_case';
/** Statuses a case can still be withdrawn from (by staff; the automatic withdrawal also takes nominated ones). */
const OPEN: TypicalCaseStatus[] = ['checked', 'notice', 'published'];

interface CaseCheck {
  passed: boolean;
  grade: 'A' | 'B' | 'C' | 'D' | 'E' | null;
  negatives: Array<{ kindLabel: string; occurredOn: string }>;
  reasons: string[];
  asOf: string;
}
interface Photo {
  key: string;
  mime: string;
  sha256: string;
  caption: string;
}

const who = (p: Principal): string =>
  p.kind === 'staff' ? p.username : p.kind === 'api_client' ? p.name : `user:${p.userId}`;

/** JPEG and PNG by their first bytes: the declared type must be what the bytes are. */
function imageType(b: Buffer): string | null {
  if (b.length > 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'image/jpeg';
  if (b.length > 8 && b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])))
    return 'image/png';
  return null;
}

/**
 * 诚信典型案例: nomination with an automatic check, review, a public notice period with objections
 * queued for staff, publication with the enterprise's consent, and withdrawal (by staff; the
 * relay's site handlers, site.outbox.ts, withdraw automatically on a new negative record or a downgrade). Every
 * decision is audited and leaves a timeline event (application_event, kind 'typical_case').
 */
@Injectable()
export class TypicalCasesService {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly storage: CasePhotoStorage,
  ) {}

  /** Grade A, and no negative record (active or under objection) in its window today. */
  async check(sql: Sql, entityId: number, now: Date): Promise<CaseCheck> {
    const today = chinaDate(now);
    const d = dateOfDay(today);
    const [score, negatives] = await Promise.all([
      sql.prisma.entityScore.findFirst({ where: { entityId }, select: { grade: true } }),
      sql.prisma.creditRecordVersion.findMany({
        where: {
          entityId,
          supersededAt: null,
          status: { in: ['active', 'under_objection'] },
          kind: { in: [...NEGATIVE_RECORD_KINDS] },
          validFrom: { lte: d },
          OR: [{ validTo: null }, { validTo: { gt: d } }],
        },
        select: { kind: true, occurredOn: true },
        orderBy: { occurredOn: 'desc' },
        take: 20,
      }),
    ]);
    const grade = (score?.grade ?? null) as CaseCheck['grade'];
    const reasons: string[] = [];
    if (grade !== 'A') reasons.push(grade ? `信用等级为 ${grade} 级，须为 A 级` : '尚无信用评价结果，须为 A 级');
    if (negatives.length) reasons.push(`公示期内有 ${negatives.length} 条失信或负面记录`);
    return {
      passed: reasons.length === 0,
      grade,
      negatives: negatives.map((n) => ({ kindLabel: RECORD_KIND_LABELS[n.kind], occurredOn: dayOf(n.occurredOn) })),
      reasons,
      asOf: now.toISOString(),
    };
  }

  async nominate(p: Principal, body: NominateTypicalCaseBody): Promise<TypicalCase> {
    const now = this.clock.now();
    const id = await this.db.tx(async (sql) => {
      const entity = await sql.prisma.entity.findUnique({
        where: usccKey(body.uscc),
        select: { id: true, bucket: true },
      });
      if (!entity) throw new AppError(ErrorCodes.NOT_FOUND, '未找到该市场主体，请核对统一社会信用代码');
      // Raw SQL: an advisory lock per entity, so two nominations cannot both find no open case.
      await sql.query('SELECT pg_advisory_xact_lock(727291, $1)', [entity.id]);
      const open = await sql.prisma.typicalCase.findFirst({
        where: { entityId: entity.id, status: { in: OPEN } },
        select: { id: true, title: true },
      });
      if (open)
        throw new AppError(ErrorCodes.CONFLICT, `该主体已有进行中的典型案例（第 ${open.id} 号「${open.title}」）`);
      const check = await this.check(sql, entity.id, now);
      const status: TypicalCaseStatus = check.passed ? 'checked' : 'check_failed';
      const actor = actorOf(p);
      const row = await sql.prisma.typicalCase.create({
        data: {
          entityId: entity.id,
          entityBucket: entity.bucket,
          title: body.title,
          reason: body.reason,
          status,
          nominatedBy: actor.actorId,
          nominatedByName: who(p),
          nominatedAt: now,
          check: check as object,
          checkedAt: now,
        },
      });
      await caseEvent(sql, row.id, now, 'nominated', who(p), null);
      await caseEvent(sql, row.id, now, status, 'system', check.passed ? '自动核查通过' : check.reasons.join('；'));
      await appendAudit(
        sql,
        {
          ...actor,
          action: 'typical_case.nominate',
          objectType: KIND,
          objectId: String(row.id),
          entityId: entity.id,
          detail: { title: body.title, check: { passed: check.passed, grade: check.grade, reasons: check.reasons } },
        },
        { now },
      );
      return row.id;
    });
    return this.staffView(id);
  }

  async review(p: Principal, id: number, body: ReviewTypicalCaseBody): Promise<TypicalCase> {
    const now = this.clock.now();
    await this.db.tx(async (sql) => {
      const c = await this.lock(sql, id);
      if (c.status !== 'checked')
        throw new AppError(ErrorCodes.APPLICATION_STATE, `案例当前为「${statusLabel(c.status)}」，不能审核`);
      let status: TypicalCaseStatus = body.decision === 'approve' ? 'notice' : 'rejected';
      let note = body.reason;
      const check = body.decision === 'approve' ? await this.check(sql, c.entityId, now) : null;
      if (check && !check.passed) {
        status = 'check_failed';
        note = `审核时复核未通过：${check.reasons.join('；')}`;
      }
      const until = new Date(now.getTime() + body.noticeDays * 86_400_000);
      await sql.prisma.typicalCase.update({
        where: { id },
        data: {
          status,
          reviewedAt: now,
          reviewedBy: who(p),
          reviewReason: body.reason,
          ...(check ? { check: check as object, checkedAt: now } : {}),
          ...(status === 'notice' ? { noticeFrom: now, noticeUntil: until } : {}),
        },
      });
      await caseEvent(sql, id, now, status, who(p), note);
      await appendAudit(
        sql,
        {
          ...actorOf(p),
          action: 'typical_case.review',
          objectType: KIND,
          objectId: String(id),
          entityId: c.entityId,
          detail: { decision: body.decision, outcome: status, reason: body.reason, noticeDays: body.noticeDays },
        },
        { now },
      );
    });
    return this.staffView(id);
  }

  /** Anyone, during the notice period: queued for staff. Nothing personal is asked for. */
  async object(id: number, statement: string): Promise<{ id: number; submittedAt: string; message: string }> {
    const now = this.clock.now();
    const c = await this.db.prisma.typicalCase.findUnique({
      where: { id },
      select: { status: true, noticeUntil: true },
    });
    if (!c || !c.noticeUntil) throw new AppError(ErrorCodes.NOT_FOUND, '未找到该案例');
    if (c.status !== 'notice' || c.noticeUntil <= now)
      throw new AppError(ErrorCodes.APPLICATION_STATE, '该案例不在公示期内，已不受理异议');
    const row = await this.db.prisma.typicalCaseObjection.create({
      data: { caseId: id, statement, submittedAt: now },
      select: { id: true, submittedAt: true },
    });
    return {
      id: row.id,
      submittedAt: row.submittedAt.toISOString(),
      message: '异议已收到，信用中心将在公示期结束前核实处理；异议成立的，案例将撤销',
    };
  }

  async decideObjection(
    p: Principal,
    objectionId: number,
    decision: 'upheld' | 'dismissed',
    note: string,
  ): Promise<void> {
    const now = this.clock.now();
    await this.db.tx(async (sql) => {
      const o = await sql.prisma.typicalCaseObjection.findUnique({ where: { id: objectionId } });
      if (!o) throw new AppError(ErrorCodes.NOT_FOUND, '未找到该异议');
      const c = await this.lock(sql, o.caseId);
      const claimed = await sql.prisma.typicalCaseObjection.updateMany({
        where: { id: objectionId, status: 'queued' },
        data: { status: decision, decidedAt: now, decidedBy: who(p), decisionNote: note },
      });
      if (!claimed.count) throw new AppError(ErrorCodes.APPLICATION_STATE, '该异议已处理');
      if (decision === 'upheld' && OPEN.includes(c.status as TypicalCaseStatus))
        await this.markWithdrawn(sql, c, now, who(p), `公示期异议成立：${note}`);
      else
        await caseEvent(
          sql,
          c.id,
          now,
          c.status,
          who(p),
          `异议 ${objectionId} ${decision === 'upheld' ? '成立' : '不成立'}：${note}`,
        );
      await appendAudit(
        sql,
        {
          ...actorOf(p),
          action: 'typical_case.objection.decide',
          objectType: 'typical_case_objection',
          objectId: String(objectionId),
          entityId: c.entityId,
          detail: { caseId: c.id, decision, note },
        },
        { now },
      );
    });
  }

  async publish(p: Principal, id: number, body: PublishTypicalCaseBody): Promise<TypicalCase> {
    const now = this.clock.now();
    const photos = body.photos.map((ph) => {
      const data = Buffer.from(ph.data, 'base64');
      if (data.length > TYPICAL_CASE_MAX_PHOTO_BYTES)
        throw new AppError(ErrorCodes.EVIDENCE_TOO_LARGE, '每张照片不超过 2 MB');
      if (imageType(data) !== ph.mime)
        throw new AppError(ErrorCodes.EVIDENCE_MALFORMED, '照片内容与声明的类型不符，请上传 JPEG 或 PNG 图片');
      return { data, mime: ph.mime, caption: ph.caption };
    });
    if (body.consent.on > chinaDate(now))
      throw new AppError(ErrorCodes.VALIDATION_FAILED, '同意书签署日期不能晚于今天', [
        { path: 'body.consent.on', message: '同意书签署日期不能晚于今天' },
      ]);
    await this.db.tx(async (sql) => {
      const c = await this.lock(sql, id);
      if (c.status !== 'notice')
        throw new AppError(ErrorCodes.APPLICATION_STATE, `案例当前为「${statusLabel(c.status)}」，不能发布`);
      if (c.noticeUntil && c.noticeUntil > now)
        throw new AppError(
          ErrorCodes.APPLICATION_STATE,
          `公示期至 ${chinaDate(c.noticeUntil)} 结束，公示期满且异议处理完毕后方可发布`,
        );
      const queued = await sql.prisma.typicalCaseObjection.count({ where: { caseId: id, status: 'queued' } });
      if (queued) throw new AppError(ErrorCodes.APPLICATION_STATE, `尚有 ${queued} 条公示期异议未处理，处理后方可发布`);
      const check = await this.check(sql, c.entityId, now);
      if (!check.passed)
        throw new AppError(ErrorCodes.APPLICATION_STATE, `发布前复核未通过：${check.reasons.join('；')}`);
      const stored: Photo[] = [];
      for (const ph of photos) {
        const key = FileStorage.newKey(now);
        await this.storage.put(key, ph.data);
        stored.push({
          key,
          mime: ph.mime,
          caption: ph.caption,
          sha256: crypto.createHash('sha256').update(ph.data).digest('hex'),
        });
      }
      await sql.prisma.typicalCase.update({
        where: { id },
        data: {
          status: 'published',
          story: body.story,
          photos: stored as unknown as object,
          consentBy: body.consent.by,
          consentOn: dateOfDay(body.consent.on),
          consentDocument: body.consent.document,
          publishedAt: now,
          publishedBy: who(p),
          check: check as object,
          checkedAt: now,
        },
      });
      await caseEvent(sql, id, now, 'published', who(p), `企业同意书：${body.consent.document}（${body.consent.on}）`);
      await appendAudit(
        sql,
        {
          ...actorOf(p),
          action: 'typical_case.publish',
          objectType: KIND,
          objectId: String(id),
          entityId: c.entityId,
          detail: { photos: stored.map((s) => s.sha256), consent: body.consent },
        },
        { now },
      );
    });
    return this.staffView(id);
  }

  async withdraw(p: Principal, id: number, reason: string): Promise<TypicalCase> {
    const now = this.clock.now();
    await this.db.tx(async (sql) => {
      const c = await this.lock(sql, id);
      if (!OPEN.includes(c.status as TypicalCaseStatus))
        throw new AppError(ErrorCodes.APPLICATION_STATE, `案例当前为「${statusLabel(c.status)}」，不能撤销`);
      await this.markWithdrawn(sql, c, now, who(p), reason);
      await appendAudit(
        sql,
        {
          ...actorOf(p),
          action: 'typical_case.withdraw',
          objectType: KIND,
          objectId: String(id),
          entityId: c.entityId,
          detail: { reason, from: c.status },
        },
        { now },
      );
    });
    return this.staffView(id);
  }

  async staffView(id: number): Promise<TypicalCase> {
    const c = await this.db.prisma.typicalCase.findUnique({
      where: { id },
      include: { entity: { select: { uscc: true, name: true } } },
    });
    if (!c) throw new AppError(ErrorCodes.NOT_FOUND, '未找到该案例');
    const [events, queued, total] = await Promise.all([
      this.db.prisma.applicationEvent.findMany({
        where: { applicationKind: KIND, applicationId: id },
        orderBy: [{ at: 'asc' }, { id: 'asc' }],
      }),
      this.db.prisma.typicalCaseObjection.count({ where: { caseId: id, status: 'queued' } }),
      this.db.prisma.typicalCaseObjection.count({ where: { caseId: id } }),
    ]);
    return {
      ...this.summary(c, { queued, total }),
      story: c.story,
      timeline: events.map((e) => ({ at: e.at.toISOString(), status: e.status, actor: e.actor, note: e.note })),
    };
  }

  async staffList(status: TypicalCaseStatus | undefined, page: number) {
    const rows = await this.db.prisma.typicalCase.findMany({
      where: status ? { status } : {},
      include: {
        entity: { select: { uscc: true, name: true } },
        objections: { select: { status: true } },
      },
      orderBy: { id: 'desc' },
      skip: (page - 1) * SITE_PAGE_SIZE,
      take: SITE_PAGE_SIZE + 1,
    });
    return {
      items: rows.slice(0, SITE_PAGE_SIZE).map((c) =>
        this.summary(c, {
          queued: c.objections.filter((o) => o.status === 'queued').length,
          total: c.objections.length,
        }),
      ),
      page,
      pageSize: SITE_PAGE_SIZE,
      hasMore: rows.length > SITE_PAGE_SIZE,
    };
  }

  async objections(status: 'queued' | 'upheld' | 'dismissed' | undefined, page: number) {
    const rows = await this.db.prisma.typicalCaseObjection.findMany({
      where: status ? { status } : {},
      include: { typicalCase: { select: { title: true } } },
      orderBy: [{ submittedAt: 'asc' }, { id: 'asc' }],
      skip: (page - 1) * SITE_PAGE_SIZE,
      take: SITE_PAGE_SIZE + 1,
    });
    return {
      items: rows.slice(0, SITE_PAGE_SIZE).map((o) => ({
        id: o.id,
        caseId: o.caseId,
        caseTitle: o.typicalCase.title,
        statement: o.statement,
        submittedAt: o.submittedAt.toISOString(),
        status: o.status as 'queued',
        decidedAt: o.decidedAt?.toISOString() ?? null,
        decidedBy: o.decidedBy,
        decisionNote: o.decisionNote,
      })),
      page,
      pageSize: SITE_PAGE_SIZE,
      hasMore: rows.length > SITE_PAGE_SIZE,
    };
  }

  /** Cases the public may see: once their notice began. Newest first. */
  async publicList(page: number): Promise<PublicCases> {
    const rows = await this.db.prisma.typicalCase.findMany({
      where: { noticeFrom: { not: null }, status: { in: ['notice', 'published', 'withdrawn'] } },
      include: { entity: { select: { uscc: true, name: true } } },
      orderBy: [{ noticeFrom: 'desc' }, { id: 'desc' }],
      skip: (page - 1) * SITE_PAGE_SIZE,
      take: SITE_PAGE_SIZE + 1,
    });
    const now = this.clock.now();
    return {
      items: rows.slice(0, SITE_PAGE_SIZE).map((c) => {
        const { story: _s, photos, ...rest } = this.publicView(c, now);
        return { ...rest, photo: photos[0]?.url ?? null };
      }),
      page,
      pageSize: SITE_PAGE_SIZE,
      hasMore: rows.length > SITE_PAGE_SIZE && page < 20,
    };
  }

  async publicCase(id: number): Promise<PublicCase> {
    const c = await this.db.prisma.typicalCase.findUnique({
      where: { id },
      include: { entity: { select: { uscc: true, name: true } } },
    });
    if (!c || !c.noticeFrom || !['notice', 'published', 'withdrawn'].includes(c.status))
      throw new AppError(ErrorCodes.NOT_FOUND, '未找到该案例');
    return this.publicView(c, this.clock.now());
  }

  /** A published case's photo; nothing of a withdrawn or unpublished case. */
  async photo(id: number, n: number): Promise<{ data: Buffer; mime: string }> {
    const c = await this.db.prisma.typicalCase.findUnique({ where: { id }, select: { status: true, photos: true } });
    const ph = c?.status === 'published' ? (c.photos as unknown as Photo[])[n] : undefined;
    if (!ph) throw new AppError(ErrorCodes.NOT_FOUND, '未找到该图片');
    return { data: await this.storage.get(ph.key), mime: ph.mime };
  }

  private publicView(c: CaseRow & { entity: { uscc: string; name: string } }, now: Date): PublicCase {
    const published = c.status === 'published';
    const photos = published ? (c.photos as unknown as Photo[]) : [];
    return {
      id: c.id,
      title: c.title,
      uscc: c.entity.uscc,
      entityName: c.entity.name,
      status: c.status as PublicCase['status'],
      reason: c.reason,
      story: published ? c.story : null,
      photos: photos.map((ph, i) => ({ url: `/site/cases/${c.id}/photos/${i}`, caption: ph.caption })),
      noticeFrom: c.noticeFrom!.toISOString(),
      noticeUntil: c.noticeUntil!.toISOString(),
      objectionsOpen: c.status === 'notice' && c.noticeUntil! > now,
      consentRecorded: c.consentOn !== null,
      publishedAt: c.publishedAt?.toISOString() ?? null,
      withdrawnAt: c.withdrawnAt?.toISOString() ?? null,
      withdrawReason: c.withdrawReason,
    };
  }

  private summary(
    c: CaseRow & { entity: { uscc: string; name: string } },
    objections: { queued: number; total: number },
  ) {
    return {
      id: c.id,
      uscc: c.entity.uscc,
      entityName: c.entity.name,
      title: c.title,
      reason: c.reason,
      status: c.status as TypicalCaseStatus,
      nominatedBy: c.nominatedByName,
      nominatedAt: c.nominatedAt.toISOString(),
      check: (c.check as CaseCheck | null) ?? null,
      reviewedAt: c.reviewedAt?.toISOString() ?? null,
      reviewedBy: c.reviewedBy,
      reviewReason: c.reviewReason,
      noticeFrom: c.noticeFrom?.toISOString() ?? null,
      noticeUntil: c.noticeUntil?.toISOString() ?? null,
      photoCount: (c.photos as unknown as Photo[]).length,
      consent:
        c.consentBy && c.consentOn && c.consentDocument
          ? { by: c.consentBy, on: dayOf(c.consentOn), document: c.consentDocument }
          : null,
      publishedAt: c.publishedAt?.toISOString() ?? null,
      withdrawnAt: c.withdrawnAt?.toISOString() ?? null,
      withdrawnBy: c.withdrawnBy,
      withdrawReason: c.withdrawReason,
      objections,
    };
  }

  private async markWithdrawn(sql: Sql, c: CaseRow, now: Date, by: string, reason: string): Promise<void> {
    await sql.prisma.typicalCase.update({
      where: { id: c.id },
      data: { status: 'withdrawn', withdrawnAt: now, withdrawnBy: by, withdrawReason: reason },
    });
    await caseEvent(sql, c.id, now, 'withdrawn', by, reason);
  }

  /** The case, locked for the decision (a second reviewer waits, then sees the new status). */
  private async lock(sql: Sql, id: number): Promise<CaseRow> {
    // Raw SQL: a row lock, which the client cannot take.
    const [row] = await sql.query<{ id: number }>('SELECT id FROM typical_case WHERE id = $1 FOR UPDATE', [id]);
    if (!row) throw new AppError(ErrorCodes.NOT_FOUND, '未找到该案例');
    return (await sql.prisma.typicalCase.findUnique({ where: { id } }))!;
  }
}

/** One entry of a typical case's timeline (staff's decisions and the relay's automatic withdrawals). */
export async function caseEvent(sql: Sql, id: number, at: Date, status: string, actor: string, note: string | null) {
  await sql.prisma.applicationEvent.create({
    data: { applicationKind: KIND, applicationId: id, at, status, actor, note },
  });
}

function statusLabel(s: string): string {
  return TYPICAL_CASE_STATUS_LABELS[s as TypicalCaseStatus] ?? s;
}
