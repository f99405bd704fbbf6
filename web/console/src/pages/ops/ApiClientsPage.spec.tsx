import { fireEvent, screen, within } from '@testing-library/react';
import { fakeApi, renderWith } from '../../../../test/render';
import ApiClientsPage, { resultScopeText } from './ApiClientsPage';

const bank = {
  id: 4,
  name: '黑河农村商业银行',
  kind: 'bank',
  scopes: ['recommendations:read', 'loans:bank'],
  purpose: '信易贷授信参考',
  legalBasis: '合作协议',
  regionPrefix: null,
  industryPrefix: null,
  createdAt: '2026-12-01T02:00:00Z',
  revokedAt: null,
};

function page() {
  const { api, calls } = fakeApi((path) => {
    if (path === '/api/api-clients/{id}/rotate-key') return { body: { client: bank, apiKey: 'hhk_new_key_once' } };
    return {
      body: {
        items: [
          bank,
          {
            ...bank,
            id: 5,
            name: '市场监管局',
            kind: 'department',
            scopes: ['results:feed'],
            regionPrefix: '231181',
            industryPrefix: 'C',
            revokedAt: '2026-12-03T02:00:00Z',
          },
        ],
      },
    };
  });
  renderWith(api, <ApiClientsPage />);
  return calls;
}

describe('the API clients page', () => {
  it('shows kinds, scopes and the result scope in words, and a disabled client without actions', async () => {
    page();
    const table = await screen.findByTestId('api-clients');

    expect(await within(table).findByText('信易贷重点推介')).toBeTruthy();
    expect(within(table).getByText('评价结果订阅与使用反馈')).toBeTruthy();
    expect(within(table).getByText('行业 C，区划 北安市')).toBeTruthy();
    expect(within(table).getByText('全市')).toBeTruthy();
    expect(within(table).queryByTestId('rotate-5')).toBeNull();
    expect(resultScopeText({ regionPrefix: '2311', industryPrefix: null })).toBe('全市');
  });

  it('checks the registration with the shared schema before sending', async () => {
    const calls = page();
    fireEvent.click(await screen.findByTestId('new-client'));

    fireEvent.click(screen.getByTestId('create-client'));

    expect(await screen.findByText('请填写名称')).toBeTruthy();
    expect(await screen.findByText('请选择类型')).toBeTruthy();
    expect(await screen.findByText('请至少选择一项权限')).toBeTruthy();
    expect(calls.some((c) => c.method === 'POST')).toBe(false);
  });

  it('rotates a key after a confirmation and shows the new one once', async () => {
    const calls = page();
    const table = await screen.findByTestId('api-clients');
    fireEvent.click(await within(table).findByTestId('rotate-4'));
    fireEvent.click(await screen.findByTestId('confirm-rotate'));

    expect((await screen.findByTestId('client-key')).textContent).toContain('hhk_new_key_once');
    expect(calls.find((c) => c.method === 'POST')?.path).toBe('/api/api-clients/{id}/rotate-key');
  });
});
