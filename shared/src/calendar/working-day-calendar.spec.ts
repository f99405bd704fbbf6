import fc from 'fast-check';
import { ErrorCodes } from '../errors';
import { defaultSchedules } from './default-schedules';
import { fromDayNumber, toDayNumber } from './iso-date';
import type { CalendarSchedule } from './schedule';
import { WorkingDayCalendar } from './working-day-calendar';

/** Hypothetical 2027 arrangement for tests; not the State Council's (unpublished at writing). */
const a2027Schedule = (overrides: Partial<CalendarSchedule> = {}): CalendarSchedule => ({
  year: 2027,
  holidays: [
    '2027-01-01',
    '2027-01-02',
    '2027-01-03',
    ...[5, 6, 7, 8, 9, 10, 11, 12, 13].map((d) => `2027-02-${String(d).padStart(2, '0')}`),
  ],
  makeupWorkdays: ['2027-02-20'],
  ...overrides,
});

const defaults = new WorkingDayCalendar(defaultSchedules());
const loadedDay = (min: string, max: string) =>
  fc.integer({ min: toDayNumber(min), max: toDayNumber(max) }).map(fromDayNumber);

function naiveAddWorkingDays(calendar: WorkingDayCalendar, date: string, n: number): string {
  let day = toDayNumber(date);
  let remaining = n;
  while (remaining > 0) {
    day++;
    if (calendar.isWorkingDay(fromDayNumber(day))) remaining--;
  }
  return fromDayNumber(day);
}

