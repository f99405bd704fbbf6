import crypto from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import {
  AppError,
  APPLICATION_STATUS_LABELS,
  decisionDeadline,
  ErrorCodes,
  GOOD_INFO_CATEGORY_LABELS,
  goodInfoRecord,
  nextStatus,
  type ApplicationStatus,
  type CreateGoodInfoReport,
  type DecideGoodInfoReport,
  type GoodInfoCategory,
  type GoodInfoReportView,
  type HonourLevel,
  type Resubmit,
} from '@heihe/shared';
import { appendAudit } from '../audit/audit';
import { actorOf, type Principal } from '../auth/principal';
import { CalendarService } from '../calendar/calendar.service';
import { Config, type AppConfig } from '../config/config';
import { Database, type Sql } from '../db/database';
import { attachEvidence, evidenceOf } from '../evidence/evidence.repository';
import { messageDecision } from '../notify/notify';
import {
  actorString,
  addEvent,
  type ApplicationRead,
  deadlineColumns,
  deadlineParams,
  deadlineView,
  eventsOf,
  findVisible,
  iso,
  isoOrNull,
  listOwn,
  lockApplication,
  requireBoundUser,
  requireReviewer,
  resubmitApplication,
} from '../review/applications';
import { Clock } from '../common/clock';
import { rescoreAround, type ScoreOutcome } from '../review/rescore';
import { chinaDate } from '../common/china-time';

interface Row {
  id: number;
  entityId: number;
  entityName: string;
  uscc: string;
  userId: number;
  category: GoodInfoCategory;
  level: HonourLevel | null;
  title: string;
  description: string;
  occurredOn: string;
  status: ApplicationStatus;
  filedAt: Date | string;
  dueOn: string;
  dueFrom: string;
  dueProvisional: boolean;
  decidedAt: Date | string | null;
  decidedBy: string | null;
  decisionReason: string | null;
  createdRecordId: number | null;
  scoreBefore: number | null;
  scoreAfter: number | null;
  gradeBefore: string | null;
  gradeAfter: string | null;
}

const SELECT = `
  SELECT g.id, g.entity_id AS "entityId", e.name AS "entityName", e.uscc, g.user_id AS "userId", g.category, g.level,
         g.title, g.description, g.occurred_on::text AS "occurredOn", g.status, g.filed_at AS "filedAt",
         ${deadlineColumns('g')}, g.decided_at AS "decidedAt", g.decided_by AS "decidedBy",
         g.decision_reason AS "decisionReason", g.created_record_id AS "createdRecordId",
         g.score_before AS "scoreBefore", g.score_after AS "scoreAfter", g.grade_before AS "gradeBefore", g.grade_after AS "gradeAfter"
  FROM good_info_report g JOIN entity e ON e.id = g.entity_id`;
const READ: ApplicationRead = { select: SELECT, alias: 'g' };

/** Records made from confirmed reports carry this source system (SCORING.md record catalogue). */
export const SELF_REPORT_SOURCE = 'self-report';

/**
 * 自主上报良好信息: honours, charity, volunteering, employment aid and contract-compliance
 * certificates, each with evidence. Once the agency confirms one, it becomes an honour or welfare
 * record (source system 'self-report') and the entity is re-scored in the same transaction.
 */
@Injectable()
export class GoodInfoService {
  private readonly templates: { decision: string; grade: string };
  private readonly maxFiles: number;

  constructor(
    private readonly db: Database,
    @Inject(Config.token)
    config: Pick<AppConfig, 'EVIDENCE_MAX_FILES' | 'WECHAT_TEMPLATE_DECISION' | 'WECHAT_TEMPLATE_GRADE'>,
    private readonly calendar: CalendarService,
    private readonly clock: Clock,
  ) {
    this.templates = { decision: config.WECHAT_TEMPLATE_DECISION, grade: config.WECHAT_TEMPLATE_GRADE };
    this.maxFiles = config.EVIDENCE_MAX_FILES;
  }

