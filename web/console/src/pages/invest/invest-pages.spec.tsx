import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { Route, Routes } from 'react-router-dom';
import { fakeApi, renderWith } from '../../../../test/render';
import SearchPage from './SearchPage';
import { PeopleSection } from './sections';
import TargetPage from './TargetPage';
import type { KeyPeople, OwnershipGraph, RiskScan } from './ui';

const NOTICE = '供招商决策参考，不作为失信惩戒的直接依据';
const target = {
  key: 'e1',
  kind: 'entity' as const,
  name: '黑河北疆大豆科技有限公司',
  entityId: 1,
  uscc: '91231102MB00000001',
  idNumberMasked: null,
  status: 'active',
  grade: 'A' as const,
  score: 909,
  level: 0,
};
const graph: OwnershipGraph = {
  target,
  asOf: '2026-12-07T03:00:00.000Z',
  depth: 10,
  nodes: [target],
  edges: [],
  holders: [],
  unknown: 0,
  truncated: 0,
  trapped: 0,
  overSubscribed: [],
  computedAt: '2026-12-07T03:00:00.000Z',
  holdersTotal: 0,
  holdersOmittedShare: 0,
  nodesTotal: 1,
  edgesTotal: 0,
  treeDepth: 0,
  collapsed: [],
  notice: NOTICE,
};
const noRisk = { total: 0, underObjection: 0, byCategory: [] };
const scan: RiskScan = {
  entityId: 1,
  name: target.name,
  asOf: '2026-12-07T03:00:00.000Z',
  radius: 2,
  related: [
    {
      entityId: 1,
      uscc: target.uscc,
      name: target.name,
      status: 'active',
      grade: 'A',
      score: 909,
      risk: noRisk,
      distance: 0,
      via: null,
    },
  ],
  findings: [
    {
      entityId: 5,
      entityName: '黑河恒通实业有限公司',
      distance: 2,
      category: 'penalty_general',
      label: '行政处罚（一般）',
      recordId: 9,
      version: 1,
      severity: 'general',
      underObjection: true,
      occurredOn: '2026-10-08',
      windowEnds: '2027-10-08',
      authority: '黑河市市场监督管理局',
      documentNo: '黑市监罚〔2026〕57号',
      summary: '销售不符合标准的产品',
    },
  ],
  summary: {
    total: 1,
    underObjection: 1,
    byCategory: [{ category: 'penalty_general', label: '行政处罚（一般）', count: 1 }],
  },
  excluded: { repaired: 0, revoked: 1, expired: 0, notInForce: 0 },
  redFlags: [
    {
      code: 'young_holder',
      label: '股东新近设立',
      reason: '1 个股东成立不足 730 天',
      threshold: { name: 'youngHolderDays', value: 730 },
      observed: 365,
      evidence: ['黑河恒通实业有限公司（成立于 2025-12-07）：黑河恒通实业有限公司 → 黑河北疆大豆科技有限公司'],
    },
  ],
  truncated: false,
  notice: NOTICE,
};

