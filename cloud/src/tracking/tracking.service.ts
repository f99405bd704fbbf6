import { Injectable } from '@nestjs/common';
import {
  AGEING_BUCKET_LABELS,
  AGEING_BUCKETS,
  APPLICATION_KIND_LABELS,
  APPLICATION_KINDS,
  APPLICATION_STATUS_LABELS,
  countdown,
  CYCLE_TRIGGER_LABELS,
  DECISION_WORKING_DAYS,
  RUNNING_STATUSES,
  type ApplicationCounts,
  type ApplicationKind,
  type ApplicationStatus,
  type CycleRuns,
  type GradeHistory,
  type GradeMigrations,
  type ObjectionOutcomes,
  type Timeliness,
} from '@heihe/shared';
import { CalendarService } from '../calendar';
import { chinaDate } from '../common/china-time';
import { Clock } from '../common/clock';
import { Database } from '../db/database';
import { dayOf } from '../db/values';

const GRADES = ['A', 'B', 'C', 'D', 'E'] as const;
type Grade = (typeof GRADES)[number];
const isGrade = (g: string | null): g is Grade => g !== null && (GRADES as readonly string[]).includes(g);
const RANK: Record<Grade, number> = { A: 0, B: 1, C: 2, D: 3, E: 4 };

const TABLES = { objection: 'objection', good_info: 'good_info_report', repair: 'repair_application' } as const;

const zeroGrades = (): Record<Grade, number> => ({ A: 0, B: 0, C: 0, D: 0, E: 0 });

/** 跟踪评估: the staff dashboard's figures, each read in one set-wise pass. */
@Injectable()
export class TrackingService {
  constructor(
    private readonly db: Database,
    private readonly calendar: CalendarService,
    private readonly clock: Clock,
  ) {}

  private async finishedCycles(take: number) {
    const rows = await this.db.prisma.scoringCycle.findMany({
      where: { status: 'done' },
      orderBy: { id: 'desc' },
      take,
      select: { id: true, asOf: true, modelVersion: true },
    });
    return rows.map((c) => ({ id: c.id, asOf: c.asOf.toISOString(), modelVersion: c.modelVersion }));
  }

  async gradeHistory(cycles: number): Promise<GradeHistory> {
    const chosen = (await this.finishedCycles(cycles)).reverse();
    if (!chosen.length) return { cycles: [] };
    const counts = await this.db.prisma.evaluation.groupBy({
      by: ['cycleId', 'grade'],
      where: { cycleId: { in: chosen.map((c) => c.id) } },
      _count: { _all: true },
    });
    return {
      cycles: chosen.map((c) => {
        const byGrade = zeroGrades();
        for (const r of counts) if (r.cycleId === c.id && isGrade(r.grade)) byGrade[r.grade] += r._count._all;
        return { ...c, byGrade, total: GRADES.reduce((s, g) => s + byGrade[g], 0) };
      }),
    };
  }

