import { fireEvent, screen, within } from '@testing-library/react';
import { fakeApi, renderWith } from '../../../../test/render';
import SubscriptionsPage from './SubscriptionsPage';

const sub = {
  id: 1,
  name: '黑河市市场监督管理局',
  webhookUrl: 'https://scjg.example/hook',
  industryPrefix: 'C',
  regionPrefix: '231181',
  createdAt: '2026-12-01T02:00:00Z',
  disabledAt: null,
};

function page() {
  const { api, calls } = fakeApi((path, init) => {
    if (path === '/api/outbox/status')
      return {
        body: {
          pending: 0,
          retrying: 0,
          parked: 1,
          oldestUndeliveredAt: null,
          parkedItems: [
            {
              id: '9',
              messageId: 'result.grade_changed:7',
              destination: 'webhook:1',
              topic: 'result.grade_changed',
              attempts: 8,
              lastError: 'webhook answered HTTP 500',
            },
          ],
        },
      };
    if (path === '/api/regulator-subscriptions' && (init as { body?: unknown })?.body)
      return { status: 201, body: { ...sub, id: 2, name: '市发改委', secret: 'whsec_once' } };
    return { body: { items: [sub] } };
  });
  renderWith(api, <SubscriptionsPage />);
  return calls;
}

describe('the push subscriptions page', () => {
  it('lists departments with their scope in words, and parked messages with a retry', async () => {
    page();

    const table = await screen.findByTestId('subscriptions');
    expect(await within(table).findByText('黑河市市场监督管理局')).toBeTruthy();
    expect(within(table).getByText('行业 C，区划 北安市')).toBeTruthy();
    const parked = screen.getByTestId('parked');
    expect(await within(parked).findByText('等级变化')).toBeTruthy();
    expect(within(parked).getByText('重新投递')).toBeTruthy();
  });

  it('checks the form with the shared schema before sending: name, address, and a scope', async () => {
    const calls = page();
    fireEvent.click(await screen.findByTestId('new-subscription'));

    fireEvent.click(await screen.findByTestId('create-subscription'));
    expect(await screen.findByText('请填写名称')).toBeTruthy();
    expect(calls.some((c) => c.method === 'POST')).toBe(false);

    fireEvent.change(screen.getByTestId('subscription-name'), { target: { value: '市发改委' } });
    fireEvent.change(screen.getByTestId('subscription-url'), { target: { value: 'https://fgw.example/hook' } });
    fireEvent.click(screen.getByTestId('create-subscription'));
    expect(await screen.findByText('请至少指定行业或区划')).toBeTruthy();
    expect(calls.some((c) => c.method === 'POST')).toBe(false);
  });
});
