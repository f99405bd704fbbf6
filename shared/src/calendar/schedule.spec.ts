import { calendarScheduleSchema, type CalendarSchedule } from './schedule';
import { defaultSchedules } from './default-schedules';

const aSchedule = (overrides: Partial<CalendarSchedule> = {}): CalendarSchedule => ({
  year: 2027,
  holidays: ['2027-01-01', '2027-01-02', '2027-01-03'],
  makeupWorkdays: ['2027-02-20'],
  ...overrides,
});

function messagesOf(input: unknown): string[] {
  const result = calendarScheduleSchema.safeParse(input);
  return result.success ? [] : result.error.issues.map((i) => i.message);
}

describe('calendarScheduleSchema', () => {
  it('accepts a well-formed schedule', () => {
    const sut = calendarScheduleSchema.safeParse(aSchedule());
    expect(sut.success).toBe(true);
  });

  it('accepts every schedule shipped by chinese-days', () => {
    const sut = defaultSchedules().filter((s) => !calendarScheduleSchema.safeParse(s).success);
    expect(sut).toEqual([]);
  });

  it('rejects a holiday from another year, naming both', () => {
    const sut = messagesOf(aSchedule({ holidays: ['2026-12-31', '2027-01-01'] }));
    expect(sut).toEqual(['日期 2026-12-31 不属于 2027 年']);
  });

  it('rejects a makeup workday from another year', () => {
    const sut = messagesOf(aSchedule({ makeupWorkdays: ['2028-01-08'] }));
    expect(sut).toEqual(['日期 2028-01-08 不属于 2027 年']);
  });

  it('rejects a date that is both a holiday and a makeup workday', () => {
    const sut = messagesOf(aSchedule({ holidays: ['2027-02-20'], makeupWorkdays: ['2027-02-20'] }));
    expect(sut).toEqual(['日期 2027-02-20 不能既是放假日又是调休上班日']);
  });

  it('rejects a makeup workday that falls Monday to Friday', () => {
    const sut = messagesOf(aSchedule({ makeupWorkdays: ['2027-02-22'] }));
    expect(sut).toEqual(['调休上班日应为周六或周日，2027-02-22 是周一']);
  });

  it('rejects an impossible date', () => {
    const sut = messagesOf(aSchedule({ holidays: ['2027-02-29'] }));
    expect(sut).toEqual(['日期应为 YYYY-MM-DD 格式的有效日期（如 2026-10-01）']);
  });

  it('rejects a repeated date', () => {
    const sut = messagesOf(aSchedule({ holidays: ['2027-01-01', '2027-01-01'] }));
    expect(sut).toEqual(['日期 2027-01-01 重复']);
  });

  it('rejects a schedule without holidays, which would silently mean plain weekends', () => {
    const sut = messagesOf(aSchedule({ holidays: [] }));
    expect(sut).toEqual(['放假日期不能为空，请按国务院通知填写']);
  });

  it('points the issue at the offending entry', () => {
    const sut = calendarScheduleSchema.safeParse(aSchedule({ makeupWorkdays: ['2027-02-20', '2027-02-22'] }));
    expect(sut.success ? [] : sut.error.issues.map((i) => i.path)).toEqual([['makeupWorkdays', 1]]);
  });
});
