import { screen, within } from '@testing-library/react';
import { aQueue, aQueueItem } from '../../../../test/factories';
import { fakeApi, renderWith } from '../../../../test/render';
import QueuePage from './QueuePage';

describe('the review queue page', () => {
  it('lists cases by deadline with their working days left, colours and the 预计 mark', async () => {
    const items = [
      aQueueItem({ id: 11, entityName: '甲公司', deadline: { dueOn: '2026-12-15', workingDaysLeft: 6 } }),
      aQueueItem({
        id: 12,
        entityName: '乙公司',
        deadline: { dueOn: '2026-12-03', workingDaysLeft: -2, urgency: 'overdue', escalated: true },
      }),
      aQueueItem({
        id: 13,
        entityName: '丙公司',
        deadline: {
          dueOn: '2027-01-05',
          workingDaysLeft: 2,
          urgency: 'due_soon',
          provisional: true,
          provisionalReason: '2027 年节假日安排尚未发布，按周末与法定节日预计',
        },
      }),
    ];
    const { api } = fakeApi(() => ({ body: aQueue(items) }));

    renderWith(api, <QueuePage tab="open" />, '/review');

    const rows = await screen.findAllByTestId('queue-row');
    expect(rows.map((r) => within(r).getByTestId('case-link').textContent)).toEqual(['乙公司', '甲公司', '丙公司']);
    expect(rows.map((r) => within(r).getByTestId('deadline').getAttribute('data-urgency'))).toEqual([
      'overdue',
      'normal',
      'due_soon',
    ]);
    expect(within(rows[0]!).getByTestId('days-left').textContent).toBe('超期 2 个工作日');
    expect(within(rows[0]!).getByTestId('days-left').className).toMatch(/red/);
    expect(within(rows[2]!).getByTestId('days-left').className).toMatch(/gold/);
    expect(within(rows[2]!).getByTestId('provisional').textContent).toBe('预计');
    expect(within(rows[1]!).queryByTestId('provisional')).toBeNull();
    expect(within(rows[0]!).getByTestId('case-link').getAttribute('href')).toBe('/review/objection/12');
  });

  it('asks the API for escalated cases only on the 督办 tab', async () => {
    const { api, calls } = fakeApi(() => ({ body: aQueue([]) }));

    renderWith(api, <QueuePage tab="overdue" />, '/review/overdue');

    await screen.findByText('没有超期的案件');
    expect(calls[0]).toMatchObject({
      path: '/api/review/queue',
      init: { params: { query: { escalated: 'true', offset: 0 } } },
    });
  });

  it('filters by region and industry from the address, in words on the page', async () => {
    const { api, calls } = fakeApi(() => ({ body: aQueue([]) }));

    renderWith(api, <QueuePage tab="open" />, '/review?region=231181&industry=C');

    await screen.findByText('没有待办案件');
    expect(calls[0]).toMatchObject({ init: { params: { query: { region: '231181', industry: 'C' } } } });
    expect(screen.getByTestId('filter-region').textContent).toContain('北安市');
    expect(screen.getByTestId('filter-industry').textContent).toContain('C 制造业');
    expect(screen.getByText('清除筛选')).toBeTruthy();
  });

  it('shows the API error with a retry instead of a blank page', async () => {
    const { api } = fakeApi(() => ({ status: 503, body: { error: { code: 'UNAVAILABLE', message: '服务暂不可用' } } }));

    renderWith(api, <QueuePage tab="open" />, '/review');

    expect((await screen.findByTestId('failure')).textContent).toContain('服务暂不可用');
    expect(screen.getByTestId('retry')).toBeTruthy();
  });
});
