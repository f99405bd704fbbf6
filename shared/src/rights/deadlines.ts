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

/** A decision deadline, and whether it rests on a year whose official holiday schedule is not loaded yet. */
export interface DecisionDeadline {
  /** The day the count started: the filing day, or the day of a resubmission. */
  countedFrom: string;
  dueOn: string;
  provisional: boolean;
}

/**
 * Deadline of an application filed (or resubmitted) on `filedOn`: filed 2026-09-30 → due
 * 2026-10-15. Never refused for a missing year: filed 2026-12-24 with no 2027 schedule →
 * provisionally due 2027-01-05 (1 January is a fixed holiday), recomputed when 2027 is loaded.
 */
export function decisionDeadline(
  calendar: WorkingDayCalendar,
  kind: ApplicationKind,
  filedOn: string,
): DecisionDeadline {
  const dueOn = calendar.addWorkingDays(filedOn, DECISION_WORKING_DAYS[kind]);
  return { countedFrom: filedOn, dueOn, provisional: calendar.provisionalYears(filedOn, dueOn).length > 0 };
}

/**
 * Why a deadline is provisional, in words for the enterprise and the reviewer; null when the
 * deadline rests on official schedules only.
 */
export function provisionalReason(calendar: WorkingDayCalendar, countedFrom: string, dueOn: string): string | null {
  const years = calendar.provisionalYears(countedFrom, dueOn);
  if (!years.length) return null;
  const named = years.map((y) => `${y} 年`).join('、');
  return `${named}的节假日安排尚未公布，期限暂按周末和法定节日（元旦、春节、清明、劳动节、端午、中秋、国庆）推算；国务院公布安排后将重新计算，如有变化会通知您。`;
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

/** The countdown shown in the staff queue and to the enterprise (provisional where the deadline is). */
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
