import {
  AppError,
  APPLICATION_STATUS_LABELS,
  ErrorCodes,
  decisionDeadline,
  isOpen,
  nextStatus,
  type ApplicationKind,
  type ApplicationStatus,
  type RepairApplicationView,
  type RepairMaterialType,
  type StaffAction,
} from '@heihe/shared';
import { appendAudit } from '../audit';
import { actorOf, type Principal } from '../auth';
import type { CalendarService } from '../calendar';
import { chinaDate } from '../common/china-time';
import type { Clock } from '../common/clock';
import type { AppConfig } from '../config/config';
import type { Database, Sql } from '../db/database';
import { isoOrNull } from '../db/values';
import { attachEvidence, evidenceOf } from '../evidence';
import type { PrismaClient } from '../generated/prisma/client';
import { messageDecision, type Templates } from '../notify';
import { noticeRegulators } from '../outbox';
import {
  actorString,
  addEvent,
  APPLICATION_TABLES,
  canSee,
  deadlineColumns,
  deadlineView,
  eventsOf,
  lockApplication,
  requireBoundUser,
  requireReviewer,
  storedDeadline,
  type ApplicationChange,
  type ApplicationRow,
  type ApplicationTable,
  type BoundUser,
} from './applications';
import type { ScoreOutcome } from './rescore';

/** What every application view shows, whatever its kind. */
export type ApplicationView = Omit<RepairApplicationView, 'record' | 'statement'>;

/** Files come as plain evidence IDs, or (repair) as typed materials. */
export type EvidenceInput =
  { evidenceIds: string[] } | { materials: { evidenceId: string; type: RepairMaterialType }[] };

/** A staff decision as the three kinds' schemas shape it: acceptance with an optional note, the rest with a reason. */
export type DecisionInput =
  { action: 'accept'; note?: string | undefined } | { action: Exclude<StaffAction, 'accept'>; reason: string };

/** The columns a new application starts with; the kind adds its own. */
export type FiledColumns = Pick<
  ApplicationRow,
  'entityId' | 'userId' | 'status' | 'filedAt' | 'dueOn' | 'dueFrom' | 'dueProvisional'
>;

export interface Filing<Input> {
  who: BoundUser;
  input: Input;
  at: Date;
  /** The China date of `at`. */
  today: string;
  columns: FiledColumns;
}

export interface Decision<Row, Input> {
  app: Row;
  to: ApplicationStatus;
  decision: Input;
  reason: string | null;
  at: Date;
}

export interface DecisionEffect<Change> {
  /** The re-score the effect ran (rescoreAround), stored on the application as before and after. */
  outcome: ScoreOutcome | null;
  /** The kind's own columns the decision sets. */
  change?: Change;
  /** The kind's part of the audit entry. */
  detail: Record<string, unknown>;
  /** Tells the subscribed regulators (topic `<kind>.<status>`) when the decision changed the score. */
  notice?: { record: Record<string, unknown>; decision: Record<string, unknown> };
}

/** The types one kind brings: its table's row, its filing and decision bodies, its view fields, its own columns. */
export interface KindTypes {
  row: ApplicationRow;
  create: EvidenceInput & { entityId: number };
  decide: DecisionInput;
  fields: object;
  change: object;
}

/**
 * What one kind of application adds to the workflow: its own validation and its effect on the
 * record. Everything else — deadline, evidence, timeline, status machine, decision columns, audit,
 * the enterprise's message and the regulators' notice — is the workflow's.
 */
export interface ApplicationKindSpec<T extends KindTypes> {
  kind: ApplicationKind;
  /** How a refusal names the applications ("只有企业用户可以查看本企业的…"). */
  noun: string;
  table(prisma: PrismaClient): ApplicationTable<T['row'], T['change']>;
  /** The column of the enterprise's own text, which a resubmission may rewrite. */
  statementColumn: 'statement' | 'description';
  /** Validates a filing in the transaction, writes its row (starting from `columns`) and its immediate effect. */
  file(sql: Sql, f: Filing<T['create']>): Promise<{ id: number; detail: Record<string, unknown> }>;
  /** The decision's effect on the record, after the status machine allowed it; runs for every action. */
  decide(sql: Sql, d: Decision<T['row'], T['decide']>): Promise<DecisionEffect<T['change']>>;
  /** The kind's own fields of each view, read set-wise for all `rows`. */
  fields(sql: Sql, rows: T['row'][]): Promise<(row: T['row']) => T['fields']>;
}

