import chineseDays from 'chinese-days/dist/chinese-days.json';
import type { CalendarSchedule } from './schedule';

/**
 * The package's published data file (the one its README links for non-JS users), read as plain
 * data: `holidays` and `workdays` (= 调休上班日) are maps keyed by 'YYYY-MM-DD'. Its query
 * functions are not used: they parse dates as UTC and read them back in local time, so the
 * answers shift by a day west of Greenwich.
 */
interface ChineseDaysData {
  holidays: Readonly<Record<string, string>>;
  workdays: Readonly<Record<string, string>>;
}

const data: ChineseDaysData = chineseDays;

function groupByYear(dates: readonly string[]): Map<number, string[]> {
  const byYear = new Map<number, string[]>();
  for (const date of [...dates].sort()) {
    const year = Number(date.slice(0, 4));
    const list = byYear.get(year) ?? [];
    list.push(date);
    byYear.set(year, list);
  }
  return byYear;
}

/** Fresh arrays the caller owns, hence mutable. */
type OwnedSchedule = {
  year: number;
  holidays: string[];
  makeupWorkdays: string[];
};

let cached: readonly CalendarSchedule[] | undefined;

function build(): readonly CalendarSchedule[] {
  const holidays = groupByYear(Object.keys(data.holidays));
  const makeup = groupByYear(Object.keys(data.workdays));
  // A year counts as covered only if the package lists days off for it; every real year has some.
  return [...holidays.keys()]
    .sort((a, b) => a - b)
    .map((year) => ({
      year,
      holidays: holidays.get(year) ?? [],
      makeupWorkdays: makeup.get(year) ?? [],
    }));
}

/** The official schedules shipped with chinese-days (2004 through 2026 in v1.5.7). */
export function defaultSchedules(): OwnedSchedule[] {
  cached ??= build();
  return cached.map((s) => ({
    year: s.year,
    holidays: [...s.holidays],
    makeupWorkdays: [...s.makeupWorkdays],
  }));
}
