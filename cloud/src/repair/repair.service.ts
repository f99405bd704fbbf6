import { Inject, Injectable } from '@nestjs/common';
import {
  AppError,
  APPLICATION_STATUS_LABELS,
  decisionDeadline,
  ErrorCodes,
  nextStatus,
  repairEligibility,
  type ApplicationStatus,
  type CreateRepairApplication,
  type DecideRepairApplication,
  type RepairApplicationView,
  type RepairEligibility,
  type ResubmitRepair,
} from '@heihe/shared';
import { appendAudit } from '../audit/audit';
import { actorOf, type Principal } from '../auth/principal';
import { CalendarService } from '../calendar/calendar.service';
import { Config, type AppConfig } from '../config/config';
import { Database, type Sql } from '../db/database';
import { attachEvidence, evidenceOf } from '../evidence/evidence.repository';
import { messageDecision } from '../notify/notify';
import { noticeRegulators } from '../outbox/outbox';
import {
  actorString,
  addEvent,
  type ApplicationRead,
  assertNoOpenApplication,
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
import { currentVersion, recordSummaries, writeVersion, type CurrentVersion } from '../review/record-versions';
import { rescoreAround, type ScoreOutcome } from '../review/rescore';
import { chinaDate } from '../common/china-time';
import { ModelRepository } from '../scoring/model.repository';

interface Row {
  id: number;
  entityId: number;
  entityName: string;
  uscc: string;
  recordId: number;
  recordVersion: number;
  userId: number;
  statement: string;
  status: ApplicationStatus;
  filedAt: Date | string;
  dueOn: string;
  dueFrom: string;
  dueProvisional: boolean;
  decidedAt: Date | string | null;
  decidedBy: string | null;
  decisionReason: string | null;
  scoreBefore: number | null;
  scoreAfter: number | null;
  gradeBefore: string | null;
  gradeAfter: string | null;
}

const SELECT = `
  SELECT a.id, a.entity_id AS "entityId", e.name AS "entityName", e.uscc, a.record_id AS "recordId",
         a.record_version AS "recordVersion", a.user_id AS "userId", a.statement, a.status, a.filed_at AS "filedAt",
         ${deadlineColumns('a')}, a.decided_at AS "decidedAt", a.decided_by AS "decidedBy", a.decision_reason AS "decisionReason",
         a.score_before AS "scoreBefore", a.score_after AS "scoreAfter", a.grade_before AS "gradeBefore", a.grade_after AS "gradeAfter"
  FROM repair_application a JOIN entity e ON e.id = a.entity_id`;
const READ: ApplicationRead = { select: SELECT, alias: 'a' };

/**
 * 信用修复 for penalties and listings, after the minimum publicity period of the model in force
 * (SCORING.md). Earlier applications are refused with the date from which one is possible. An
 * approved repair writes the record as 已修复 (a new version, counting zero from that instant),
 * re-scores the entity in the same transaction and tells the subscribed regulators.
 */
@Injectable()
export class RepairService {
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

  private async eligibility(sql: Sql, cur: CurrentVersion, today: string): Promise<RepairEligibility> {
    const model = await new ModelRepository(sql).effectiveOn(today);
    return repairEligibility(cur, model.definition.decay, today);
  }

  /** Whether a repair of the record may be requested today, and if not, why and from when. */
  async checkEligibility(who: Principal, entityId: number, recordId: number) {
    requireBoundUser(who, entityId);
    const today = chinaDate(this.clock.now());
    const cur = await currentVersion(this.db, entityId, recordId);
    const e = await this.eligibility(this.db, cur, today);
    return e.eligible
      ? { eligible: true, reason: null, possibleFrom: e.possibleFrom, message: null }
      : { eligible: false, reason: e.reason, possibleFrom: e.possibleFrom, message: e.message };
  }

  async create(who: Principal, b: CreateRepairApplication): Promise<RepairApplicationView> {
    requireBoundUser(who, b.entityId);
    const at = this.clock.now();
    const today = chinaDate(at);
    const deadline = decisionDeadline(await this.calendar.calendar(), 'repair', today);
    const id = await this.db.tx(async (sql) => {
      const cur = await currentVersion(sql, b.entityId, b.recordId, { lock: true });
      await assertNoOpenApplication(sql, b.recordId);
      const e = await this.eligibility(sql, cur, today);
      if (!e.eligible) {
        if (e.reason === 'too_early')
          throw new AppError(ErrorCodes.REPAIR_TOO_EARLY, e.message, [
            { path: 'possibleFrom', message: e.possibleFrom! },
          ]);
        throw new AppError(ErrorCodes.REPAIR_NOT_APPLICABLE, e.message, [{ path: 'recordId', message: e.reason }]);
      }
      const [row] = await sql.query<{ id: number }>(
        `INSERT INTO repair_application (entity_id, record_id, record_version, user_id, statement, status, filed_at,
           due_on, due_from, due_provisional)
         VALUES ($1, $2, $3, $4, $5, 'submitted', $6, $7::date, $8::date, $9) RETURNING id`,
        [b.entityId, b.recordId, cur.version, who.userId, b.statement, at.toISOString(), ...deadlineParams(deadline)],
      );
      const id = row!.id;
      await attachEvidence(sql, {
        entityId: b.entityId,
        kind: 'repair',
        applicationId: id,
        ids: b.materials.map((m) => m.evidenceId),
        materials: b.materials,
        maxFiles: this.maxFiles,
        at,
      });
      await addEvent(sql, 'repair', id, 'submitted', actorString(who), null, at);
      await appendAudit(
        sql,
        {
          ...actorOf(who),
          action: 'repair.file',
          objectType: 'repair_application',
          objectId: String(id),
          entityId: b.entityId,
          detail: {
            recordId: b.recordId,
            recordVersion: cur.version,
            dueOn: deadline.dueOn,
            provisional: deadline.provisional,
          },
        },
        { now: at },
      );
      return id;
    });
    return this.get(who, id);
  }

  async get(who: Principal, id: number): Promise<RepairApplicationView> {
    const row = await findVisible<Row>(this.db, READ, who, id);
    return (await this.views(this.db, [row], who.kind === 'staff'))[0]!;
  }

  async listMine(
    who: Principal,
    q: { entityId?: number; status?: ApplicationStatus },
  ): Promise<{ items: RepairApplicationView[] }> {
    const rows = await listOwn<Row>(this.db, READ, who, q, '修复申请');
    return { items: await this.views(this.db, rows, false) };
  }

  async resubmit(who: Principal, id: number, b: ResubmitRepair): Promise<RepairApplicationView> {
    const at = this.clock.now();
    const deadline = decisionDeadline(await this.calendar.calendar(), 'repair', chinaDate(at));
    await this.db.tx((sql) =>
      resubmitApplication(sql, {
        kind: 'repair',
        id,
        who,
        deadline,
        note: b.note,
        evidence: { ids: b.materials.map((m) => m.evidenceId), materials: b.materials, maxFiles: this.maxFiles },
        at,
      }),
    );
    return this.get(who, id);
  }

  async decide(who: Principal, id: number, d: DecideRepairApplication): Promise<RepairApplicationView> {
    requireReviewer(who);
    const at = this.clock.now();
    await this.db.tx(async (sql) => {
      const app = await lockApplication(sql, 'repair', id);
      const to = nextStatus('repair', app.status, d.action);
      const reason = d.action === 'accept' ? (d.note ?? null) : d.reason;
      const [a] = await sql.query<{ recordId: number }>(
        `SELECT record_id AS "recordId" FROM repair_application WHERE id = $1`,
        [id],
      );
      let outcome: ScoreOutcome | null = null;
      let newVersion: number | null = null;
      if (d.action === 'approve') {
        const cur = await currentVersion(sql, app.entityId, a!.recordId, { lock: true });
        if (cur.status !== 'active' && cur.status !== 'expired')
          throw new AppError(ErrorCodes.APPLICATION_STATE, `该记录当前状态为"${cur.status}"，不能标记为已修复`);
        outcome = await rescoreAround(sql, app.entityId, at, 'repair.approved', async () => {
          newVersion = await writeVersion(sql, cur, { status: 'repaired' }, 'repair_approved', at);
        });
      }
      const final = to === 'approved' || to === 'rejected';
      await sql.query(
        `UPDATE repair_application SET status = $2,
           decided_at = CASE WHEN $3 THEN $4::timestamptz ELSE decided_at END,
           decided_by = CASE WHEN $3 THEN $5 ELSE decided_by END,
           decision_reason = CASE WHEN $3 THEN $6 ELSE decision_reason END,
           score_before = coalesce($7, score_before), score_after = coalesce($8, score_after),
           grade_before = coalesce($9, grade_before), grade_after = coalesce($10, grade_after)
         WHERE id = $1`,
        [
          id,
          to,
          final,
          at.toISOString(),
          actorString(who),
          reason,
          outcome?.scoreBefore ?? null,
          outcome?.scoreAfter ?? null,
          outcome?.gradeBefore ?? null,
          outcome?.gradeAfter ?? null,
        ],
      );
      await addEvent(sql, 'repair', id, to, actorString(who), reason, at);
      await appendAudit(
        sql,
        {
          ...actorOf(who),
          action: `repair.${d.action}`,
          objectType: 'repair_application',
          objectId: String(id),
          entityId: app.entityId,
          detail: {
            from: app.status,
            to,
            reason,
            recordId: a!.recordId,
            newVersion,
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
        kind: 'repair',
        id,
        userId: app.userId,
        entityId: app.entityId,
        status: to,
        note: reason,
        at,
      });
      if (to === 'approved' && outcome) {
        const s = outcome as ScoreOutcome;
        const [e] = await sql.query<{ uscc: string; name: string; industry_code: string; region_code: string }>(
          `SELECT uscc, name, industry_code, region_code FROM entity WHERE id = $1`,
          [app.entityId],
        );
        const [r] = await sql.query<{ kind: string }>(`SELECT kind::text FROM credit_record WHERE id = $1`, [
          a!.recordId,
        ]);
        await noticeRegulators(sql, {
          messageId: `repair.approved:${id}`,
          topic: 'repair.approved',
          entityId: app.entityId,
          payload: {
            entity: {
              id: app.entityId,
              uscc: e!.uscc,
              name: e!.name,
              industryCode: e!.industry_code,
              regionCode: e!.region_code,
            },
            record: { recordId: a!.recordId, kind: r!.kind, version: newVersion, status: 'repaired' },
            decision: { repairApplicationId: id, decidedAt: at.toISOString(), reason },
            score: {
              before: s.scoreBefore,
              after: s.scoreAfter,
              gradeBefore: s.gradeBefore,
              gradeAfter: s.gradeAfter,
              modelVersion: s.modelVersion,
              evaluationId: s.evaluationId,
            },
          },
        });
      }
    });
    return this.get(who, id);
  }

  async views(sql: Sql, rows: Row[], forStaff: boolean): Promise<RepairApplicationView[]> {
    const ids = rows.map((r) => r.id);
    const records = await recordSummaries(
      sql,
      rows.map((r) => r.recordId),
    );
    const evidence = await evidenceOf(sql, 'repair', ids);
    const events = await eventsOf(sql, 'repair', ids, forStaff);
    const calendar = await this.calendar.calendar();
    const today = chinaDate(this.clock.now());
    return rows.map((r) => ({
      id: r.id,
      entityId: r.entityId,
      entityName: r.entityName,
      uscc: r.uscc,
      status: r.status,
      statusLabel: APPLICATION_STATUS_LABELS.repair[r.status],
      filedAt: iso(r.filedAt),
      deadline: deadlineView(calendar, today, r.status, r),
      decidedAt: isoOrNull(r.decidedAt),
      decidedBy: forStaff ? r.decidedBy : null,
      decisionReason: r.decisionReason,
      outcome: {
        scoreBefore: r.scoreBefore,
        scoreAfter: r.scoreAfter,
        gradeBefore: r.gradeBefore as RepairApplicationView['outcome']['gradeBefore'],
        gradeAfter: r.gradeAfter as RepairApplicationView['outcome']['gradeAfter'],
      },
      evidence: evidence.get(r.id) ?? [],
      events: events.get(r.id) ?? [],
      record: records.get(r.recordId)!,
      statement: r.statement,
    }));
  }
}
