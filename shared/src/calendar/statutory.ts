import { LunarDay, SolarTerm, type SolarDay } from 'tyme4ts';
import type { CalendarSchedule } from './schedule';

/**
 * The days off that the 全国年节及纪念日放假办法 (2024 revision, Art. 2) fixes by date, for any
 * year, before the State Council publishes that year's arrangement:
 *   元旦 1 Jan; 春节 农历除夕 to 正月初三; 清明 (the solar term's day); 劳动节 1–2 May;
 *   端午 (农历五月初五); 中秋 (农历八月十五); 国庆 1–3 Oct.
 * Lunar dates and 清明 come from tyme4ts, a maintained lunar-calendar library, never from
 * hand-written tables.
 *
 * What the rules do not fix is left out: the yearly notice also moves days off next to weekends
 * and makes some weekends working days (调休). A deadline counted on these days alone is
 * therefore provisional, and is recomputed when the official schedule is loaded.
 */
export function statutoryHolidays(year: number): string[] {
  const days = new Set<string>([
    iso(year, 1, 1),
    iso(year, 5, 1),
    iso(year, 5, 2),
    iso(year, 10, 1),
    iso(year, 10, 2),
    iso(year, 10, 3),
  ]);
  const springFestival = LunarDay.fromYmd(year, 1, 1);
  // 除夕 is the last day of the previous lunar year, whether its twelfth month has 29 or 30 days.
  for (let offset = -1; offset <= 2; offset++) days.add(isoOf(springFestival.next(offset).getSolarDay()));
  days.add(isoOf(SolarTerm.fromName(year, '清明').getJulianDay().getSolarDay()));
  days.add(isoOf(LunarDay.fromYmd(year, 5, 5).getSolarDay()));
  days.add(isoOf(LunarDay.fromYmd(year, 8, 15).getSolarDay()));
  // Every one of these falls inside the Gregorian year (除夕 is never before 20 January).
  return [...days].filter((d) => d.startsWith(`${year}-`)).sort();
}

/** A year's working days as far as they are known without its notice: weekends plus the fixed holidays. */
export function provisionalSchedule(year: number): CalendarSchedule {
  return { year, holidays: statutoryHolidays(year), makeupWorkdays: [] };
}

function iso(year: number, month: number, day: number): string {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

function isoOf(day: SolarDay): string {
  return iso(day.getYear(), day.getMonth(), day.getDay());
}