export type WorkflowConfig = Pick<
  AppConfig,
  'EVIDENCE_MAX_FILES' | 'WECHAT_TEMPLATE_DECISION' | 'WECHAT_TEMPLATE_GRADE'
>;

function evidenceIn(b: EvidenceInput) {
  return 'materials' in b
    ? { ids: b.materials.map((m) => m.evidenceId), materials: b.materials }
    : { ids: b.evidenceIds };
}

const scoreDetail = (s: ScoreOutcome | null) =>
  s ? { before: s.scoreBefore, after: s.scoreAfter, gradeBefore: s.gradeBefore, gradeAfter: s.gradeAfter } : null;

/**
 * One workflow for the enterprise's three rights (异议, 良好信息, 信用修复): file with evidence and
 * a deadline of working days, accept, return for material, resubmit (the time limit restarts),
 * decide with a written reason — each step on the timeline, in the audit trail and, for staff
 * steps, in a message to the enterprise; a decision that changes a record re-scores the entity in
 * the same transaction. The status machine is shared/src/rights/workflow.ts (nextStatus); a kind
 * supplies only what is its own (ApplicationKindSpec).
 */
export class ApplicationWorkflow<T extends KindTypes> {
  private readonly templates: Templates;
  private readonly maxFiles: number;
  private readonly objectType: string;

  constructor(
    private readonly spec: ApplicationKindSpec<T>,
    protected readonly db: Database,
    config: WorkflowConfig,
    protected readonly calendar: CalendarService,
    protected readonly clock: Clock,
  ) {
    this.templates = { decision: config.WECHAT_TEMPLATE_DECISION, grade: config.WECHAT_TEMPLATE_GRADE };
    this.maxFiles = config.EVIDENCE_MAX_FILES;
    this.objectType = APPLICATION_TABLES[spec.kind].name;
  }

  private table(sql: Sql): ApplicationTable<T['row'], T['change']> {
    return this.spec.table(sql.prisma);
  }

  /** Writes the common columns and the kind's own (every column of a kind's change is optional). */
  private async update(sql: Sql, id: number, common: ApplicationChange, own?: T['change']): Promise<void> {
    await this.table(sql).update({ where: { id }, data: { ...common, ...own } as ApplicationChange & T['change'] });
  }

  private async deadline(at: Date) {
    // Never refused for a missing holiday schedule: such a deadline is provisional (see decisionDeadline).
    return decisionDeadline(await this.calendar.calendar(), this.spec.kind, chinaDate(at));
  }

  async create(who: Principal, b: T['create']): Promise<ApplicationView & T['fields']> {
    requireBoundUser(who, b.entityId);
    const { kind } = this.spec;
    const at = this.clock.now();
    const deadline = await this.deadline(at);
    const columns = {
      entityId: b.entityId,
      userId: who.userId,
      status: 'submitted',
      filedAt: at,
      ...deadlineColumns(deadline),
    };
    const id = await this.db.tx(async (sql) => {
      const filed = await this.spec.file(sql, { who, input: b, at, today: chinaDate(at), columns });
      const evidence = evidenceIn(b);
      await attachEvidence(sql, {
        entityId: b.entityId,
        kind,
        applicationId: filed.id,
        maxFiles: this.maxFiles,
        at,
        ...evidence,
      });
      await addEvent(sql, kind, filed.id, 'submitted', actorString(who), null, at);
      await appendAudit(
        sql,
        {
          ...actorOf(who),
          action: `${kind}.file`,
          objectType: this.objectType,
          objectId: String(filed.id),
          entityId: b.entityId,
          detail: { ...filed.detail, dueOn: deadline.dueOn, provisional: deadline.provisional },
        },
        { now: at },
      );
      return filed.id;
    });
    return this.get(who, id);
  }

  /** Application `id` if the caller may see it; NOT_FOUND otherwise, so another enterprise's IDs reveal nothing. */
  async get(who: Principal, id: number): Promise<ApplicationView & T['fields']> {
    const row = await this.table(this.db).findUnique({ where: { id } });
    if (!row || !canSee(who, row.entityId)) throw new AppError(ErrorCodes.NOT_FOUND, '申请不存在或无权访问');
    return (await this.views(this.db, [row], who.kind === 'staff'))[0]!;
  }

