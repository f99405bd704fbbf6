import fc from 'fast-check';
import { addMonths, completedYears, dayNumber, isoDate, isoDay } from './dates';

describe('isoDay', () => {
  it('counts days from 1970-01-01', () => {
    expect(isoDay('1970-01-01')).toBe(0);
  });

  it('knows leap days', () => {
    expect(isoDay('2024-03-01') - isoDay('2024-02-28')).toBe(2);
  });

  it.each(['2025-02-29', '2025-13-01', '2025-1-01', '2025/01/01', '2025-01-01T00:00:00Z', ''])(
    'rejects %p',
    (value) => {
      expect(isoDay(value)).toBeNaN();
    },
  );

  it('round-trips with isoDate for every day from 1900 to 2200', () => {
    fc.assert(
      fc.property(fc.integer({ min: dayNumber(1900, 1, 1), max: dayNumber(2200, 12, 31) }), (day) => {
        expect(isoDay(isoDate(day))).toBe(day);
      }),
    );
  });
});

describe('addMonths', () => {
  it('clamps to the end of a shorter month', () => {
    expect(isoDate(addMonths(2024, 1, 31, 1))).toBe('2024-02-29');
  });

  it('clamps 29 February to 28 February in a common year', () => {
    expect(isoDate(addMonths(2024, 2, 29, 12))).toBe('2025-02-28');
  });

  it('crosses year ends', () => {
    expect(isoDate(addMonths(2024, 11, 15, 3))).toBe('2025-02-15');
  });
});

describe('completedYears', () => {
  it('does not count the year before the anniversary', () => {
    expect(completedYears(2020, 6, 15, isoDay('2025-06-14'), 2025)).toBe(4);
  });

  it('counts the year on the anniversary', () => {
    expect(completedYears(2020, 6, 15, isoDay('2025-06-15'), 2025)).toBe(5);
  });
});