  async create(who: Principal, b: CreateGoodInfoReport): Promise<GoodInfoReportView> {
    requireBoundUser(who, b.entityId);
    const at = this.clock.now();
    const today = chinaDate(at);
    if (b.occurredOn > today)
      throw new AppError(ErrorCodes.VALIDATION_FAILED, '获得荣誉或开展活动的日期不能晚于今天', [
        { path: 'occurredOn', message: b.occurredOn },
      ]);
    const deadline = decisionDeadline(await this.calendar.calendar(), 'good_info', today);
    const level = b.category === 'honour' ? b.level : null;
    const id = await this.db.tx(async (sql) => {
      const dup = await sql.query(
        `SELECT id FROM good_info_report WHERE entity_id = $1 AND category = $2 AND title = $3 AND occurred_on = $4::date AND status <> 'rejected'`,
        [b.entityId, b.category, b.title, b.occurredOn],
      );
      if (dup.length) throw new AppError(ErrorCodes.APPLICATION_OPEN, '该信息已经上报过，请勿重复提交');
      const [row] = await sql.query<{ id: number }>(
        `INSERT INTO good_info_report (entity_id, user_id, category, level, title, description, occurred_on, status, filed_at,
           due_on, due_from, due_provisional)
         VALUES ($1, $2, $3, $4, $5, $6, $7::date, 'submitted', $8, $9::date, $10::date, $11) RETURNING id`,
        [
          b.entityId,
          who.userId,
          b.category,
          level,
          b.title,
          b.description,
          b.occurredOn,
          at.toISOString(),
          ...deadlineParams(deadline),
        ],
      );
      const id = row!.id;
      await attachEvidence(sql, {
        entityId: b.entityId,
        kind: 'good_info',
        applicationId: id,
        ids: b.evidenceIds,
        maxFiles: this.maxFiles,
        at,
      });
      await addEvent(sql, 'good_info', id, 'submitted', actorString(who), null, at);
      await appendAudit(
        sql,
        {
          ...actorOf(who),
          action: 'good_info.file',
          objectType: 'good_info_report',
          objectId: String(id),
          entityId: b.entityId,
          detail: { category: b.category, level, dueOn: deadline.dueOn, provisional: deadline.provisional },
        },
        { now: at },
      );
      return id;
    });
    return this.get(who, id);
  }

  async get(who: Principal, id: number): Promise<GoodInfoReportView> {
    const row = await findVisible<Row>(this.db, READ, who, id);
    return (await this.views(this.db, [row], who.kind === 'staff'))[0]!;
  }

  async listMine(
    who: Principal,
    q: { entityId?: number; status?: ApplicationStatus },
  ): Promise<{ items: GoodInfoReportView[] }> {
    const rows = await listOwn<Row>(this.db, READ, who, q, '上报');
    return { items: await this.views(this.db, rows, false) };
  }

  async resubmit(who: Principal, id: number, b: Resubmit): Promise<GoodInfoReportView> {
    const at = this.clock.now();
    const deadline = decisionDeadline(await this.calendar.calendar(), 'good_info', chinaDate(at));
    await this.db.tx((sql) =>
      resubmitApplication(sql, {
        kind: 'good_info',
        id,
        who,
        deadline,
        note: b.note,
        evidence: { ids: b.evidenceIds, maxFiles: this.maxFiles },
        at,
      }),
    );
    return this.get(who, id);
  }