  /**
   * The calling enterprise user's own applications (of one bound enterprise when `entityId` is
   * given), newest first, at most 200.
   */
  async listMine(
    who: Principal,
    q: { entityId?: number; status?: ApplicationStatus },
  ): Promise<{ items: (ApplicationView & T['fields'])[] }> {
    if (who.kind !== 'user') throw new AppError(ErrorCodes.FORBIDDEN, `只有企业用户可以查看本企业的${this.spec.noun}`);
    const entityIds = q.entityId === undefined ? who.entityIds : who.entityIds.filter((e) => e === q.entityId);
    const rows = await this.table(this.db).findMany({
      where: { entityId: { in: entityIds }, status: q.status },
      orderBy: [{ filedAt: 'desc' }, { id: 'desc' }],
      take: 200,
    });
    return { items: await this.views(this.db, rows, false) };
  }

  /**
   * The enterprise answers a "return for material": the application goes back to review with a new
   * deadline, the added files attach, and the step is recorded on the timeline and in the audit
   * trail.
   */
  async resubmit(
    who: Principal,
    id: number,
    b: EvidenceInput & { note: string; statement?: string | undefined },
  ): Promise<ApplicationView & T['fields']> {
    const { kind } = this.spec;
    const at = this.clock.now();
    const deadline = await this.deadline(at);
    await this.db.tx(async (sql) => {
      const app = await lockApplication(sql, kind, this.table(sql), id);
      requireBoundUser(who, app.entityId);
      const to = nextStatus(kind, app.status as ApplicationStatus, 'resubmit');
      const rewritten = b.statement === undefined ? undefined : { [this.spec.statementColumn]: b.statement };
      await this.update(sql, id, { ...deadlineColumns(deadline), status: to }, rewritten as T['change'] | undefined);
      const evidence = evidenceIn(b);
      await attachEvidence(sql, {
        entityId: app.entityId,
        kind,
        applicationId: id,
        maxFiles: this.maxFiles,
        at,
        ...evidence,
      });
      await addEvent(sql, kind, id, to, actorString(who), `补正材料：${b.note}`, at);
      await appendAudit(
        sql,
        {
          ...actorOf(who),
          action: `${kind}.resubmit`,
          objectType: this.objectType,
          objectId: String(id),
          entityId: app.entityId,
          detail: {
            dueOn: deadline.dueOn,
            provisional: deadline.provisional,
            evidence: evidence.ids.length,
            statementRewritten: b.statement !== undefined,
          },
        },
        { now: at },
      );
    });
    return this.get(who, id);
  }

  /**
   * A staff step: accept, return for material, or decide. One transaction holds the kind's effect
   * on the record (and its re-score), the application's columns, the timeline, the audit entry, the
   * enterprise's message and, when the score changed, the regulators' notice.
   */
  async decide(who: Principal, id: number, d: T['decide']): Promise<ApplicationView & T['fields']> {
    requireReviewer(who);
    const { kind } = this.spec;
    const at = this.clock.now();
    await this.db.tx(async (sql) => {
      const app = await lockApplication(sql, kind, this.table(sql), id);
      const from = app.status as ApplicationStatus;
      const to = nextStatus(kind, from, d.action);
      const input: DecisionInput = d;
      const reason = input.action === 'accept' ? (input.note ?? null) : input.reason;
      const effect = await this.spec.decide(sql, { app, to, decision: d, reason, at });
      const { outcome } = effect;
      const decided: ApplicationChange = isOpen(to)
        ? { status: to }
        : { status: to, decidedAt: at, decidedBy: actorString(who), decisionReason: reason };
      const scored: ApplicationChange = outcome
        ? {
            scoreBefore: outcome.scoreBefore,
            scoreAfter: outcome.scoreAfter,
            gradeBefore: outcome.gradeBefore,
            gradeAfter: outcome.gradeAfter,
          }
        : {};
      await this.update(sql, id, { ...decided, ...scored }, effect.change);
      await addEvent(sql, kind, id, to, actorString(who), reason, at);
      await appendAudit(
        sql,
        {
          ...actorOf(who),
          action: `${kind}.${d.action}`,
          objectType: this.objectType,
          objectId: String(id),
          entityId: app.entityId,
          detail: { from, to, reason, ...effect.detail, score: scoreDetail(outcome) },
        },
        { now: at },
      );
      await messageDecision(sql, this.templates, {
        kind,
        id,
        userId: app.userId,
        entityId: app.entityId,
        status: to,
        note: reason,
        at,
        score: outcome
          ? {
              before: outcome.scoreBefore,
              after: outcome.scoreAfter,
              gradeBefore: outcome.gradeBefore,
              gradeAfter: outcome.gradeAfter,
            }
          : null,
      });
      if (effect.notice && outcome)
        await this.tellRegulators(sql, id, app.entityId, `${kind}.${to}`, effect.notice, outcome, at);
    });
    return this.get(who, id);
  }

