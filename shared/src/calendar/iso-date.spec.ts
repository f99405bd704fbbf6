import fc from 'fast-check';
import { dayNumberFromCivil, fromDayNumber, isIsoDate, toDayNumber, weekdayOfDayNumber } from './iso-date';
import { AppError, ErrorCodes } from '../errors';

const MS_PER_DAY = 86_400_000;
// 1900-01-01 … 2199-12-31 as day numbers
const dayNumbers = fc.integer({ min: -25567, max: 84005 });

describe('iso-date', () => {
  it('accepts a real leap day', () => {
    const sut = isIsoDate;
    expect(sut('2024-02-29')).toBe(true);
  });

  it('rejects a leap day in a common year', () => {
    const sut = isIsoDate;
    expect(sut('2026-02-29')).toBe(false);
  });

  it('rejects a date not written as YYYY-MM-DD', () => {
    const sut = isIsoDate;
    expect(sut('2026-9-30')).toBe(false);
  });

  it('throws VALIDATION_FAILED for an impossible date', () => {
    const sut = () => toDayNumber('2026-02-30');
    expect(sut).toThrow(expect.objectContaining({ code: ErrorCodes.VALIDATION_FAILED }));
    expect(sut).toThrow(AppError);
  });

  it('agrees with the UTC calendar of Date on every day number', () => {
    fc.assert(
      fc.property(dayNumbers, (n) => {
        const sut = fromDayNumber(n);
        expect(sut).toBe(new Date(n * MS_PER_DAY).toISOString().slice(0, 10));
        expect(weekdayOfDayNumber(n)).toBe(new Date(n * MS_PER_DAY).getUTCDay());
      }),
    );
  });

  it('round-trips a day number through its date string', () => {
    fc.assert(
      fc.property(dayNumbers, (n) => {
        const sut = toDayNumber(fromDayNumber(n));
        expect(sut).toBe(n);
      }),
    );
  });

  it('numbers 1970-01-01 as day zero', () => {
    const sut = dayNumberFromCivil({ year: 1970, month: 1, day: 1 });
    expect(sut).toBe(0);
  });
});
