import type { Ok } from '@web/api/client';

export type ReviewQueue = Ok<'listReviewQueue'>;
export type QueueItem = ReviewQueue['items'][number];
export type Deadline = QueueItem['deadline'];
export type Urgency = Deadline['urgency'];

/**
 * The queue's order, the API's own (review.service: escalated first, then due date, then filing
 * time): kept on the page too, so that a page of cases reads top-down as "what to do first".
 */
export function byDeadline(a: QueueItem, b: QueueItem): number {
  return (
    Number(b.deadline.escalated) - Number(a.deadline.escalated) ||
    a.deadline.dueOn.localeCompare(b.deadline.dueOn) ||
    a.filedAt.localeCompare(b.filedAt) ||
    a.kind.localeCompare(b.kind) ||
    a.id - b.id
  );
}

export const sortQueue = (items: readonly QueueItem[]): QueueItem[] => [...items].sort(byDeadline);

/** The colour and words of a deadline: red when overdue, orange today, gold within 2 working days. */
export const URGENCY: Record<Urgency, { color: string; label: string }> = {
  overdue: { color: 'red', label: '已超期' },
  due_today: { color: 'volcano', label: '今日到期' },
  due_soon: { color: 'gold', label: '即将到期' },
  normal: { color: 'green', label: '期限内' },
  paused: { color: 'default', label: '待补正（暂停计时）' },
  closed: { color: 'default', label: '已办结' },
};

/** "剩 3 个工作日", "今日到期", "超期 2 个工作日". */
export function daysLeftText(d: Deadline): string {
  if (d.urgency === 'paused') return '暂停计时';
  if (d.urgency === 'closed') return '已办结';
  if (d.urgency === 'due_today') return '今日到期';
  const n = d.workingDaysLeft;
  // Overdue by a weekend only is 0 working days late, and still overdue.
  if (d.urgency === 'overdue') return n !== null && n < 0 ? `超期 ${-n} 个工作日` : '已超期';
  return n === null ? '—' : `剩 ${n} 个工作日`;
}