  /**
   * A decision that changes a record (an objection upheld, a repair approved) goes to the
   * departments subscribed to the entity; a revoked record also recalls the results sent before
   * that counted it.
   */
  private async tellRegulators(
    sql: Sql,
    id: number,
    entityId: number,
    topic: string,
    notice: NonNullable<DecisionEffect<T['change']>['notice']>,
    s: ScoreOutcome,
    at: Date,
  ): Promise<void> {
    if (topic !== 'objection.upheld' && topic !== 'repair.approved')
      throw new Error(`no published schema for the decision notice '${topic}'`);
    const e = await sql.prisma.entity.findFirstOrThrow({
      where: { id: entityId },
      select: { uscc: true, name: true, industryCode: true, regionCode: true },
    });
    const entity = { id: entityId, ...e };
    const asOf = at.toISOString();
    await noticeRegulators(sql, {
      messageId: `${topic}:${id}`,
      topic,
      entityId,
      payload: {
        modelVersion: s.modelVersion,
        asOf,
        entity,
        record: notice.record,
        decision: notice.decision,
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
    if (notice.record.status === 'revoked')
      await noticeRegulators(sql, {
        messageId: `result.recalled:${topic}:${id}`,
        topic: 'result.recalled',
        entityId,
        payload: {
          modelVersion: s.modelVersion,
          asOf,
          entity,
          recordId: Number(notice.record.recordId),
          withdrawnBefore: asOf,
          replacedBy: s.evaluationId,
          reason: '该记录经异议核实后撤销，此前推送的、计入该记录的评价结果撤回，以替代结果为准',
        },
      });
  }

  /** Rows to views: entity, kind fields, evidence, timeline and countdown in a few set-wise reads. */
  private async views(sql: Sql, rows: T['row'][], forStaff: boolean): Promise<(ApplicationView & T['fields'])[]> {
    const { kind } = this.spec;
    const ids = rows.map((r) => r.id);
    const entities = await sql.prisma.entity.findMany({
      where: { id: { in: [...new Set(rows.map((r) => r.entityId))] } },
      select: { id: true, name: true, uscc: true },
    });
    const entity = new Map(entities.map((e) => [e.id, e]));
    const fields = await this.spec.fields(sql, rows);
    const evidence = await evidenceOf(sql, kind, ids);
    const events = await eventsOf(sql, kind, ids, forStaff);
    const calendar = await this.calendar.calendar();
    const today = chinaDate(this.clock.now());
    return rows.map((r) => {
      const status = r.status as ApplicationStatus;
      const view: ApplicationView = {
        id: r.id,
        entityId: r.entityId,
        entityName: entity.get(r.entityId)!.name,
        uscc: entity.get(r.entityId)!.uscc,
        status,
        statusLabel: APPLICATION_STATUS_LABELS[kind][status],
        filedAt: r.filedAt.toISOString(),
        deadline: deadlineView(calendar, today, status, storedDeadline(r)),
        decidedAt: isoOrNull(r.decidedAt),
        decidedBy: forStaff ? r.decidedBy : null,
        decisionReason: r.decisionReason,
        outcome: {
          scoreBefore: r.scoreBefore,
          scoreAfter: r.scoreAfter,
          gradeBefore: r.gradeBefore as ApplicationView['outcome']['gradeBefore'],
          gradeAfter: r.gradeAfter as ApplicationView['outcome']['gradeAfter'],
        },
        evidence: evidence.get(r.id) ?? [],
        events: events.get(r.id) ?? [],
      };
      return { ...view, ...fields(r) };
    });
  }
}
