/**
 * Calendar arithmetic on integer day numbers (days since 1970-01-01), so the hot path never builds
 * a Date. Dates are ISO calendar dates 'YYYY-MM-DD' (China Standard Time, no clock, no zone).
 */

const DIGIT_0 = 48;
const DASH = 45;

function digitsAt(s: string, from: number, to: number): number {
  let value = 0;
  for (let i = from; i < to; i++) {
    const digit = s.charCodeAt(i) - DIGIT_0;
    if (digit < 0 || digit > 9) return -1;
    value = value * 10 + digit;
  }
  return value;
}

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** Day number of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
export function dayNumber(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const shiftedMonth = month > 2 ? month - 3 : month + 9;
  const dayOfYear = Math.floor((153 * shiftedMonth + 2) / 5) + day - 1;
  // yearOfEra is in [0, 400): truncating (`| 0`, an integer division) is flooring, and cheaper than
  // Math.floor of a float division (isoDay runs for every date of every fact of a cycle).
  const dayOfEra = yearOfEra * 365 + ((yearOfEra / 4) | 0) - ((yearOfEra / 100) | 0) + dayOfYear;
  return era * 146097 + dayOfEra - 719468;
}

/** Inverse of {@link dayNumber}: 'YYYY-MM-DD'. */
export function isoDate(dayNo: number): string {
  const z = dayNo + 719468;
  const era = Math.floor(z / 146097);
  const dayOfEra = z - era * 146097;
  const yearOfEra = Math.floor(
    (dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36524) - Math.floor(dayOfEra / 146096)) / 365,
  );
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const shiftedMonth = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * shiftedMonth + 2) / 5) + 1;
  const month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** Year of a 'YYYY-MM-DD' string, or -1 when it is not of that shape. */
export function isoYear(s: string): number {
  return s.length === 10 ? digitsAt(s, 0, 4) : -1;
}

/** Month (1–12) of a 'YYYY-MM-DD' string; call only after {@link isoDay} accepted it. */
export function isoMonth(s: string): number {
  return digitsAt(s, 5, 7);
}

/** Day of month of a 'YYYY-MM-DD' string; call only after {@link isoDay} accepted it. */
export function isoDayOfMonth(s: string): number {
  return digitsAt(s, 8, 10);
}

/** Day number of a strict 'YYYY-MM-DD' calendar date, or NaN when malformed or not a real date. */
export function isoDay(s: string): number {
  if (s.length !== 10 || s.charCodeAt(4) !== DASH || s.charCodeAt(7) !== DASH) return NaN;
  // Unrolled: this runs for every date of every fact of every entity in a cycle.
  const y0 = s.charCodeAt(0) - DIGIT_0;
  const y1 = s.charCodeAt(1) - DIGIT_0;
  const y2 = s.charCodeAt(2) - DIGIT_0;
  const y3 = s.charCodeAt(3) - DIGIT_0;
  const m0 = s.charCodeAt(5) - DIGIT_0;
  const m1 = s.charCodeAt(6) - DIGIT_0;
  const d0 = s.charCodeAt(8) - DIGIT_0;
  const d1 = s.charCodeAt(9) - DIGIT_0;
  if (
    (y0 | y1 | y2 | y3 | m0 | m1 | d0 | d1) < 0 ||
    y0 > 9 ||
    y1 > 9 ||
    y2 > 9 ||
    y3 > 9 ||
    m0 > 9 ||
    m1 > 9 ||
    d0 > 9 ||
    d1 > 9
  ) {
    return NaN;
  }
  const year = y0 * 1000 + y1 * 100 + y2 * 10 + y3;
  const month = m0 * 10 + m1;
  const day = d0 * 10 + d1;
  if (month < 1 || month > 12 || day < 1 || (day > 28 && day > daysInMonth(year, month))) return NaN;
  return dayNumber(year, month, day);
}

/**
 * Day number of (year, month, day) plus `months` calendar months. A day past the end of the target
 * month clamps to its last day: 2024-01-31 + 1 month is 2024-02-29; 2024-02-29 + 12 is 2025-02-28.
 */
export function addMonths(year: number, month: number, day: number, months: number): number {
  const index = year * 12 + (month - 1) + months;
  const targetYear = Math.floor(index / 12);
  const targetMonth = index - targetYear * 12 + 1;
  const lastDay = daysInMonth(targetYear, targetMonth);
  return dayNumber(targetYear, targetMonth, day > lastDay ? lastDay : day);
}

/** Whole years completed from (year, month, day) to `asOfDay`; anniversaries are calendar-month based. */
export function completedYears(year: number, month: number, day: number, asOfDay: number, asOfYear: number): number {
  let years = asOfYear - year;
  if (addMonths(year, month, day, years * 12) > asOfDay) years -= 1;
  return years;
}