  async gradeMigrations(cycleId: number | undefined): Promise<GradeMigrations> {
    const choices = await this.finishedCycles(36);
    const cycle = cycleId === undefined ? choices[0] : choices.find((c) => c.id === cycleId);
    const empty = { cells: [], entities: 0, upgraded: 0, downgraded: 0, choices };
    if (!cycle) return { cycle: null, previous: null, ...empty };
    const previousRow = await this.db.prisma.scoringCycle.findFirst({
      where: { status: 'done', id: { lt: cycle.id } },
      orderBy: { id: 'desc' },
      select: { id: true, asOf: true, modelVersion: true },
    });
    const previous = previousRow
      ? { id: previousRow.id, asOf: previousRow.asOf.toISOString(), modelVersion: previousRow.modelVersion }
      : null;
    // Raw SQL: a self-join of two cycles' evaluations by entity, counted per grade pair (the client cannot join a table to itself).
    const rows = await this.db.query<{ from: string | null; to: string; count: number }>(
      `SELECT p.grade AS "from", c.grade AS "to", count(*)::int AS count
         FROM evaluation c
         LEFT JOIN evaluation p ON p.entity_id = c.entity_id AND p.as_of = $3::timestamptz AND p.cycle_id = $2
        WHERE c.cycle_id = $1
        GROUP BY 1, 2`,
      [cycle.id, previous?.id ?? null, previous?.asOf ?? null],
    );
    const cells = rows
      .filter((r) => isGrade(r.to) && (r.from === null || isGrade(r.from)))
      .map((r) => ({ from: r.from as Grade | null, to: r.to as Grade, count: r.count }))
      .sort(
        (a, b) =>
          (a.from === null ? 9 : RANK[a.from]) - (b.from === null ? 9 : RANK[b.from]) || RANK[a.to] - RANK[b.to],
      );
    const sum = (f: (c: (typeof cells)[number]) => boolean) => cells.filter(f).reduce((s, c) => s + c.count, 0);
    return {
      cycle,
      previous,
      cells,
      entities: sum(() => true),
      upgraded: sum((c) => c.from !== null && RANK[c.to] < RANK[c.from]),
      downgraded: sum((c) => c.from !== null && RANK[c.to] > RANK[c.from]),
      choices,
    };
  }

  async applicationCounts(): Promise<ApplicationCounts> {
    const [o, g, r] = await Promise.all([
      this.db.prisma.objection.groupBy({ by: ['status'], _count: { _all: true } }),
      this.db.prisma.goodInfoReport.groupBy({ by: ['status'], _count: { _all: true } }),
      this.db.prisma.repairApplication.groupBy({ by: ['status'], _count: { _all: true } }),
    ]);
    const grouped: Record<ApplicationKind, Array<{ status: string; count: number }>> = {
      objection: o.map((x) => ({ status: x.status, count: x._count._all })),
      good_info: g.map((x) => ({ status: x.status, count: x._count._all })),
      repair: r.map((x) => ({ status: x.status, count: x._count._all })),
    };
    const items = APPLICATION_KINDS.flatMap((kind) =>
      grouped[kind].map((row) => {
        const status = row.status as ApplicationStatus;
        return {
          kind,
          kindLabel: APPLICATION_KIND_LABELS[kind],
          status,
          statusLabel: APPLICATION_STATUS_LABELS[kind][status] ?? row.status,
          count: row.count,
        };
      }),
    );
    return { items, total: items.reduce((s, i) => s + i.count, 0) };
  }

