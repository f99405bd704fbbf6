import { fireEvent, screen, waitFor } from '@testing-library/react';
import { fakeApi, renderWith } from '../../../../test/render';
import ChainsPage from './ChainsPage';
import ListsPage from './ListsPage';
import ParkCheckPage from './ParkCheckPage';

const NOTICE = '供招商决策参考，不作为失信惩戒的直接依据';

const parkCheck = {
  parkCheckId: 7,
  number: 'RYHC-20261207-000007',
  createdAt: '2026-12-07T06:00:00.000Z',
  createdBy: 'investment_officer:li.invest',
  purpose: '第四批入园审核',
  park: '黑河边境经济合作区',
  minGrade: 'B',
  total: 2,
  passed: 1,
  failed: 1,
  notice: NOTICE,
  rows: [
    {
      line: 1,
      input: '91231102MB0000003A',
      uscc: '91231102MB0000003A',
      checksumOk: true,
      entityId: 4,
      name: '黑河兴边控股有限公司',
      status: 'active',
      grade: 'A',
      score: 903,
      gatePassed: true,
      flags: [],
      underObjection: 0,
      failures: [],
    },
    {
      line: 2,
      input: '91231102MB00000040',
      uscc: '91231102MB00000040',
      checksumOk: false,
      entityId: null,
      name: null,
      status: null,
      grade: null,
      score: null,
      gatePassed: false,
      flags: [],
      underObjection: 0,
      failures: [
        { code: 'checksum', message: '校验位不符：可能为早期赋码或录入错误，需人工核查' },
        { code: 'not_found', message: '本市信用信息平台未登记该主体' },
      ],
    },
  ],
};

describe('invest lists pages', () => {
  it('入园核查: nothing is sent without a purpose; the batch goes with its park and gate, and failures show per row', async () => {
    // The list (GET) and the run (POST, with a body) share a path.
    const { api, calls } = fakeApi((path, init) => ({
      body:
        path === '/api/invest/park-checks' && !(init as { body?: unknown } | undefined)?.body
          ? { items: [], nextBefore: null, notice: NOTICE }
          : parkCheck,
    }));
    renderWith(api, <ParkCheckPage />, '/invest/park-check');

    fireEvent.change(screen.getByTestId('park-text'), { target: { value: '91231102MB0000003A\n91231102MB00000040' } });
    fireEvent.click(screen.getByTestId('run-park'));
    expect(await screen.findByText('请填写核查事由', undefined, { timeout: 5000 })).toBeTruthy();
    expect(calls.filter((c) => c.method === 'POST')).toEqual([]);

    fireEvent.change(screen.getByTestId('park-purpose'), { target: { value: '第四批入园审核' } });
    fireEvent.change(screen.getByTestId('park-name'), { target: { value: '黑河边境经济合作区' } });
    fireEvent.click(screen.getByTestId('run-park'));
    await screen.findByTestId('park-result', undefined, { timeout: 5000 });
    expect(calls.find((c) => c.method === 'POST')).toMatchObject({
      path: '/api/invest/park-checks',
      init: {
        body: {
          text: '91231102MB0000003A\n91231102MB00000040',
          purpose: '第四批入园审核',
          park: '黑河边境经济合作区',
          minGrade: 'B',
        },
      },
    });
    const failures = screen.getAllByTestId('row-failures').map((x) => x.textContent);
    expect(failures[1]).toContain('校验位不符');
    expect(failures[1]).toContain('本市信用信息平台未登记该主体');
    expect(screen.getByText(NOTICE)).toBeTruthy();
  });

  it('产业链配置: a code outside its section is refused, with the reason, before anything is sent', async () => {
    const chain = {
      code: 'soybean',
      name: '大豆全产业链',
      prefixes: ['A0121', 'C1331'],
      updatedAt: '2026-12-07T00:00:00.000Z',
      updatedBy: 'migration',
    };
    const { api, calls } = fakeApi((path, init) =>
      path === '/api/invest/chains'
        ? { body: { items: [chain] } }
        : { body: { ...chain, ...(init as { body: object }).body } },
    );
    renderWith(api, <ChainsPage />, '/invest/chains');

    fireEvent.click(await screen.findByText('调整'));
    const tags = (await screen.findAllByRole('combobox')).at(-1)!;
    fireEvent.change(tags, { target: { value: 'A13' } });
    fireEvent.keyDown(tags, { key: 'Enter', code: 'Enter' });
    fireEvent.change(screen.getByPlaceholderText('如：补充大豆批发'), { target: { value: '补充' } });
    fireEvent.click(screen.getByText('保 存'));
    expect(await screen.findByText(/大类 13 不属于门类 A/, undefined, { timeout: 5000 })).toBeTruthy();
    expect(calls.filter((c) => c.method === 'PUT')).toEqual([]);
  });

  it('筛选清单: re-running shows the diff since the last run', async () => {
    const screening = {
      screeningId: 3,
      name: '大豆链 B 级以上',
      filter: { chain: 'soybean' },
      filterText: '产业链：大豆全产业链；最低等级：B；信用门槛：无严重失信',
      purpose: '年度推介',
      createdAt: '2026-12-07T00:00:00.000Z',
      lastRunAt: '2026-12-07T01:00:00.000Z',
      lastCount: 2,
      runs: 1,
    };
    const e = { entityId: 2, uscc: '91231102MB00000014', name: '黑河瑷珲农业投资有限公司', grade: 'A', score: 884 };
    const { api, calls } = fakeApi((path) =>
      path === '/api/invest/screenings'
        ? { body: { items: [screening], notice: NOTICE } }
        : {
            body: {
              screening: { ...screening, runs: 2 },
              ranAt: '2026-12-07T02:00:00.000Z',
              previousRunAt: '2026-12-07T01:00:00.000Z',
              items: [],
              truncated: false,
              diff: { added: [], removed: [e], gradeChanged: [] },
              notice: NOTICE,
            },
          },
    );
    renderWith(api, <ListsPage />, '/invest/lists');

    fireEvent.click(await screen.findByTestId('run-screening'));
    const diff = await screen.findByTestId('screening-diff');
    expect(diff.textContent).toContain('移出');
    expect(diff.textContent).toContain('黑河瑷珲农业投资有限公司');
    await waitFor(() =>
      expect(calls.find((c) => c.method === 'POST')?.path).toBe('/api/invest/screenings/{screeningId}/runs'),
    );
    expect(screen.getByTestId('diff-tab').textContent).toContain('移出 1');
  });
});
