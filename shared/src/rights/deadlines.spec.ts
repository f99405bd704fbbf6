import { defaultSchedules, WorkingDayCalendar, type CalendarSchedule } from '../calendar';
import { countdown, decisionDeadline, provisionalReason, type DecisionDeadline } from './deadlines';

const decisionDueOn = (...args: Parameters<typeof decisionDeadline>): string => decisionDeadline(...args).dueOn;

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

  it('marks a deadline inside loaded years as final', () => {
    const sut = decisionDeadline(calendar, 'objection', '2026-09-30');
    expect(sut).toEqual<DecisionDeadline>({ countedFrom: '2026-09-30', dueOn: '2026-10-15', provisional: false });
  });

  it('files on 2026-12-24 with no 2027 schedule: provisionally due 2027-01-05, past the fixed 1 January', () => {
    // 12-25 (1), 12-28 … 12-31 (2–5), 01-01 fixed holiday, 01-02/03 weekend, 01-04 (6), 01-05 (7)
    const sut = decisionDeadline(calendar, 'objection', '2026-12-24');
    expect(sut).toEqual<DecisionDeadline>({ countedFrom: '2026-12-24', dueOn: '2027-01-05', provisional: true });
  });

  it('says in words which year is missing and that the date will be recomputed', () => {
    const sut = provisionalReason(calendar, '2026-12-24', '2027-01-05');
    expect(sut).toMatch(/^2027 年的节假日安排尚未公布.*重新计算/);
  });

  it('gives no reason for a final deadline', () => {
    const sut = provisionalReason(calendar, '2026-09-30', '2026-10-15');
    expect(sut).toBeNull();
  });

  it('files on every day from 2026-12-15 to 2027-01-10 without a 2027 schedule', () => {
    const days = Array.from({ length: 27 }, (_, i) => new Date(Date.UTC(2026, 11, 15 + i)).toISOString().slice(0, 10));
    const sut = days.map((d) => decisionDeadline(calendar, 'repair', d));
    for (const deadline of sut) {
      expect(deadline.dueOn > deadline.countedFrom).toBe(true);
      expect(deadline.provisional).toBe(deadline.dueOn >= '2027-01-01');
    }
    expect(sut.at(-1)).toEqual({ countedFrom: '2027-01-10', dueOn: '2027-01-19', provisional: true });
  });

  it('computes the same deadline once the 2027 schedule is loaded as data', () => {
    // 12-29, 12-30, 12-31 (1–3), 01-01 … 01-03 off, 01-04 … 01-07 (4–7)
    const sut = decisionDeadline(calendar.withSchedules([a2027]), 'objection', '2026-12-28');
    expect(sut).toEqual({ countedFrom: '2026-12-28', dueOn: '2027-01-07', provisional: false });
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