describe('WorkingDayCalendar', () => {
  describe('default schedules', () => {
    it('loads every year chinese-days ships, 2004 through 2026', () => {
      const sut = defaults;
      expect(sut.loadedYears).toEqual(Array.from({ length: 23 }, (_, i) => 2004 + i));
    });

    it('hands out copies, so callers cannot change the shared data', () => {
      const sut = defaultSchedules();
      sut[0]?.holidays.splice(0);
      expect(defaultSchedules()[0]?.holidays.length).toBeGreaterThan(0);
    });
  });

  describe('Spring Festival 2026', () => {
    it('works the makeup Saturday before the break', () => {
      const sut = defaults;
      expect(sut.isWorkingDay('2026-02-14')).toBe(true);
    });

    it('rests on a Monday inside the break', () => {
      const sut = defaults;
      expect(sut.isWorkingDay('2026-02-16')).toBe(false);
    });

    it('rests on the Monday the break ends, 2026-02-23', () => {
      const sut = defaults;
      expect(sut.isWorkingDay('2026-02-23')).toBe(false);
    });

    it('works the makeup Saturday after the break', () => {
      const sut = defaults;
      expect(sut.isWorkingDay('2026-02-28')).toBe(true);
    });

    it('counts both makeup Saturdays and skips the nine days off', () => {
      const sut = defaults;
      expect(sut.addWorkingDays('2026-02-12', 7)).toBe('2026-02-28');
    });

    it('jumps from the makeup Saturday straight past the break', () => {
      const sut = defaults;
      expect(sut.addWorkingDays('2026-02-13', 2)).toBe('2026-02-24');
    });
  });

  describe('National Day 2026', () => {
    it('works the makeup Sunday 2026-09-20', () => {
      const sut = defaults;
      expect(sut.isWorkingDay('2026-09-20')).toBe(true);
    });

    it('works the makeup Saturday 2026-10-10', () => {
      const sut = defaults;
      expect(sut.isWorkingDay('2026-10-10')).toBe(true);
    });

    it('rests on the ordinary Sunday after it', () => {
      const sut = defaults;
      expect(sut.isWorkingDay('2026-10-11')).toBe(false);
    });

    it('rests on a weekday of the break', () => {
      const sut = defaults;
      expect(sut.isWorkingDay('2026-10-05')).toBe(false);
    });

    it('sets the due date of an objection filed 2026-09-30 to 2026-10-15', () => {
      const sut = defaults;
      expect(sut.addWorkingDays('2026-09-30', 7)).toBe('2026-10-15');
    });

    it('reaches the makeup Sunday as the next working day after Friday 2026-09-18', () => {
      const sut = defaults;
      expect(sut.addWorkingDays('2026-09-18', 1)).toBe('2026-09-20');
    });

    it('counts back from the due date to the filing date', () => {
      const sut = defaults;
      expect(sut.addWorkingDays('2026-10-15', -7)).toBe('2026-09-30');
    });
  });

  describe('addWorkingDays', () => {
    it('returns the date itself for zero days, even on a holiday', () => {
      const sut = defaults;
      expect(sut.addWorkingDays('2026-10-01', 0)).toBe('2026-10-01');
    });

    it('counts across New Year into the makeup Sunday 2026-01-04', () => {
      const sut = defaults;
      expect(sut.addWorkingDays('2025-12-31', 1)).toBe('2026-01-04');
    });

    it('rejects a fractional number of days', () => {
      const sut = () => defaults.addWorkingDays('2026-09-30', 1.5);
      expect(sut).toThrow(expect.objectContaining({ code: ErrorCodes.VALIDATION_FAILED }));
    });

    it('rejects an impossible start date', () => {
      const sut = () => defaults.addWorkingDays('2026-02-30', 1);
      expect(sut).toThrow(expect.objectContaining({ code: ErrorCodes.VALIDATION_FAILED }));
    });
  });

  describe('workingDaysBetween', () => {
    it('counts the seven days of the worked objection example', () => {
      const sut = defaults;
      expect(sut.workingDaysBetween('2026-09-30', '2026-10-15')).toBe(7);
    });

    it('counts down to a deadline', () => {
      const sut = defaults;
      expect(sut.workingDaysBetween('2026-10-12', '2026-10-15')).toBe(3);
    });

    it('goes negative once the deadline has passed', () => {
      const sut = defaults;
      expect(sut.workingDaysBetween('2026-10-19', '2026-10-15')).toBe(-2);
    });

    it('is zero on the deadline itself', () => {
      const sut = defaults;
      expect(sut.workingDaysBetween('2026-10-15', '2026-10-15')).toBe(0);
    });

    it('is plain zero, not -0, looking back over days off', () => {
      const sut = defaults;
      expect(sut.workingDaysBetween('2026-10-04', '2026-10-03')).toBe(0);
    });

    it('counts across a year boundary', () => {
      const sut = defaults;
      expect(sut.workingDaysBetween('2025-12-31', '2026-01-05')).toBe(2);
    });
  });

  describe('a year without a schedule', () => {
    it('rests on the fixed holidays of 2031, though no notice for it exists', () => {
      const sut = defaults;
      // 2031-05-01 Thu and 05-02 Fri are 劳动节; 05-05 Mon is an ordinary working day.
      expect([sut.isWorkingDay('2031-05-02'), sut.isWorkingDay('2031-05-05')]).toEqual([false, true]);
    });

    it('counts a deadline into 2027 past 1 January, and names 2027 as provisional', () => {
      const sut = defaults;
      // 12-29 … 12-31 (1–3), 01-01 holiday, 01-02/03 weekend, 01-04 … 01-08 (4–8), 01-11, 01-12 (9, 10)
      expect(sut.addWorkingDays('2026-12-28', 10)).toBe('2027-01-12');
      expect(sut.provisionalYears('2026-12-28', '2027-01-12')).toEqual([2027]);
    });

    it('counts across several unloaded years and names each', () => {
      const sut = defaults.provisionalYears('2026-12-01', '2031-01-01');
      expect(sut).toEqual([2027, 2028, 2029, 2030, 2031]);
    });

    it('counts backwards into 2003 provisionally', () => {
      const sut = defaults;
      // 2004-01-01 is a holiday; 2003-12-31 … 12-29 (1–3), 12-26, 12-25 (4, 5)
      expect(sut.addWorkingDays('2004-01-02', -5)).toBe('2003-12-25');
      expect(sut.provisionalYears('2004-01-02', '2003-12-25')).toEqual([2003]);
    });

    it('names no provisional year for a count inside loaded years', () => {
      const sut = defaults;
      expect(sut.addWorkingDays('2026-12-28', 3)).toBe('2026-12-31');
      expect(sut.provisionalYears('2026-12-28', '2026-12-31')).toEqual([]);
    });

    it('is still the inverse of addWorkingDays across unloaded years', () => {
      const sut = defaults;
      fc.assert(
        fc.property(loadedDay('2026-06-01', '2032-12-31'), fc.integer({ min: 0, max: 400 }), (d, n) => {
          expect(sut.workingDaysBetween(d, sut.addWorkingDays(d, n))).toBe(n);
        }),
      );
    });
  });

  describe('loading a schedule as data', () => {
    it('computes across into 2027 once its schedule is loaded', () => {
      const sut = defaults.withSchedules([a2027Schedule()]);
      expect(sut.addWorkingDays('2026-12-31', 1)).toBe('2027-01-04');
    });

    it('works a makeup Saturday from the loaded data', () => {
      const sut = defaults.withSchedules([a2027Schedule()]);
      expect(sut.isWorkingDay('2027-02-20')).toBe(true);
    });

    it('rests on a loaded holiday that falls on a Monday', () => {
      const sut = defaults.withSchedules([a2027Schedule()]);
      expect(sut.isWorkingDay('2027-02-08')).toBe(false);
    });

    it('leaves the calendar it was derived from unchanged', () => {
      const sut = defaults;
      sut.withSchedules([a2027Schedule()]);
      expect(sut.hasYear(2027)).toBe(false);
    });

    it('replaces a year that was already loaded', () => {
      const year2026 = defaultSchedules().find((s) => s.year === 2026);
      const corrected: CalendarSchedule = {
        year: 2026,
        holidays: [...(year2026?.holidays ?? []), '2026-10-08'],
        makeupWorkdays: year2026?.makeupWorkdays ?? [],
      };
      const sut = defaults.withSchedules([corrected]);
      expect(sut.addWorkingDays('2026-09-30', 7)).toBe('2026-10-16');
    });

    it('rejects an invalid schedule with VALIDATION_FAILED', () => {
      const sut = () => new WorkingDayCalendar([a2027Schedule({ makeupWorkdays: ['2027-02-22'] })]);
      expect(sut).toThrow(expect.objectContaining({ code: ErrorCodes.VALIDATION_FAILED }));
    });

    it('rejects two schedules for the same year', () => {
      const sut = () => new WorkingDayCalendar([a2027Schedule(), a2027Schedule()]);
      expect(sut).toThrow(
        expect.objectContaining({
          code: ErrorCodes.VALIDATION_FAILED,
          message: '2027 年的节假日安排重复',
        }),
      );
    });
  });

  describe('properties over the shipped schedules', () => {
    const starts = loadedDay('2004-01-01', '2026-06-30');
    const counts = fc.integer({ min: 1, max: 60 });

    it('always lands on a working day', () => {
      fc.assert(
        fc.property(starts, counts, (d, n) => {
          const sut = defaults;
          expect(sut.isWorkingDay(sut.addWorkingDays(d, n))).toBe(true);
        }),
      );
    });

    it('is strictly increasing in n', () => {
      fc.assert(
        fc.property(starts, counts, (d, n) => {
          const sut = defaults;
          expect(sut.addWorkingDays(d, n) < sut.addWorkingDays(d, n + 1)).toBe(true);
        }),
      );
    });

    it('agrees with walking day by day', () => {
      fc.assert(
        fc.property(starts, counts, (d, n) => {
          const sut = defaults;
          expect(sut.addWorkingDays(d, n)).toBe(naiveAddWorkingDays(sut, d, n));
        }),
      );
    });

    it('is undone by workingDaysBetween', () => {
      fc.assert(
        fc.property(starts, counts, (d, n) => {
          const sut = defaults;
          expect(sut.workingDaysBetween(d, sut.addWorkingDays(d, n))).toBe(n);
        }),
      );
    });

    it('walks back from a due date to the working day it was counted from', () => {
      fc.assert(
        fc.property(starts, counts, (d, n) => {
          const sut = defaults;
          const workingDay = sut.addWorkingDays(d, 1);
          expect(sut.addWorkingDays(sut.addWorkingDays(workingDay, n), -n)).toBe(workingDay);
        }),
      );
    });

    it('counts a backward walk from a working day as minus n', () => {
      fc.assert(
        fc.property(loadedDay('2004-06-01', '2026-12-30'), counts, (d, n) => {
          const sut = defaults;
          const workingDay = sut.addWorkingDays(d, 1);
          expect(sut.workingDaysBetween(workingDay, sut.addWorkingDays(workingDay, -n))).toBe(-n);
        }),
      );
    });

    it('gives opposite signs when the dates are swapped', () => {
      const anyDay = loadedDay('2004-01-01', '2026-12-31');
      fc.assert(
        fc.property(anyDay, anyDay, (a, b) => {
          const sut = defaults;
          expect(sut.workingDaysBetween(a, b) + sut.workingDaysBetween(b, a)).toBe(0);
        }),
      );
    });
  });
});
