import { Injectable } from '@nestjs/common';
import {
  AppError,
  ErrorCodes,
  RESULT_USE_MEASURE_NAMES,
  type ReportResultUse,
  type ResultUse,
  type ResultUseMeasure,
  type ResultUseStats,
} from '@heihe/shared';
import { appendAudit } from '../audit';
import { actorOf, type Principal } from '../auth';
import { Clock } from '../common/clock';
import { Database, type Sql } from '../db/database';
import { dayOf } from '../db/values';

type ApiClientPrincipal = Extract<Principal, { kind: 'api_client' }>;

/** The evaluation a pulled (`grade.changed:…`) or pushed (`result.grade_changed:…`) grade change names. */
const EVALUATION_EVENT = /^(?:result\.)?grade[._]changed:(\d{1,18})$/;

const NOT_FOUND = () =>
  new AppError(
    ErrorCodes.NOT_FOUND,
    '没有找到该结果：请填写贵单位收到的 eventId 或 messageId，且结果应在贵单位的订阅范围内',
  );

/**
 * 应用反馈: recipients report what they did with a result, and the agency tracks how many of the
 * results it sent came back with a use (跟踪评估).
 */
@Injectable()
export class ResultUseService {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
  ) {}

  /** One report per recipient, result and measure: a retry or a correction replaces it. */
  async report(body: ReportResultUse, who: Principal): Promise<ResultUse> {
    if (who.kind !== 'api_client') throw new AppError(ErrorCodes.FORBIDDEN, '仅对接系统可报送应用反馈');
    const at = this.clock.now();
    return this.db.tx(async (sql) => {
      const entity = await this.entityOf(sql, body.eventId, who);
      const data = {
        entityId: entity.id,
        outcome: body.outcome,
        appliedOn: new Date(`${body.appliedOn}T00:00:00Z`),
        note: body.note,
        reportedAt: at,
      };
      const row = await sql.prisma.resultUse.upsert({
        where: { clientId_eventId_measure: { clientId: who.clientId, eventId: body.eventId, measure: body.measure } },
        create: { clientId: who.clientId, eventId: body.eventId, measure: body.measure, ...data },
        update: data,
      });
      await appendAudit(
        sql,
        {
          ...actorOf(who),
          action: 'results.use.report',
          objectType: 'result_use',
          objectId: String(row.id),
          entityId: entity.id,
          detail: { eventId: body.eventId, measure: body.measure, outcome: body.outcome, appliedOn: body.appliedOn },
        },
        { now: at },
      );
      const measure = row.measure as ResultUseMeasure;
      return {
        id: row.id,
        eventId: row.eventId,
        uscc: entity.uscc,
        measure,
        measureName: RESULT_USE_MEASURE_NAMES[measure],
        outcome: row.outcome as ResultUse['outcome'],
        appliedOn: dayOf(row.appliedOn),
        note: row.note,
        reportedAt: row.reportedAt.toISOString(),
      };
    });
  }

  /**
   * The entity a result is about, if this recipient could have received it: a grade change by its
   * evaluation, any other pushed result by its message. Outside the recipient's scope, or unknown,
   * answers alike.
   */
  private async entityOf(sql: Sql, eventId: string, who: ApiClientPrincipal) {
    const m = EVALUATION_EVENT.exec(eventId);
    const entityId = m
      ? (await sql.prisma.evaluation.findFirst({ where: { id: BigInt(m[1]!) }, select: { entityId: true } }))?.entityId
      : (
          await sql.prisma.outbox.findFirst({
            where: { messageId: eventId, destination: { startsWith: 'webhook:' }, entityId: { not: null } },
            select: { entityId: true },
          })
        )?.entityId;
    if (entityId === undefined || entityId === null) throw NOT_FOUND();
    const [entity, client] = await Promise.all([
      sql.prisma.entity.findFirst({
        where: { id: entityId },
        select: { id: true, uscc: true, regionCode: true, industryCode: true },
      }),
      sql.prisma.apiClient.findUniqueOrThrow({
        where: { id: who.clientId },
        select: { regionPrefix: true, industryPrefix: true },
      }),
    ]);
    if (
      !entity ||
      (client.regionPrefix && !entity.regionCode.startsWith(client.regionPrefix)) ||
      (client.industryPrefix && !entity.industryCode.startsWith(client.industryPrefix))
    )
      throw NOT_FOUND();
    return entity;
  }

  /** Per recipient: results received (pulled), results reported on, and the measures. */
  async stats(): Promise<ResultUseStats> {
    const clients = await this.db.prisma.apiClient.findMany({
      where: { revokedAt: null, kind: { not: 'data_source' } },
      select: { id: true, name: true, kind: true, purpose: true, legalBasis: true },
      orderBy: { id: 'asc' },
    });
    // Raw SQL: a set-wise sum over the audit trail's feed pulls (one row per page pulled), by client.
    const pulled = await this.db.query<{ client: number; items: number }>(
      `SELECT split_part(actor_id, ':', 1)::int AS client, sum((detail->>'items')::int)::int AS items
       FROM audit_log WHERE action = 'results.feed.pull' AND actor_kind = 'api_client' GROUP BY 1`,
    );
    const received = new Map(pulled.map((p) => [p.client, p.items]));
    const uses = await this.db.prisma.resultUse.groupBy({
      by: ['clientId', 'measure', 'outcome'],
      _count: { _all: true },
    });
    const events = await this.db.prisma.resultUse.groupBy({ by: ['clientId', 'eventId'] });
    return {
      items: clients.map((c) => {
        const mine = uses.filter((u) => u.clientId === c.id);
        const reported = events.filter((e) => e.clientId === c.id).length;
        const got = received.get(c.id) ?? 0;
        const measures = new Map<string, number>();
        for (const u of mine) measures.set(u.measure, (measures.get(u.measure) ?? 0) + u._count._all);
        return {
          clientId: c.id,
          name: c.name,
          kind: c.kind,
          purpose: c.purpose,
          legalBasis: c.legalBasis,
          received: got,
          reported,
          coverage: got ? Math.min(1, reported / got) : null,
          applied: mine.filter((u) => u.outcome === 'applied').reduce((n, u) => n + u._count._all, 0),
          notApplied: mine.filter((u) => u.outcome === 'not_applied').reduce((n, u) => n + u._count._all, 0),
          byMeasure: [...measures].map(([measure, count]) => ({
            measure,
            name: RESULT_USE_MEASURE_NAMES[measure as ResultUseMeasure] ?? measure,
            count,
          })),
        };
      }),
    };
  }
}
