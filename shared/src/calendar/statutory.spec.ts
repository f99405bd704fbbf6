import { defaultSchedules } from './default-schedules';
import { provisionalSchedule, statutoryHolidays } from './statutory';

describe('statutoryHolidays (放假办法, 2024 revision)', () => {
  it('fixes the thirteen days off of 2027 from the lunar calendar and the solar terms', () => {
    const sut = statutoryHolidays(2027);
    expect(sut).toEqual([
      '2027-01-01', // 元旦
      '2027-02-05', // 除夕
      '2027-02-06', // 正月初一
      '2027-02-07',
      '2027-02-08', // 正月初三
      '2027-04-05', // 清明
      '2027-05-01',
      '2027-05-02', // 劳动节
      '2027-06-09', // 端午
      '2027-09-15', // 中秋
      '2027-10-01',
      '2027-10-02',
      '2027-10-03', // 国庆
    ]);
  });

  it('takes 除夕 as the 29th of the twelfth lunar month when that month is short (2025)', () => {
    const sut = statutoryHolidays(2025);
    expect(sut).toEqual(expect.arrayContaining(['2025-01-28', '2025-01-29', '2025-01-30', '2025-01-31']));
  });

  it.each([2025, 2026])('gives only days that the State Council notice for %i also gave off', (year) => {
    const official = new Set(defaultSchedules().find((s) => s.year === year)?.holidays);
    const sut = statutoryHolidays(year).filter((d) => !official.has(d));
    expect(sut).toEqual([]);
  });

  it('finds 清明 on 4 April in 2028, a leap year', () => {
    const sut = statutoryHolidays(2028);
    expect(sut).toContain('2028-04-04');
  });

  it('makes a provisional schedule with no makeup working days', () => {
    const sut = provisionalSchedule(2027);
    expect(sut).toEqual({ year: 2027, holidays: statutoryHolidays(2027), makeupWorkdays: [] });
  });
});
