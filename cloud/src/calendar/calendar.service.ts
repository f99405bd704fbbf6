import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import {
  defaultSchedules,
  WorkingDayCalendar,
  type CalendarLoadResult,
  type CalendarPreview,
  type CalendarSchedule,
  type CalendarStatus,
} from '@heihe/shared';
import { appendAudit } from '../audit';
import { actorOf, type Principal } from '../auth';
import { Config, type AppConfig } from '../config/config';
import { Database } from '../db/database';
import type { Templates } from '../notify';
import { Clock } from '../common/clock';
import { previewProvisionalDeadlines, recomputeProvisionalDeadlines } from '../review';
import { chinaDate } from '../common/china-time';

/**
 * The working-day calendar in force: the schedules chinese-days ships (up to 2026), overridden
 * and extended by the schedules the agency uploaded (calendar_schedule), so next year's State
 * Council notice is data, not a release. Every process re-reads the table (a handful of rows)
 * and rebuilds the calendar only when it changed, so an upload reaches all API processes at once.
 */
@Injectable()
export class CalendarService implements OnApplicationBootstrap {
  private readonly log = new Logger('Calendar');
  private cached: { fingerprint: string; calendar: WorkingDayCalendar } | null = null;
  private readonly templates: Templates;

  constructor(
    private readonly db: Database,
    @Inject(Config.token) config: Pick<AppConfig, 'WECHAT_TEMPLATE_DECISION' | 'WECHAT_TEMPLATE_GRADE'>,
    private readonly clock: Clock,
  ) {
    this.templates = { decision: config.WECHAT_TEMPLATE_DECISION, grade: config.WECHAT_TEMPLATE_GRADE };
  }

  async onApplicationBootstrap(): Promise<void> {
    const { problems } = await this.status();
    for (const p of problems) this.log.warn(p);
  }

  /** Read inside a transaction, it sees that transaction's schedules (see db/transaction.ts). */
  async calendar(): Promise<WorkingDayCalendar> {
    const rows = await this.uploads();
    const fingerprint = rows.map((r) => `${r.year}@${r.loadedAt.toISOString()}`).join(',');
    if (this.cached?.fingerprint === fingerprint) return this.cached.calendar;
    const uploaded: CalendarSchedule[] = rows.map((r) => ({
      year: r.year,
      holidays: r.holidays,
      makeupWorkdays: r.makeupWorkdays,
    }));
    const calendar = new WorkingDayCalendar(defaultSchedules()).withSchedules(uploaded);
    this.cached = { fingerprint, calendar };
    return calendar;
  }

  /**
   * Loads (or replaces) one year's official schedule. The schedule is validated in full (dates in
   * the year, makeup days on weekends, no date both off and worked) before anything is stored. In
   * the same transaction every open application with a provisional deadline is recomputed.
   */
  async load(
    year: number,
    body: { holidays: string[]; makeupWorkdays: string[] },
    by: Principal,
  ): Promise<CalendarLoadResult> {
    const schedule: CalendarSchedule = { year, holidays: body.holidays, makeupWorkdays: body.makeupWorkdays };
    // The calendar validates (VALIDATION_FAILED, with the offending entry): what it refuses is never stored.
    new WorkingDayCalendar([schedule]);
    const at = this.clock.now();
    const recomputed = await this.db.tx(async (sql) => {
      const stored = {
        holidays: [...schedule.holidays].sort(),
        makeupWorkdays: [...schedule.makeupWorkdays].sort(),
        loadedAt: at,
        loadedBy: actorOf(by).actorId ?? 'system',
      };
      await sql.prisma.calendarSchedule.upsert({ where: { year }, create: { year, ...stored }, update: stored });
      await appendAudit(
        sql,
        {
          ...actorOf(by),
          action: 'calendar.load',
          objectType: 'calendar_schedule',
          objectId: String(year),
          detail: { holidays: schedule.holidays.length, makeupWorkdays: schedule.makeupWorkdays.length },
        },
        { now: at },
      );
      return recomputeProvisionalDeadlines(sql, await this.calendar(), {
        actor: actorOf(by),
        at,
        templates: this.templates,
      });
    });
    return { ...(await this.status()), recomputed };
  }

  /**
   * What `load` would recompute, without storing anything: the same schedule validation, the
   * same open provisional applications, and the deadline counted by the same code under the
   * calendar in force with this year's schedule in place.
   */
  async preview(year: number, body: { holidays: string[]; makeupWorkdays: string[] }): Promise<CalendarPreview> {
    const schedule: CalendarSchedule = { year, holidays: body.holidays, makeupWorkdays: body.makeupWorkdays };
    new WorkingDayCalendar([schedule]);
    const calendar = (await this.calendar()).withSchedules([schedule]);
    const rows = await previewProvisionalDeadlines(this.db, calendar);
    const names = new Map(
      (
        await this.db.prisma.entity.findMany({
          where: { id: { in: [...new Set(rows.map((r) => r.entityId))] } },
          select: { id: true, name: true },
        })
      ).map((e) => [e.id, e.name]),
    );
    const items = rows.map((r) => ({ ...r, entityName: names.get(r.entityId) ?? '' }));
    return { year, items, moved: items.filter((i) => i.from !== i.to).length };
  }

  /**
   * Which years are loaded, and — loudly — which a deadline may soon need but are missing: the
   * current year always, and the next one from November, when the State Council publishes it and
   * seven working days can reach past 31 December.
   */
  async status(): Promise<CalendarStatus> {
    const calendar = await this.calendar();
    const today = chinaDate(this.clock.now());
    const year = Number(today.slice(0, 4));
    const needed = today.slice(5) >= '11-01' ? [year, year + 1] : [year];
    const rows = await this.uploads();
    return {
      today,
      loadedYears: calendar.loadedYears,
      uploaded: rows.map((r) => ({ year: r.year, loadedAt: r.loadedAt.toISOString(), loadedBy: r.loadedBy })),
      problems: needed
        .filter((y) => !calendar.hasYear(y))
        .map(
          (y) =>
            `${y} 年的法定节假日安排尚未加载：跨入该年的办理期限暂按周末和法定节日推算，显示为“预计”。请管理员按国务院办公厅通知导入 ${y} 年安排，系统将重新计算这些期限并通知企业。`,
        ),
    };
  }

  private uploads() {
    return this.db.prisma.calendarSchedule.findMany({ orderBy: { year: 'asc' } });
  }
}