  async decide(who: Principal, id: number, d: DecideGoodInfoReport): Promise<GoodInfoReportView> {
    requireReviewer(who);
    const at = this.clock.now();
    await this.db.tx(async (sql) => {
      const app = await lockApplication(sql, 'good_info', id);
      const to = nextStatus('good_info', app.status, d.action);
      const reason = d.action === 'accept' ? (d.note ?? null) : d.reason;
      let outcome: ScoreOutcome | null = null;
      let recordId: number | null = null;
      if (d.action === 'confirm') {
        const [r] = await sql.query<Row>(`${SELECT} WHERE g.id = $1`, [id]);
        const level = r!.category === 'honour' ? (d.level ?? r!.level) : null;
        outcome = await rescoreAround(sql, app.entityId, at, 'good_info.confirmed', async () => {
          recordId = await this.createRecord(sql, r!, level, at);
        });
        if (level !== r!.level) await sql.query(`UPDATE good_info_report SET level = $2 WHERE id = $1`, [id, level]);
      }
      const final = to === 'confirmed' || to === 'rejected';
      await sql.query(
        `UPDATE good_info_report SET status = $2,
           decided_at = CASE WHEN $3 THEN $4::timestamptz ELSE decided_at END,
           decided_by = CASE WHEN $3 THEN $5 ELSE decided_by END,
           decision_reason = CASE WHEN $3 THEN $6 ELSE decision_reason END,
           created_record_id = coalesce($7, created_record_id),
           score_before = coalesce($8, score_before), score_after = coalesce($9, score_after),
           grade_before = coalesce($10, grade_before), grade_after = coalesce($11, grade_after)
         WHERE id = $1`,
        [
          id,
          to,
          final,
          at.toISOString(),
          actorString(who),
          reason,
          recordId,
          outcome?.scoreBefore ?? null,
          outcome?.scoreAfter ?? null,
          outcome?.gradeBefore ?? null,
          outcome?.gradeAfter ?? null,
        ],
      );
      await addEvent(sql, 'good_info', id, to, actorString(who), reason, at);
      await appendAudit(
        sql,
        {
          ...actorOf(who),
          action: `good_info.${d.action}`,
          objectType: 'good_info_report',
          objectId: String(id),
          entityId: app.entityId,
          detail: {
            from: app.status,
            to,
            reason,
            recordId,
            score: outcome
              ? {
                  before: outcome.scoreBefore,
                  after: outcome.scoreAfter,
                  gradeBefore: outcome.gradeBefore,
                  gradeAfter: outcome.gradeAfter,
                }
              : null,
          },
        },
        { now: at },
      );
      await messageDecision(sql, this.templates, {
        kind: 'good_info',
        id,
        userId: app.userId,
        entityId: app.entityId,
        status: to,
        note: reason,
        at,
      });
    });
    return this.get(who, id);
  }

  /** The positive record a confirmed report becomes: version 1, recorded at the decision. */
  private async createRecord(sql: Sql, r: Row, level: HonourLevel | null, at: Date): Promise<number> {
    const { kind, category } = goodInfoRecord(r.category, level);
    const payload = {
      summary: r.title,
      description: r.description,
      goodInfoReportId: r.id,
      category: r.category,
      level,
    };
    const hash = crypto.createHash('sha256').update(JSON.stringify(payload)).digest('hex');
    const [rec] = await sql.query<{ id: number }>(
      `INSERT INTO credit_record (entity_id, kind, source_system, source_id, created_at) VALUES ($1, $2::"RecordKind", $3, $4, $5) RETURNING id`,
      [r.entityId, kind, SELF_REPORT_SOURCE, `good-info:${r.id}`, at.toISOString()],
    );
    await sql.query(
      `INSERT INTO credit_record_version (record_id, entity_id, kind, version, status, category, occurred_on, valid_from, payload, content_hash, reason, recorded_at)
       VALUES ($1, $2, $3::"RecordKind", 1, 'active', $4, $5::date, $5::date, $6::jsonb, $7, 'self_report_confirmed', $8)`,
      [rec!.id, r.entityId, kind, category, r.occurredOn, JSON.stringify(payload), hash, at.toISOString()],
    );
    return rec!.id;
  }

  async views(sql: Sql, rows: Row[], forStaff: boolean): Promise<GoodInfoReportView[]> {
    const ids = rows.map((r) => r.id);
    const evidence = await evidenceOf(sql, 'good_info', ids);
    const events = await eventsOf(sql, 'good_info', ids, forStaff);
    const calendar = await this.calendar.calendar();
    const today = chinaDate(this.clock.now());
    return rows.map((r) => ({
      id: r.id,
      entityId: r.entityId,
      entityName: r.entityName,
      uscc: r.uscc,
      status: r.status,
      statusLabel: APPLICATION_STATUS_LABELS.good_info[r.status],
      filedAt: iso(r.filedAt),
      deadline: deadlineView(calendar, today, r.status, r),
      decidedAt: isoOrNull(r.decidedAt),
      decidedBy: forStaff ? r.decidedBy : null,
      decisionReason: r.decisionReason,
      outcome: {
        scoreBefore: r.scoreBefore,
        scoreAfter: r.scoreAfter,
        gradeBefore: r.gradeBefore as GoodInfoReportView['outcome']['gradeBefore'],
        gradeAfter: r.gradeAfter as GoodInfoReportView['outcome']['gradeAfter'],
      },
      evidence: evidence.get(r.id) ?? [],
      events: events.get(r.id) ?? [],
      category: r.category,
      categoryLabel: GOOD_INFO_CATEGORY_LABELS[r.category],
      level: r.level,
      title: r.title,
      description: r.description,
      occurredOn: r.occurredOn,
      createdRecordId: r.createdRecordId,
    }));
  }
}
