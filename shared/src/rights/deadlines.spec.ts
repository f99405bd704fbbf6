import { defaultSchedules, WorkingDayCalendar, type CalendarSchedule } from '../calendar';
import { ErrorCodes } from '../errors';
import { countdown, decisionDueOn } from './deadlines';

const calendar = new WorkingDayCalendar(defaultSchedules());

/** Hypothetical 2027 arrangement, standing in for the State Council notice an admin uploads. */
const a2027: CalendarSchedule = {
  year: 2027,
  holidays: [
    '2027-01-01',
    '2027-01-02',
    '2027-01-03',
    '2027-02-06',
    '2027-02-07',
    '2027-02-08',
    '2027-02-09',
    '2027-02-10',
    '2027-02-11',
    '2027-02-12',
  ],
  makeupWorkdays: ['2027-02-20'],
};

describe('decision deadlines (7 working days)', () => {
  it('sets an objection filed 2026-09-30 due on 2026-10-15, across National Day', () => {
    const sut = decisionDueOn(calendar, 'objection', '2026-09-30');
    expect(sut).toBe('2026-10-15');
  });

  it('counts the makeup Saturday 2026-10-10 as a working day', () => {
    // 10-09 Fri (1), 10-10 makeup Sat (2), 10-12 … 10-16 (3–7)
    const sut = decisionDueOn(calendar, 'objection', '2026-10-08');
    expect(sut).toBe('2026-10-16');
  });

  it('counts the makeup Sunday 2026-09-20 and skips the Mid-Autumn days off', () => {
    // 09-18 Fri filed; 09-20 makeup Sun (1), 09-21 … 09-24 (2–5), 09-25 … 09-27 off, 09-28 (6), 09-29 (7)
    const sut = decisionDueOn(calendar, 'repair', '2026-09-18');
    expect(sut).toBe('2026-09-29');
  });

  it('skips the nine days of Spring Festival 2026 and counts both makeup Saturdays', () => {
    // 02-13 Fri (1), 02-14 makeup Sat (2), 02-15 … 02-23 off, 02-24 … 02-27 (3–6), 02-28 makeup Sat (7)
    const sut = decisionDueOn(calendar, 'good_info', '2026-02-12');
    expect(sut).toBe('2026-02-28');
  });

  it('refuses a deadline that runs into 2027 before its schedule is loaded', () => {
    const sut = () => decisionDueOn(calendar, 'objection', '2026-12-28');
    expect(sut).toThrow(
      expect.objectContaining({
        code: ErrorCodes.CALENDAR_YEAR_NOT_LOADED,
        message: expect.stringContaining('2027 年'),
      }),
    );
  });

  it('computes the same deadline once the 2027 schedule is loaded as data', () => {
    // 12-29, 12-30, 12-31 (1–3), 01-01 … 01-03 off, 01-04 … 01-07 (4–7)
    const sut = decisionDueOn(calendar.withSchedules([a2027]), 'objection', '2026-12-28');
    expect(sut).toBe('2027-01-07');
  });
});

describe('countdown', () => {
  it('counts down the working days of the worked example on 2026-09-30', () => {
    const sut = countdown(calendar, '2026-09-30', '2026-10-15');
    expect(sut).toEqual({ dueOn: '2026-10-15', workingDaysLeft: 7, urgency: 'normal', escalated: false });
  });

  it('counts the makeup Saturday 2026-10-10 in the countdown', () => {
    // 10-09, 10-10 (makeup), 10-12 … 10-15
    const sut = countdown(calendar, '2026-10-08', '2026-10-15');
    expect(sut.workingDaysLeft).toBe(6);
  });

  it('marks the last two working days as due soon', () => {
    const sut = countdown(calendar, '2026-10-13', '2026-10-15');
    expect(sut).toMatchObject({ workingDaysLeft: 2, urgency: 'due_soon', escalated: false });
  });

  it('marks the due date itself as due today', () => {
    const sut = countdown(calendar, '2026-10-15', '2026-10-15');
    expect(sut).toMatchObject({ workingDaysLeft: 0, urgency: 'due_today', escalated: false });
  });

  it('escalates the day after the due date', () => {
    const sut = countdown(calendar, '2026-10-16', '2026-10-15');
    expect(sut).toMatchObject({ workingDaysLeft: -1, urgency: 'overdue', escalated: true });
  });

  it('escalates over a weekend though no working day has passed', () => {
    const sut = countdown(calendar, '2026-10-17', '2026-10-16');
    expect(sut).toMatchObject({ workingDaysLeft: 0, urgency: 'overdue', escalated: true });
  });
});
