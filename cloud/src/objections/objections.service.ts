import { Inject, Injectable } from '@nestjs/common';
import {
  AppError,
  APPLICATION_STATUS_LABELS,
  decisionDeadline,
  ErrorCodes,
  nextStatus,
  OBJECTION_GROUND_LABELS,
  type ApplicationStatus,
  type CreateObjection,
  type DecideObjection,
  type ObjectionCorrection,
  type ObjectionGround,
  type ObjectionView,
  type Resubmit,
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
import { currentVersion, recordSummaries, writeVersion, type VersionChange } from '../review/record-versions';
import { rescoreAround, type ScoreOutcome } from '../review/rescore';
import { chinaDate } from '../common/china-time';

interface Row {
  id: number;
  entityId: number;
  entityName: string;
  uscc: string;
  recordId: number;
  recordVersion: number;
  userId: number;
  ground: ObjectionGround;
  statement: string;
  status: ApplicationStatus;
  filedAt: Date | string;
  dueOn: string;
  dueFrom: string;
  dueProvisional: boolean;
  decidedAt: Date | string | null;
  decidedBy: string | null;
  decisionReason: string | null;
  correction: ObjectionCorrection | string | null;
  scoreBefore: number | null;
  scoreAfter: number | null;
  gradeBefore: string | null;
  gradeAfter: string | null;
}

const SELECT = `
  SELECT o.id, o.entity_id AS "entityId", e.name AS "entityName", e.uscc, o.record_id AS "recordId",
         o.record_version AS "recordVersion", o.user_id AS "userId", o.ground, o.statement, o.status,
         o.filed_at AS "filedAt", ${deadlineColumns('o')}, o.decided_at AS "decidedAt", o.decided_by AS "decidedBy",
         o.decision_reason AS "decisionReason", o.correction, o.score_before AS "scoreBefore", o.score_after AS "scoreAfter",
         o.grade_before AS "gradeBefore", o.grade_after AS "gradeAfter"
  FROM objection o JOIN entity e ON e.id = o.entity_id`;
const READ: ApplicationRead = { select: SELECT, alias: 'o' };

type Templates = { decision: string; grade: string };

/**
 * 异议: an enterprise disputes a record used in its score. Filing flags the record 异议中 (a new
 * version) at once; the agency accepts it or returns it for material, then upholds it — the record
 * is revoked or corrected as a new version — or rejects it, always with a written reason, within
 * 7 working days. An upheld objection re-scores the entity in the same transaction, stores the
 * score before and after, and tells the subscribed regulators through the outbox.
 */
@Injectable()
export class ObjectionsService {
  private readonly templates: Templates;
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

  async create(who: Principal, b: CreateObjection): Promise<ObjectionView> {
    requireBoundUser(who, b.entityId);
    const at = this.clock.now();
    // Never refused for a missing holiday schedule: such a deadline is provisional (see decisionDeadline).
    const deadline = decisionDeadline(await this.calendar.calendar(), 'objection', chinaDate(at));
    const id = await this.db.tx(async (sql) => {
      const cur = await currentVersion(sql, b.entityId, b.recordId, { lock: true });
      await assertNoOpenApplication(sql, b.recordId);
      if (cur.status !== 'active')
        throw new AppError(ErrorCodes.VALIDATION_FAILED, '该记录已撤销、已修复或已过公示期，不再计分，无需提出异议', [
          { path: 'recordId', message: cur.status },
        ]);
      const [row] = await sql.query<{ id: number }>(
        `INSERT INTO objection (entity_id, record_id, record_version, user_id, ground, statement, status, filed_at,
           due_on, due_from, due_provisional)
         VALUES ($1, $2, $3, $4, $5, $6, 'submitted', $7, $8::date, $9::date, $10) RETURNING id`,
        [
          b.entityId,
          b.recordId,
          cur.version,
          who.userId,
          b.ground,
          b.statement,
          at.toISOString(),
          ...deadlineParams(deadline),
        ],
      );
      const id = row!.id;
      await attachEvidence(sql, {
        entityId: b.entityId,
        kind: 'objection',
        applicationId: id,
        ids: b.evidenceIds,
        maxFiles: this.maxFiles,
        at,
      });
      await addEvent(sql, 'objection', id, 'submitted', actorString(who), null, at);
      // The record counts on while disputed, flagged 异议中: re-scored so the explanation shows it.
      await rescoreAround(sql, b.entityId, at, 'objection.filed', async () => {
        await writeVersion(sql, cur, { status: 'under_objection' }, 'objection_filed', at);
      });
      await appendAudit(
        sql,
        {
          ...actorOf(who),
          action: 'objection.file',
          objectType: 'objection',
          objectId: String(id),
          entityId: b.entityId,
          detail: {
            recordId: b.recordId,
            recordVersion: cur.version,
            ground: b.ground,
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

  async get(who: Principal, id: number): Promise<ObjectionView> {
    const row = await findVisible<Row>(this.db, READ, who, id);
    return (await this.views(this.db, [row], who.kind === 'staff'))[0]!;
  }

  async listMine(
    who: Principal,
    q: { entityId?: number; status?: ApplicationStatus },
  ): Promise<{ items: ObjectionView[] }> {
    const rows = await listOwn<Row>(this.db, READ, who, q, '异议');
    return { items: await this.views(this.db, rows, false) };
  }

  async resubmit(who: Principal, id: number, b: Resubmit): Promise<ObjectionView> {
    const at = this.clock.now();
    const deadline = decisionDeadline(await this.calendar.calendar(), 'objection', chinaDate(at));
    await this.db.tx((sql) =>
      resubmitApplication(sql, {
        kind: 'objection',
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

  async decide(who: Principal, id: number, d: DecideObjection): Promise<ObjectionView> {
    requireReviewer(who);
    const at = this.clock.now();
    await this.db.tx(async (sql) => {
      const app = await lockApplication(sql, 'objection', id);
      const to = nextStatus('objection', app.status, d.action);
      const [o] = await sql.query<{ recordId: number; recordVersion: number }>(
        `SELECT record_id AS "recordId", record_version AS "recordVersion" FROM objection WHERE id = $1`,
        [id],
      );
      const reason = d.action === 'accept' ? (d.note ?? null) : d.reason;
      let outcome: ScoreOutcome | null = null;
      let correction: ObjectionCorrection | null = null;
      let newVersion: number | null = null;
      if (d.action === 'uphold' || d.action === 'reject') {
        const cur = await currentVersion(sql, app.entityId, o!.recordId, { lock: true });
        let change: VersionChange | null;
        if (d.action === 'reject') change = cur.status === 'under_objection' ? { status: 'active' } : null;
        else {
          correction = d.correction;
          change =
            d.correction.action === 'revoke' ? { status: 'revoked' } : { ...d.correction.fields, status: 'active' };
        }
        if (change) {
          const c = change;
          outcome = await rescoreAround(sql, app.entityId, at, `objection.${to}`, async () => {
            newVersion = await writeVersion(
              sql,
              cur,
              c,
              d.action === 'uphold' ? 'objection_upheld' : 'objection_rejected',
              at,
            );
          });
        }
      }
      const final = to === 'upheld' || to === 'rejected';
      await sql.query(
        `UPDATE objection SET status = $2,
           decided_at = CASE WHEN $3 THEN $4::timestamptz ELSE decided_at END,
           decided_by = CASE WHEN $3 THEN $5 ELSE decided_by END,
           decision_reason = CASE WHEN $3 THEN $6 ELSE decision_reason END,
           correction = coalesce($7::jsonb, correction),
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
          correction ? JSON.stringify(correction) : null,
          outcome?.scoreBefore ?? null,
          outcome?.scoreAfter ?? null,
          outcome?.gradeBefore ?? null,
          outcome?.gradeAfter ?? null,
        ],
      );
      await addEvent(sql, 'objection', id, to, actorString(who), reason, at);
      await appendAudit(
        sql,
        {
          ...actorOf(who),
          action: `objection.${d.action}`,
          objectType: 'objection',
          objectId: String(id),
          entityId: app.entityId,
          detail: {
            from: app.status,
            to,
            reason,
            correction,
            recordId: o!.recordId,
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
        kind: 'objection',
        id,
        userId: app.userId,
        entityId: app.entityId,
        status: to,
        note: reason,
        at,
      });
      if (to === 'upheld' && outcome)
        await this.tellRegulators(sql, id, app.entityId, o!.recordId, newVersion, correction!, reason, at, outcome);
    });
    return this.get(who, id);
  }

  private async tellRegulators(
    sql: Sql,
    id: number,
    entityId: number,
    recordId: number,
    version: number | null,
    correction: ObjectionCorrection,
    reason: string | null,
    at: Date,
    s: ScoreOutcome,
  ) {
    const [e] = await sql.query<{ uscc: string; name: string; industry_code: string; region_code: string }>(
      `SELECT uscc, name, industry_code, region_code FROM entity WHERE id = $1`,
      [entityId],
    );
    const [r] = await sql.query<{ kind: string; status: string }>(
      `SELECT kind::text, status::text FROM credit_record_version WHERE record_id = $1 AND version = $2`,
      [recordId, version],
    );
    await noticeRegulators(sql, {
      messageId: `objection.upheld:${id}`,
      topic: 'objection.upheld',
      entityId,
      payload: {
        entity: {
          id: entityId,
          uscc: e!.uscc,
          name: e!.name,
          industryCode: e!.industry_code,
          regionCode: e!.region_code,
        },
        record: { recordId, kind: r?.kind ?? null, version, status: r?.status ?? null, correction },
        decision: { objectionId: id, decidedAt: at.toISOString(), reason },
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

  /** Rows to views: record, evidence, timeline and countdown in a few set-wise reads. */
  async views(sql: Sql, rows: Row[], forStaff: boolean): Promise<ObjectionView[]> {
    const ids = rows.map((r) => r.id);
    const [records, evidence, events, calendar] = [
      await recordSummaries(
        sql,
        rows.map((r) => r.recordId),
      ),
      await evidenceOf(sql, 'objection', ids),
      await eventsOf(sql, 'objection', ids, forStaff),
      await this.calendar.calendar(),
    ];
    const today = chinaDate(this.clock.now());
    return rows.map((r) => ({
      id: r.id,
      entityId: r.entityId,
      entityName: r.entityName,
      uscc: r.uscc,
      status: r.status,
      statusLabel: APPLICATION_STATUS_LABELS.objection[r.status],
      filedAt: iso(r.filedAt),
      deadline: deadlineView(calendar, today, r.status, r),
      decidedAt: isoOrNull(r.decidedAt),
      decidedBy: forStaff ? r.decidedBy : null,
      decisionReason: r.decisionReason,
      outcome: {
        scoreBefore: r.scoreBefore,
        scoreAfter: r.scoreAfter,
        gradeBefore: r.gradeBefore as ObjectionView['outcome']['gradeBefore'],
        gradeAfter: r.gradeAfter as ObjectionView['outcome']['gradeAfter'],
      },
      evidence: evidence.get(r.id) ?? [],
      events: events.get(r.id) ?? [],
      record: records.get(r.recordId)!,
      ground: r.ground,
      groundLabel: OBJECTION_GROUND_LABELS[r.ground],
      statement: r.statement,
      correction: typeof r.correction === 'string' ? (JSON.parse(r.correction) as ObjectionCorrection) : r.correction,
    }));
  }
}
