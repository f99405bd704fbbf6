import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import {
  defaultSchedules,
  WorkingDayCalendar,
  type CalendarLoadResult,
  type CalendarSchedule,
  type CalendarStatus,
} from '@heihe/shared';
import { appendAudit } from '../audit/audit';
import { actorOf, type Principal } from '../auth/principal';
import { Config, type AppConfig } from '../config/config';
import { Database, type Sql } from '../db/database';
import type { Templates } from '../notify/notify';
import { Clock } from '../review/clock';
import { recomputeProvisionalDeadlines } from '../review/deadline-recompute';
import { chinaDate } from '../scoring/china-time';

interface Row {
  year: number;
  holidays: string[];
  makeup_workdays: string[];
  loaded_at: Date | string;
  loaded_by: string;
}

const iso = (v: Date | string) => (v instanceof Date ? v : new Date(v)).toISOString();

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

  /** Inside a transaction, pass its `sql`: on PGlite the handle is busy until the transaction ends. */
  async calendar(sql: Sql = this.db): Promise<WorkingDayCalendar> {
    const rows = await sql.query<Row>(
      `SELECT year, holidays, makeup_workdays, loaded_at, loaded_by FROM calendar_schedule ORDER BY year`,
    );
    const fingerprint = rows.map((r) => `${r.year}@${iso(r.loaded_at)}`).join(',');
    if (this.cached?.fingerprint === fingerprint) return this.cached.calendar;
    const uploaded: CalendarSchedule[] = rows.map((r) => ({
      year: r.year,
      holidays: r.holidays,
      makeupWorkdays: r.makeup_workdays,
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
      await sql.query(
        `INSERT INTO calendar_schedule (year, holidays, makeup_workdays, loaded_at, loaded_by) VALUES ($1, $2::text[], $3::text[], $4, $5)
         ON CONFLICT (year) DO UPDATE SET holidays = EXCLUDED.holidays, makeup_workdays = EXCLUDED.makeup_workdays,
           loaded_at = EXCLUDED.loaded_at, loaded_by = EXCLUDED.loaded_by`,
        [
          year,
          [...schedule.holidays].sort(),
          [...schedule.makeupWorkdays].sort(),
          at.toISOString(),
          actorOf(by).actorId,
        ],
      );
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
      return recomputeProvisionalDeadlines(sql, await this.calendar(sql), {
        actor: actorOf(by),
        at,
        templates: this.templates,
      });
    });
    return { ...(await this.status()), recomputed };
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
    const rows = await this.db.query<Row>(
      `SELECT year, holidays, makeup_workdays, loaded_at, loaded_by FROM calendar_schedule ORDER BY year`,
    );
    return {
      today,
      loadedYears: calendar.loadedYears,
      uploaded: rows.map((r) => ({ year: r.year, loadedAt: iso(r.loaded_at), loadedBy: r.loaded_by })),
      problems: needed
        .filter((y) => !calendar.hasYear(y))
        .map(
          (y) =>
            `${y} 年的法定节假日安排尚未加载：跨入该年的办理期限暂按周末和法定节日推算，显示为“预计”。请管理员按国务院办公厅通知导入 ${y} 年安排，系统将重新计算这些期限并通知企业。`,
        ),
    };
  }
}
