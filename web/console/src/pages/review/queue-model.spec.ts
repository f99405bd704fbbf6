import { aQueueItem } from '../../../../test/factories';
import { byDeadline, daysLeftText, sortQueue, URGENCY } from './queue-model';

describe('the queue order', () => {
  it('puts escalated (overdue) cases first, then the earliest due date, then the earliest filing', () => {
    const late = aQueueItem({ id: 1, deadline: { dueOn: '2026-12-20' } });
    const soon = aQueueItem({ id: 2, deadline: { dueOn: '2026-12-08', urgency: 'due_soon' } });
    const overdue = aQueueItem({ id: 3, deadline: { dueOn: '2026-12-01', urgency: 'overdue', escalated: true } });
    const soonFiledEarlier = aQueueItem({
      id: 4,
      filedAt: '2026-11-30T02:00:00.000Z',
      deadline: { dueOn: '2026-12-08' },
    });

    const sut = sortQueue([late, soon, overdue, soonFiledEarlier]);

    expect(sut.map((i) => i.id)).toEqual([3, 4, 2, 1]);
  });

  it('leaves the input as it was', () => {
    const items = [aQueueItem({ id: 2, deadline: { dueOn: '2026-12-20' } }), aQueueItem({ id: 1 })];
    sortQueue(items);
    expect(items.map((i) => i.id)).toEqual([2, 1]);
  });

  it('is a total order: equal deadlines and filing times fall back to kind, then id', () => {
    const a = aQueueItem({ kind: 'good_info', id: 1 });
    const b = aQueueItem({ kind: 'objection', id: 1 });
    expect(byDeadline(a, b)).toBeLessThan(0);
    expect(byDeadline(b, b)).toBe(0);
  });
});

describe('the deadline in words and colour', () => {
  it.each([
    [{ urgency: 'normal', workingDaysLeft: 5 }, '剩 5 个工作日', 'green'],
    [{ urgency: 'due_soon', workingDaysLeft: 2 }, '剩 2 个工作日', 'gold'],
    [{ urgency: 'due_today', workingDaysLeft: 0 }, '今日到期', 'volcano'],
    [{ urgency: 'overdue', workingDaysLeft: -3 }, '超期 3 个工作日', 'red'],
    [{ urgency: 'overdue', workingDaysLeft: 0 }, '已超期', 'red'],
    [{ urgency: 'paused', workingDaysLeft: null }, '暂停计时', 'default'],
  ] as const)('%o reads "%s" in %s', (d, text, colour) => {
    const { deadline } = aQueueItem({ deadline: d });
    expect(daysLeftText(deadline)).toBe(text);
    expect(URGENCY[deadline.urgency].color).toBe(colour);
  });
});
