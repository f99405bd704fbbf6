import { screen, within } from '@testing-library/react';
import { fakeApi, renderWith } from '../../../test/render';
import { DeliveryPanel, IncentivePanel, LoanPanel, ResultUsePanel } from './ResultsPanels';

describe('the tracking panels', () => {
  it('shows each recipient with its purpose, what it pulled, what it reported and the measures', async () => {
    const { api, calls } = fakeApi(() => ({
      body: {
        items: [
          {
            clientId: 3,
            name: '市发改委',
            kind: 'department',
            purpose: '行政审批绿色通道',
            legalBasis: '评价结果应用办法',
            received: 40,
            reported: 10,
            coverage: 0.25,
            applied: 8,
            notApplied: 2,
            byMeasure: [{ measure: 'green_channel', name: '绿色通道', count: 8 }],
          },
          {
            clientId: 4,
            name: '新银行',
            kind: 'bank',
            purpose: '信易贷',
            legalBasis: '企业授权',
            received: 0,
            reported: 0,
            coverage: null,
            applied: 0,
            notApplied: 0,
            byMeasure: [],
          },
        ],
      },
    }));

    renderWith(api, <ResultUsePanel />);

    const panel = await screen.findByTestId('result-use-panel');
    expect(await within(panel).findByText('用途：行政审批绿色通道')).toBeTruthy();
    expect(within(panel).getByText('25%')).toBeTruthy();
    expect(within(panel).getByText('绿色通道 8')).toBeTruthy();
    expect(within(panel).getByText('尚未拉取')).toBeTruthy();
    expect(calls[0]!.path).toBe('/api/results/uses/stats');
  });

  it('names what the outbox gave up on, and since when a message waits', async () => {
    const { api } = fakeApi(() => ({
      body: { pending: 2, retrying: 1, parked: 3, oldestUndeliveredAt: '2026-12-01T02:00:00Z', parkedItems: [] },
    }));

    renderWith(api, <DeliveryPanel />);

    const panel = await screen.findByTestId('delivery-panel');
    expect(await within(panel).findByText('已搁置（需处理）')).toBeTruthy();
    expect(panel.textContent).toContain('最早一条未投递消息生成于 2026-12-01 10:00');
  });

  it('counts the incentive checks of the last 30 days by outcome and item, and names the measures granted', async () => {
    const { api, calls } = fakeApi(() => ({
      body: {
        since: '2026-11-08',
        days: 30,
        total: 12,
        byOutcome: { granted: 9, none: 1, refused: 2 },
        byItem: [
          { itemCode: 'XK-0001', granted: 7, none: 0, refused: 2 },
          { itemCode: '*', granted: 2, none: 1, refused: 0 },
        ],
        byMeasure: [
          { measure: 'green_channel', name: '绿色通道', count: 9 },
          { measure: 'tolerance_acceptance', name: '容缺受理', count: 7 },
        ],
      },
    }));

    renderWith(api, <IncentivePanel />);

    const panel = await screen.findByTestId('incentive-panel');
    expect((await within(panel).findAllByText('不予适用')).length).toBe(2);
    expect(within(panel).getByTestId('incentive-measures').textContent).toBe('绿色通道 9 次容缺受理 7 次');
    expect(within(panel).getByText('通用事项')).toBeTruthy();
    expect(calls[0]!.path).toBe('/api/results/incentives/stats');
    expect((calls[0]!.init as { params: { query: { days: number } } }).params.query.days).toBe(30);
  });

  it('shows 信易贷 applications by status, the approval rate, amounts in 万元 and the time to decision in words', async () => {
    const { api } = fakeApi(() => ({
      body: {
        total: 5,
        byStatus: [
          { status: 'submitted', label: '已提交', count: 1 },
          { status: 'rejected', label: '未获授信', count: 1 },
          { status: 'disbursed', label: '已放款', count: 3 },
        ],
        approvalRate: 0.75,
        requestedAmount: 500,
        approvedAmount: 280,
        decided: 4,
        decisionHoursMedian: 60,
        decisionHoursP90: 100,
        overdue: 1,
      },
    }));

    renderWith(api, <LoanPanel />);

    const panel = await screen.findByTestId('loan-panel');
    expect((await within(panel).findByTestId('loan-approval-rate')).textContent).toContain('75.0%');
    expect(panel.textContent).toContain('2.5 天');
    expect(panel.textContent).toContain('280万元');
    expect(within(panel).getByTestId('loan-by-status').textContent).toContain('未获授信 1');
  });

  it('says so when no decision has been made yet, rather than a rate of 0', async () => {
    const { api } = fakeApi(() => ({
      body: {
        total: 0,
        byStatus: [],
        approvalRate: null,
        requestedAmount: 0,
        approvedAmount: 0,
        decided: 0,
        decisionHoursMedian: null,
        decisionHoursP90: null,
        overdue: 0,
      },
    }));

    renderWith(api, <LoanPanel />);

    expect((await screen.findByTestId('loan-approval-rate')).textContent).toBe('授信通过率—');
  });
});
