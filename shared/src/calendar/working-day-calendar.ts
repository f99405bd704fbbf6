import { AppError, ErrorCodes, type ErrorDetail } from '../errors';
import {
  civilFromDayNumber,
  dayNumberFromCivil,
  daysInYear,
  fromDayNumber,
  isWeekendDayNumber,
  toDayNumber,
} from './iso-date';
import { calendarScheduleSchema, type CalendarSchedule } from './schedule';
import { provisionalSchedule } from './statutory';

interface YearTable {
  readonly year: number;
  readonly firstDay: number;
  readonly length: number;
  /** cumulative[i] = working days among the year's first i days; length + 1 entries. */
  readonly cumulative: Int32Array;
}

function buildTable(schedule: CalendarSchedule): YearTable {
  const firstDay = dayNumberFromCivil({
    year: schedule.year,
    month: 1,
    day: 1,
  });
  const length = daysInYear(schedule.year);
  const holidays = new Set(schedule.holidays);
  const makeup = new Set(schedule.makeupWorkdays);
  const cumulative = new Int32Array(length + 1);
  let running = 0;
  for (let i = 0; i < length; i++) {
    const dayNumber = firstDay + i;
    const date = fromDayNumber(dayNumber);
    const working = makeup.has(date) || (!holidays.has(date) && !isWeekendDayNumber(dayNumber));
    if (working) running++;
    cumulative[i + 1] = running;
  }
  return { year: schedule.year, firstDay, length, cumulative };
}

function cum(table: YearTable, index: number): number {
  const value = table.cumulative[index];
  if (value === undefined) throw new RangeError(`day index ${index} outside ${table.year}`);
  return value;
}

/** Smallest k in [lo, hi] with cumulative[k] >= target; the caller guarantees one exists. */
function lowerBound(table: YearTable, lo: number, hi: number, target: number): number {
  let left = lo;
  let right = hi;
  while (left < right) {
    const mid = (left + right) >>> 1;
    if (cum(table, mid) >= target) right = mid;
    else left = mid + 1;
  }
  return left;
}

function validate(schedule: CalendarSchedule): CalendarSchedule {
  const parsed = calendarScheduleSchema.safeParse(schedule);
  if (parsed.success) return parsed.data;
  const details: ErrorDetail[] = parsed.error.issues.map((issue) => ({
    path: issue.path.map(String).join('.'),
    message: issue.message,
  }));
  throw new AppError(
    ErrorCodes.VALIDATION_FAILED,
    `${String(schedule.year)} 年的节假日安排数据无效：${details[0]?.message ?? ''}`,
    details,
  );
}

/**
 * Chinese statutory working days (法定工作日) over the official schedules it was given. A year
 * without one is counted *provisionally*: weekends plus the holidays the 放假办法 fixes by date
 * (`statutoryHolidays`), with no 调休. A missing table never stops a count — the right to object
 * does not wait for the State Council's notice — but every answer that crossed such a year can be
 * told apart (`provisionalYears`), so it is shown as provisional and recomputed once the year is
 * loaded.
 *
 * Immutable (the provisional tables are a cache of pure functions of the year); `withSchedules`
 * returns a new calendar, so a newly published year can be loaded from data at run time.
 */
export class WorkingDayCalendar {
  private readonly tables: ReadonlyMap<number, YearTable>;
  private readonly schedules: ReadonlyMap<number, CalendarSchedule>;
  private readonly provisionalTables = new Map<number, YearTable>();

  constructor(schedules: readonly CalendarSchedule[]) {
    const byYear = new Map<number, CalendarSchedule>();
    for (const schedule of schedules) {
      const valid = validate(schedule);
      if (byYear.has(valid.year)) {
        const message = `${valid.year} 年的节假日安排重复`;
        throw new AppError(ErrorCodes.VALIDATION_FAILED, message, [{ path: 'year', message }]);
      }
      byYear.set(valid.year, valid);
    }
    this.schedules = byYear;
    this.tables = new Map([...byYear].map(([year, s]) => [year, buildTable(s)]));
  }

  /** A new calendar where each given schedule replaces (or adds) its year. */
  withSchedules(schedules: readonly CalendarSchedule[]): WorkingDayCalendar {
    const replaced = new Set(schedules.map((s) => s.year));
    const kept = [...this.schedules.values()].filter((s) => !replaced.has(s.year));
    return new WorkingDayCalendar([...kept, ...schedules]);
  }

