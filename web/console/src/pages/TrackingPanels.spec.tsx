import { fireEvent, screen, within } from '@testing-library/react';
import { fakeApi, renderWith } from '../../../test/render';
import { matrixRows, MigrationPanel, TimelinessPanel } from './TrackingPanels';

const cycle = (id: number, asOf: string) => ({ id, asOf, modelVersion: 1 });
const last = {
  cycle: cycle(9, '2026-12-01T16:00:00Z'),
  previous: cycle(8, '2026-11-01T16:00:00Z'),
  cells: [
    { from: 'A', to: 'A', count: 5 },
    { from: 'B', to: 'A', count: 2 },
    { from: 'C', to: 'D', count: 3 },
    { from: null, to: 'B', count: 4 },
  ],
  entities: 14,
  upgraded: 2,
  downgraded: 3,
  choices: [cycle(9, '2026-12-01T16:00:00Z'), cycle(8, '2026-11-01T16:00:00Z')],
};
const first = {
  cycle: cycle(8, '2026-11-01T16:00:00Z'),
  previous: null,
  cells: [{ from: null, to: 'C', count: 7 }],
  entities: 7,
  upgraded: 0,
  downgraded: 0,
  choices: last.choices,
};

describe('the grade migration panel', () => {
  it('lays the cells out from the previous grade to this one, with the entities graded for the first time last', () => {
    const rows = matrixRows(last as never);

    expect(rows.map((r) => [r.from, r.A, r.B, r.C, r.D, r.E])).toEqual([
      ['A', 5, 0, 0, 0, 0],
      ['B', 2, 0, 0, 0, 0],
      ['C', 0, 0, 0, 3, 0],
      ['D', 0, 0, 0, 0, 0],
      ['E', 0, 0, 0, 0, 0],
      [null, 0, 4, 0, 0, 0],
    ]);
    expect(matrixRows({ cells: [{ from: 'A', to: 'B', count: 1 }] }).map((r) => r.from)).toEqual([
      'A',
      'B',
      'C',
      'D',
      'E',
    ]);
  });

  it('names the two cycles in China time, colours upgrades and downgrades, and reads a chosen cycle', async () => {
    const { api, calls } = fakeApi((_path, init) => {
      const q = (init as { params?: { query?: { cycleId?: string } } }).params?.query ?? {};
      return { body: q.cycleId === '8' ? first : last };
    });

    renderWith(api, <MigrationPanel />);

    const panel = await screen.findByTestId('migration-panel');
    const caption = await within(panel).findByTestId('migration-caption');
    expect(caption.textContent).toBe('第 8 批（2026-11-02） → 第 9 批（2026-12-02）：共 14 个主体，升级 2，降级 3。');
    const matrix = within(panel).getByTestId('migration-matrix');
    const rowOf = (from: string) => matrix.querySelector(`tr[data-row-key="${from}"]`)!;
    const bToA = rowOf('B').querySelectorAll('td')[1]!;
    expect(bToA.textContent).toBe('2');
    expect(bToA.getAttribute('style')).toContain('background: rgb(220, 252, 231)');
    expect(rowOf('C').querySelectorAll('td')[4]!.getAttribute('style')).toContain('background: rgb(254, 226, 226)');
    expect(within(matrix).getByText('首次评级')).toBeTruthy();
    expect(calls[0]!.path).toBe('/api/statistics/grades/migrations');

    fireEvent.mouseDown(within(panel).getByRole('combobox'));
    fireEvent.click(await screen.findByText('第 8 批（2026-11-02）'));

    expect((await within(panel).findByText(/是第一次完成的评分批次/)).textContent).toBe(
      '第 8 批（2026-11-02） 是第一次完成的评分批次，没有上一批次可比较；7 个主体均为首次评级。',
    );
    expect(calls.at(-1)!.init).toMatchObject({ params: { query: { cycleId: '8' } } });
    // No grade rows without a cycle before: only the entities graded for the first time.
    expect(
      [...within(panel).getByTestId('migration-matrix').querySelectorAll('tbody tr[data-row-key]')].map((r) =>
        r.getAttribute('data-row-key'),
      ),
    ).toEqual(['new']);
    expect(panel.textContent).not.toContain('绿色：升级');
  });

  it('says what is missing before any cycle has finished, instead of an empty matrix', async () => {
    const { api } = fakeApi(() => ({
      body: { cycle: null, previous: null, cells: [], entities: 0, upgraded: 0, downgraded: 0, choices: [] },
    }));

    renderWith(api, <MigrationPanel />);

    const panel = await screen.findByTestId('migration-panel');
    expect(await within(panel).findByText(/还没有完成的评分批次/)).toBeTruthy();
    expect(within(panel).queryByTestId('migration-matrix')).toBeNull();
    expect(within(panel).queryByRole('combobox')).toBeNull();
  });
});

describe('the timeliness panel', () => {
  it('gives the on-time rate per kind and says when nothing is open or decided', async () => {
    const { api } = fakeApi(() => ({
      body: {
        today: '2026-12-07',
        deadlineWorkingDays: 7,
        byKind: [
          { kind: 'objection', kindLabel: '信用异议', decided: 4, onTime: 3 },
          { kind: 'good_info', kindLabel: '良好信息上报', decided: 0, onTime: 0 },
          { kind: 'repair', kindLabel: '信用修复', decided: 1, onTime: 1 },
        ],
        decided: 5,
        onTime: 4,
        ageing: [],
        open: 0,
      },
    }));

    renderWith(api, <TimelinessPanel />);

    const panel = await screen.findByTestId('timeliness-panel');
    expect((await within(panel).findByTestId('on-time-rate')).textContent).toContain('80.0%');
    expect(panel.textContent).toContain('已办结 5 件，按期 4 件，超期 1 件');
    expect(panel.textContent).toContain('信用异议：75.0%（3/4）');
    expect(panel.textContent).toContain('良好信息上报：尚无办结');
    expect(within(panel).getByText('当前没有在办的申请')).toBeTruthy();
  });
});
