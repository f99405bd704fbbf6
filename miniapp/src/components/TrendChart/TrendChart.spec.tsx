import { render, screen } from '@testing-library/react';
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

  it('says so when there is no history yet', () => {
    render(<TrendChart items={[]} />);

    expect(screen.getByText('暂无历史评价')).toBeTruthy();
  });
});