  get loadedYears(): number[] {
    return [...this.tables.keys()].sort((a, b) => a - b);
  }

  /** Whether the year's official schedule is loaded; without it the year is counted provisionally. */
  hasYear(year: number): boolean {
    return this.tables.has(year);
  }

  /**
   * The years without an official schedule among those of the days in (from, to] — the days a
   * count from `from` to `to` looked at. Empty when the answer is final.
   */
  provisionalYears(from: string, to: string): number[] {
    const a = toDayNumber(from, 'from');
    const b = toDayNumber(to, 'to');
    const [first, last] = a < b ? [a + 1, b] : [b + 1, a];
    if (first > last) return [];
    const years: number[] = [];
    for (let y = civilFromDayNumber(first).year; y <= civilFromDayNumber(last).year; y++)
      if (!this.tables.has(y)) years.push(y);
    return years;
  }

  isWorkingDay(date: string): boolean {
    const dayNumber = toDayNumber(date);
    const table = this.tableFor(dayNumber);
    const index = dayNumber - table.firstDay;
    return cum(table, index + 1) - cum(table, index) === 1;
  }

  /**
   * The date n working days after `date`; counting starts the next day, so the start date's own
   * status never matters (filed 2026-09-30, 7 working days → due 2026-10-15). A negative n counts
   * backwards from the previous day; n = 0 returns the date itself.
   */
  addWorkingDays(date: string, n: number): string {
    const start = toDayNumber(date);
    if (!Number.isSafeInteger(n)) {
      const message = `工作日天数应为整数：${String(n)}`;
      throw new AppError(ErrorCodes.VALIDATION_FAILED, message, [{ path: 'n', message }]);
    }
    if (n === 0) return fromDayNumber(start);
    return n > 0 ? this.forward(start + 1, n) : this.backward(start - 1, -n);
  }

  /**
   * Working days in (from, to] when to is later, and minus the working days in (to, from] when
   * it is earlier: the countdown to a deadline, negative once it has passed. Inverse of
   * addWorkingDays: workingDaysBetween(d, addWorkingDays(d, n)) === n.
   */
  workingDaysBetween(from: string, to: string): number {
    const a = toDayNumber(from, 'from');
    const b = toDayNumber(to, 'to');
    if (a === b) return 0;
    // 0 - x rather than -x: an overdue countdown of zero must not serialize as -0.
    return a < b ? this.countWorking(a + 1, b) : 0 - this.countWorking(b + 1, a);
  }

  private forward(firstDay: number, n: number): string {
    let day = firstDay;
    let remaining = n;
    for (;;) {
      const table = this.tableFor(day);
      const index = day - table.firstDay;
      const available = cum(table, table.length) - cum(table, index);
      if (available >= remaining) {
        const k = lowerBound(table, index + 1, table.length, cum(table, index) + remaining);
        return fromDayNumber(table.firstDay + k - 1);
      }
      remaining -= available;
      day = table.firstDay + table.length;
    }
  }

  private backward(lastDay: number, n: number): string {
    let day = lastDay;
    let remaining = n;
    for (;;) {
      const table = this.tableFor(day);
      const index = day - table.firstDay;
      const available = cum(table, index + 1);
      if (available >= remaining) {
        const k = lowerBound(table, 1, index + 1, available - remaining + 1);
        return fromDayNumber(table.firstDay + k - 1);
      }
      remaining -= available;
      day = table.firstDay - 1;
    }
  }

  /** Working days in [first, last], both inclusive, first <= last. */
  private countWorking(first: number, last: number): number {
    let total = 0;
    let day = first;
    while (day <= last) {
      const table = this.tableFor(day);
      const from = day - table.firstDay;
      const to = Math.min(last - table.firstDay, table.length - 1);
      total += cum(table, to + 1) - cum(table, from);
      day = table.firstDay + table.length;
    }
    return total;
  }

  private tableFor(dayNumber: number): YearTable {
    const { year } = civilFromDayNumber(dayNumber);
    const table = this.tables.get(year) ?? this.provisionalTables.get(year);
    if (table) return table;
    if (year < 1 || year > 9999) {
      const message = `日期超出可计算范围（公元 1–9999 年）：${year} 年`;
      throw new AppError(ErrorCodes.VALIDATION_FAILED, message, [{ path: 'date', message }]);
    }
    const built = buildTable(provisionalSchedule(year));
    this.provisionalTables.set(year, built);
    return built;
  }
}
