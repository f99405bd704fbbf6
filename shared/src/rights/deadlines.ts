import type { WorkingDayCalendar } from '../calendar';
import type { ApplicationKind } from './labels';

/**
 * Time limits in Chinese statutory working days, counted from the day after filing. The plan fixes
 * 7 for objections (异议申请应在 7 个工作日内办结); the agency applies the same limit to
 * good-information reports and repair applications.
 */
export const DECISION_WORKING_DAYS: Record<ApplicationKind, number> = {
  objection: 7,
  good_info: 7,
  repair: 7,
};

/** Due date of an application filed (or resubmitted) on `filedOn`: filed 2026-09-30 → 2026-10-15. */
export function decisionDueOn(calendar: WorkingDayCalendar, kind: ApplicationKind, filedOn: string): string {
  return calendar.addWorkingDays(filedOn, DECISION_WORKING_DAYS[kind]);
}

export type Urgency = 'normal' | 'due_soon' | 'due_today' | 'overdue';

export interface Countdown {
  dueOn: string;
  /** Working days from today to the due date; negative once it has passed. */
  workingDaysLeft: number;
  urgency: Urgency;
  /** Overdue cases escalate: they head the queue and are flagged to supervisors. */
  escalated: boolean;
}

/** Due within this many working days counts as due soon. */
export const DUE_SOON_WORKING_DAYS = 2;

/** The countdown shown in the staff queue and to the enterprise. Throws CALENDAR_YEAR_NOT_LOADED. */
export function countdown(calendar: WorkingDayCalendar, today: string, dueOn: string): Countdown {
  const workingDaysLeft = calendar.workingDaysBetween(today, dueOn);
  const overdue = today > dueOn;
  const urgency: Urgency = overdue
    ? 'overdue'
    : today === dueOn
      ? 'due_today'
      : workingDaysLeft <= DUE_SOON_WORKING_DAYS
        ? 'due_soon'
        : 'normal';
  return { dueOn, workingDaysLeft, urgency, escalated: overdue };
}