  async timeliness(): Promise<Timeliness> {
    const today = chinaDate(this.clock.now());
    const calendar = await this.calendar.calendar();
    // Raw SQL: compares each decided case's China-time decision day with its own due day (two columns per row), across the three tables.
    const decided = await this.db.query<{ kind: ApplicationKind; decided: number; onTime: number }>(
      APPLICATION_KINDS.map(
        (kind) =>
          `SELECT '${kind}' AS kind, count(*)::int AS decided,
                  (count(*) FILTER (WHERE (decided_at AT TIME ZONE 'Asia/Shanghai')::date <= due_on))::int AS "onTime"
             FROM ${TABLES[kind]} WHERE decided_at IS NOT NULL`,
      ).join(' UNION ALL '),
    );
    const running = { status: { in: [...RUNNING_STATUSES] } };
    const [o, g, r, po, pg, pr] = await Promise.all([
      this.db.prisma.objection.groupBy({ by: ['dueOn'], where: running, _count: { _all: true } }),
      this.db.prisma.goodInfoReport.groupBy({ by: ['dueOn'], where: running, _count: { _all: true } }),
      this.db.prisma.repairApplication.groupBy({ by: ['dueOn'], where: running, _count: { _all: true } }),
      this.db.prisma.objection.count({ where: { status: 'returned' } }),
      this.db.prisma.goodInfoReport.count({ where: { status: 'returned' } }),
      this.db.prisma.repairApplication.count({ where: { status: 'returned' } }),
    ]);
    const ageing = Object.fromEntries(AGEING_BUCKETS.map((b) => [b, 0])) as Record<
      (typeof AGEING_BUCKETS)[number],
      number
    >;
    for (const row of [...o, ...g, ...r]) {
      const c = countdown(calendar, today, dayOf(row.dueOn));
      const bucket =
        c.urgency === 'overdue'
          ? 'overdue'
          : c.urgency === 'due_today'
            ? 'due_today'
            : c.workingDaysLeft <= 2
              ? 'days_1_2'
              : c.workingDaysLeft <= 4
                ? 'days_3_4'
                : 'days_5_plus';
      ageing[bucket] += row._count._all;
    }
    ageing.paused = po + pg + pr;
    const byKind = APPLICATION_KINDS.map((kind) => {
      const d = decided.find((x) => x.kind === kind);
      return { kind, kindLabel: APPLICATION_KIND_LABELS[kind], decided: d?.decided ?? 0, onTime: d?.onTime ?? 0 };
    });
    return {
      today,
      deadlineWorkingDays: Math.max(...APPLICATION_KINDS.map((k) => DECISION_WORKING_DAYS[k])),
      byKind,
      decided: byKind.reduce((s, k) => s + k.decided, 0),
      onTime: byKind.reduce((s, k) => s + k.onTime, 0),
      ageing: AGEING_BUCKETS.map((bucket) => ({ bucket, label: AGEING_BUCKET_LABELS[bucket], count: ageing[bucket] })),
      open: AGEING_BUCKETS.reduce((s, b) => s + ageing[b], 0),
    };
  }

  async objectionOutcomes(months: number): Promise<ObjectionOutcomes> {
    const today = chinaDate(this.clock.now());
    const [y, m] = today.split('-').map(Number) as [number, number];
    const list: string[] = [];
    for (let i = months - 1; i >= 0; i--) {
      const d = new Date(Date.UTC(y, m - 1 - i, 1));
      list.push(d.toISOString().slice(0, 7));
    }
    // Raw SQL: objections counted per China-time month of decision (the client cannot group by an expression).
    const rows = await this.db.query<{ month: string; upheld: number; rejected: number }>(
      `SELECT to_char(decided_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM') AS month,
              (count(*) FILTER (WHERE status = 'upheld'))::int AS upheld,
              (count(*) FILTER (WHERE status = 'rejected'))::int AS rejected
         FROM objection
        WHERE status IN ('upheld', 'rejected')
          AND decided_at >= ($1::date::timestamp AT TIME ZONE 'Asia/Shanghai')
        GROUP BY 1`,
      [`${list[0]}-01`],
    );
    return {
      months: list.map((month) => {
        const r = rows.find((x) => x.month === month);
        return { month, upheld: r?.upheld ?? 0, rejected: r?.rejected ?? 0 };
      }),
    };
  }

  async cycleRuns(limit: number): Promise<CycleRuns> {
    const cycles = await this.db.prisma.scoringCycle.findMany({ orderBy: { id: 'desc' }, take: limit });
    const entities = cycles.length
      ? await this.db.prisma.cycleChunk.groupBy({
          by: ['cycleId'],
          where: { cycleId: { in: cycles.map((c) => c.id) } },
          _sum: { entities: true },
        })
      : [];
    return {
      items: cycles.map((c) => ({
        id: c.id,
        asOf: c.asOf.toISOString(),
        modelVersion: c.modelVersion,
        status: c.status === 'done' ? 'done' : 'running',
        trigger: c.trigger,
        triggerLabel: CYCLE_TRIGGER_LABELS[c.trigger] ?? c.trigger,
        startedAt: c.startedAt.toISOString(),
        finishedAt: c.finishedAt?.toISOString() ?? null,
        durationSeconds: c.finishedAt ? (c.finishedAt.getTime() - c.startedAt.getTime()) / 1000 : null,
        entities: entities.find((e) => e.cycleId === c.id)?._sum.entities ?? 0,
      })),
    };
  }
}