describe('the investment pages', () => {
  it('search: shows why each entity matched, and carries the stated purpose to the target page', async () => {
    const { api, calls } = fakeApi(() => ({
      body: {
        query: { q: '北疆豆业', uscc: null },
        items: [
          {
            entityId: 1,
            uscc: target.uscc,
            usccChecksumOk: true,
            name: target.name,
            formerNames: ['黑河北疆豆业有限公司'],
            status: 'active',
            industryCode: 'C1331',
            regionCode: '231102',
            grade: 'A',
            score: 909,
            rank: 40,
            matches: [{ field: 'former_name', kind: 'contains', reason: '曾用名“黑河北疆豆业有限公司”包含“北疆豆业”' }],
          },
        ],
      },
    }));

    renderWith(
      api,
      <SearchPage />,
      `/invest?q=${encodeURIComponent('北疆豆业')}&purpose=${encodeURIComponent('洽谈前核查')}`,
    );

    const hit = await screen.findByTestId('search-hit');
    expect(hit.getAttribute('href')).toBe(`/invest/entities/1?purpose=${encodeURIComponent('洽谈前核查')}`);
    expect(screen.getByTestId('match-reason').textContent).toBe('曾用名“黑河北疆豆业有限公司”包含“北疆豆业”');
    expect(screen.getByText('曾用名：黑河北疆豆业有限公司')).toBeTruthy();
    expect(calls[0]).toMatchObject({
      path: '/api/invest/entities',
      init: { params: { query: { purpose: '洽谈前核查' } } },
    });
  });

  it('target: runs the risk scan only when asked, and shows red flags with the threshold in words and the objection mark', async () => {
    const { api, calls } = fakeApi((path) => ({ body: path.endsWith('/risks') ? scan : graph }));

    renderWith(
      api,
      <Routes>
        <Route path="/invest/entities/:entityId" element={<TargetPage />} />
      </Routes>,
      '/invest/entities/1?tab=risks',
    );

    fireEvent.click(await screen.findByTestId('run-scan'));
    const flag = await screen.findByTestId('red-flag');
    expect(calls.filter((c) => c.path.endsWith('/risks'))).toHaveLength(1);
    expect(calls.find((c) => c.path.endsWith('/risks'))).toMatchObject({ init: { params: { query: { radius: 2 } } } });
    expect(flag.textContent).toContain('股东新近设立');
    expect(flag.textContent).toContain('阈值：股东成立不足（天） 730');
    expect(flag.textContent).not.toContain('youngHolderDays');
    const row = within(screen.getByTestId('findings')).getByText('销售不符合标准的产品').closest('tr')!;
    expect(row.textContent).toContain('异议中');
    expect(row.textContent).toContain('2027-10-08');
    expect(screen.getByTestId('findings-total').textContent).toBe('1');
  });

  it('target: a check needs its purpose before anything is sent', async () => {
    const { api, calls } = fakeApi(() => ({ body: graph }));

    renderWith(
      api,
      <Routes>
        <Route path="/invest/entities/:entityId" element={<TargetPage />} />
      </Routes>,
      // The risks tab: the ownership tab would load ECharts, which jsdom cannot draw.
      '/invest/entities/1?tab=risks',
    );

    fireEvent.click(await screen.findByTestId('run-check'));
    fireEvent.click(await screen.findByTestId('confirm-check'));
    expect((await screen.findAllByText('请填写核查事由')).length).toBeGreaterThan(0);
    await waitFor(() => expect(calls.filter((c) => c.method === 'POST')).toEqual([]));
  });

  it('people: masked ID numbers, roles in words, and a person with no other posts says so', async () => {
    const people: KeyPeople = {
      entityId: 1,
      name: target.name,
      asOf: '2026-12-07T03:00:00.000Z',
      persons: [
        {
          key: 'p7',
          name: '周海燕',
          idNumberMasked: '2311**********5044',
          roles: ['supervisor'],
          posts: [],
          holdings: [
            {
              entityId: 6,
              uscc: 'X',
              name: '黑河鑫源商贸有限公司',
              status: 'active',
              grade: 'E',
              score: 589,
              ratio: 0.4,
              risk: {
                total: 1,
                underObjection: 0,
                byCategory: [{ category: 'dishonest_executed', label: '失信被执行人', count: 1 }],
              },
            },
          ],
        },
      ],
      notice: NOTICE,
    };
    const { api } = fakeApi(() => ({ body: {} }));

    renderWith(api, <PeopleSection data={people} />);

    const card = screen.getByTestId('person');
    expect(card.textContent).toContain('2311**********5044');
    expect(card.textContent).toContain('监事');
    expect(card.textContent).toContain('无其他任职');
    expect(within(card).getByTestId('risk-tags').textContent).toContain('失信被执行人 1');
    expect(card.textContent).toContain('40.00%');
  });
});
