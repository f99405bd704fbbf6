import type { QueueItem } from '../console/src/pages/review/queue-model';

export function aQueueItem(
  over: Partial<Omit<QueueItem, 'deadline'>> & { deadline?: Partial<QueueItem['deadline']> } = {},
): QueueItem {
  const { deadline, ...rest } = over;
  return {
    kind: 'objection',
    kindLabel: '信用异议',
    id: 1,
    entityId: 1,
    entityName: '黑河市示例商贸有限公司',
    uscc: '91231100MA1B2C3D4E',
    status: 'submitted',
    statusLabel: '已提交，待受理',
    subject: '错误',
    filedAt: '2026-12-01T02:00:00.000Z',
    evidence: [],
    ...rest,
    deadline: {
      dueOn: '2026-12-10',
      provisional: false,
      provisionalReason: null,
      workingDaysLeft: 5,
      urgency: 'normal',
      escalated: false,
      ...deadline,
    },
  };
}

export function aQueue(items: QueueItem[], over: { total?: number; escalated?: number } = {}) {
  return {
    today: '2026-12-07',
    total: over.total ?? items.length,
    escalated: over.escalated ?? items.filter((i) => i.deadline.escalated).length,
    calendarProblem: null,
    items,
  };
}
