import { fireEvent, render, screen, within } from '@testing-library/react';
import { TrendChart } from './index';

const at = (day: string) => `${day}T02:00:00.000Z`;

describe('TrendChart', () => {
  it('draws the latest evaluations oldest first, each with its total and date', () => {
    render(
      <TrendChart
        items={[
          { asOf: at('2026-11-20'), total: 896, grade: 'A', modelVersion: 1 },
          { asOf: at('2026-10-09'), total: 796, grade: 'B', modelVersion: 1 },
          { asOf: at('2026-09-30'), total: 836, grade: 'B', modelVersion: 1 },
        ]}
      />,
    );

    const cols = screen.getAllByTestId('trend-col');
    expect(cols.map((c) => c.textContent)).toEqual(['836', '796', '896']);
    expect(screen.getByText('11-20')).toBeTruthy();
    expect(screen.getByText('最近 3 次评价')).toBeTruthy();
  });

  it('keeps at most the limit, newest kept', () => {
    const items = Array.from({ length: 12 }, (_, i) => ({
      asOf: at(`2026-01-${String(28 - i).padStart(2, '0')}`),
      total: 800 + i,
      grade: 'B' as const,
      modelVersion: 1,
    }));

    render(<TrendChart items={items} limit={8} />);

    expect(screen.getAllByTestId('trend-col').map((c) => c.textContent)).toEqual([
      '807',
      '806',
      '805',
      '804',
      '803',
      '802',
      '801',
      '800',
    ]);
  });

  it('labels each column with its own date, and with its time where a day has several', () => {
    render(
      <TrendChart
        items={[
          { asOf: '2026-12-07T03:30:00.000Z', total: 774, grade: 'C', modelVersion: 1 },
          { asOf: '2026-12-07T01:05:00.000Z', total: 846, grade: 'B', modelVersion: 1 },
          { asOf: '2026-11-30T18:00:00.000Z', total: 846, grade: 'B', modelVersion: 1 },
        ]}
      />,
    );

    expect(screen.getAllByTestId('trend-date').map((d) => d.textContent)).toEqual([
      '12-01',
      '12-0709:05',
      '12-0711:30',
    ]);
  });

  it('explains the latest point at once, and any point on tap: the records that moved it, and by how much', () => {
    const opened: number[] = [];
    render(
      <TrendChart
        onOpenRecord={(id) => opened.push(id)}
        items={[
          {
            asOf: '2026-12-07T03:30:00.000Z',
            total: 774,
            grade: 'C',
            modelVersion: 1,
            trigger: 'ingest',
            delta: -72,
            modelChanged: false,
            changes: [
              {
                recordId: 41,
                kind: 'penalty',
                kindLabel: '行政处罚',
                summary: '黑市监罚〔2026〕88号',
                occurredOn: '2026-10-28',
                points: -100,
              },
            ],
          },
          {
            asOf: '2026-12-06T18:00:00.000Z',
            total: 846,
            grade: 'B',
            modelVersion: 1,
            trigger: 'cycle',
            delta: null,
            modelChanged: false,
            changes: [],
          },
        ]}
      />,
    );

    const detail = () => within(screen.getByTestId('trend-detail'));
    expect(detail().getByText('2026-12-07 11:30')).toBeTruthy();
    expect(detail().getByText('收到新的信用记录，较上次 −72 分')).toBeTruthy();
    const change = within(screen.getByTestId('trend-change'));
    expect(change.getByText('行政处罚')).toBeTruthy();
    expect(change.getByText('2026-10-28 黑市监罚〔2026〕88号')).toBeTruthy();
    expect(change.getByText('−100')).toBeTruthy();
    expect(within(screen.getByTestId('trend-rules')).getByText('+28')).toBeTruthy();
    fireEvent.click(screen.getByTestId('trend-change'));
    expect(opened).toEqual([41]);

    fireEvent.click(screen.getAllByTestId('trend-col')[0]!);
    expect(detail().getByText('首次评价：此前没有可比较的评价。')).toBeTruthy();
    expect(screen.queryByTestId('trend-change')).toBeNull();
  });

  it('says so when there is no history yet', () => {
    render(<TrendChart items={[]} />);

    expect(screen.getByText('暂无历史评价')).toBeTruthy();
  });
});
