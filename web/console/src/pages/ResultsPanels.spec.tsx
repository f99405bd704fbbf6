import { screen, within } from '@testing-library/react';
import { fakeApi, renderWith } from '../../../test/render';
import { DeliveryPanel, ResultUsePanel } from './ResultsPanels';

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
});
