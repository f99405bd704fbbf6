import { render, screen, within } from '@testing-library/react';
import type { IndicatorScore, RecordFlag } from '@/api/types';
import { aRecordFlag, anEffect, anEvaluation, anIndicator } from '../../../test/factories';
import { IndicatorBreakdown } from './index';

function renderBreakdown(indicators: IndicatorScore[], records?: RecordFlag[]) {
  const { groups } = anEvaluation();
  return render(<IndicatorBreakdown groups={groups} indicators={indicators} records={records} />);
}

const FLAG_TEXT = /异议中|已修复|已过公示期|已撤销/;

describe('IndicatorBreakdown', () => {
  it('shows every indicator with its points out of its maximum', () => {
    renderBreakdown([
      anIndicator({ code: 'B01', group: 'basic', name: '存续年限', max: 20, points: 16, effects: [] }),
      anIndicator({ code: 'O02', group: 'operation', name: '行政处罚', max: 150, points: 110 }),
      anIndicator({
        code: 'S02',
        group: 'social',
        name: '荣誉表彰',
        max: 40,
        points: 15,
        effects: [anEffect({ recordId: 9, points: 15, reason: 'bonus' })],
      }),
    ]);

    expect(within(screen.getByTestId('indicator-B01')).getByText('16 / 20 分')).toBeTruthy();
    expect(within(screen.getByTestId('indicator-O02')).getByText('110 / 150 分')).toBeTruthy();
    expect(within(screen.getByTestId('indicator-S02')).getByText('15 / 40 分')).toBeTruthy();
  });

  it('shows what each line moved, with its explanation and the record by date and summary, never a code', () => {
    const { container } = render(
      <IndicatorBreakdown
        groups={anEvaluation().groups}
        indicators={[
          anIndicator({
            code: 'O02',
            name: '行政处罚',
            effects: [
              anEffect({ recordId: null, version: null, points: 150, reason: 'base', note: '满分 150 分起算' }),
              anEffect({ recordId: 1, version: 2, points: -40, note: '行政处罚（一般），扣 40 分' }),
            ],
          }),
        ]}
        records={[aRecordFlag({ recordId: 1, version: 2, occurredOn: '2026-10-20', summary: '黑市监罚〔2026〕88号' })]}
      />,
    );

    // The full mark an indicator starts from is not a bonus: no plus sign, and it says so.
    const rule = within(screen.getByTestId('effect-rule-base'));
    expect(rule.getByText('150 分')).toBeTruthy();
    expect(rule.getByText('本项满分，以下记录逐条扣减')).toBeTruthy();
    expect(rule.queryByText('+150')).toBeNull();
    const record = within(screen.getByTestId('effect-1'));
    expect(record.getByText('−40')).toBeTruthy();
    expect(record.getByText('行政处罚（一般），扣 40 分')).toBeTruthy();
    expect(record.getByText('2026-10-20 黑市监罚〔2026〕88号')).toBeTruthy();
    expect(container.textContent).not.toMatch(/O02|#1|第 2 版/);
  });

  it('says an untouched deducting indicator kept its full mark, and words a default value without a plus', () => {
    renderBreakdown([
      anIndicator({
        code: 'O03',
        points: 80,
        max: 80,
        effects: [anEffect({ recordId: null, version: null, points: 80, reason: 'base', note: '满分 80 分起算' })],
      }),
      anIndicator({
        code: 'O08',
        points: 0,
        max: 60,
        effects: [anEffect({ recordId: null, version: null, points: 0, reason: 'base', note: '无融资数据，计 0 分' })],
      }),
    ]);

    const full = within(screen.getByTestId('indicator-O03'));
    expect(full.getByText('无扣分记录，得满分')).toBeTruthy();
    expect(full.getByText('80 分')).toBeTruthy();
    const none = within(screen.getByTestId('indicator-O08'));
    expect(none.getByText('无融资数据，计 0 分')).toBeTruthy();
    expect(none.getByText('0 分')).toBeTruthy();
  });

  it('flags a counted record that is under objection', () => {
    renderBreakdown(
      [anIndicator({ effects: [anEffect({ recordId: 1 }), anEffect({ recordId: 2 })] })],
      [aRecordFlag({ recordId: 1, status: 'under_objection', underObjection: true }), aRecordFlag({ recordId: 2 })],
    );

    expect(within(screen.getByTestId('effect-1')).getByText('异议中')).toBeTruthy();
    expect(within(screen.getByTestId('effect-2')).queryByText(FLAG_TEXT)).toBeNull();
  });

  it('lists repaired and expired records that no longer count, flagged', () => {
    renderBreakdown(
      [anIndicator({ points: 150, effects: [] })],
      [
        aRecordFlag({ recordId: 3, status: 'repaired', counts: false, excluded: 'repaired' }),
        aRecordFlag({ recordId: 4, kind: 'abnormal_listing', counts: false, excluded: 'expired' }),
        aRecordFlag({ recordId: 5, kind: 'licence', counts: false, excluded: 'not_scored' }),
      ],
    );

    const repaired = within(screen.getByTestId('record-3'));
    expect(repaired.getByText('已修复')).toBeTruthy();
    expect(repaired.getByText('行政处罚')).toBeTruthy();
    const expired = within(screen.getByTestId('record-4'));
    expect(expired.getByText('已过公示期')).toBeTruthy();
    expect(expired.getByText('经营异常名录')).toBeTruthy();
    expect(screen.queryByTestId('record-5')).toBeNull();
  });

  it('shows no flags and no not-counted list when the API sends no record flags', () => {
    renderBreakdown([anIndicator({ effects: [anEffect({ recordId: 1 })] })]);

    expect(within(screen.getByTestId('effect-1')).queryByText(FLAG_TEXT)).toBeNull();
    expect(screen.queryByTestId('not-counted')).toBeNull();
  });

  it('says so when no line moved an indicator', () => {
    renderBreakdown([
      anIndicator({ code: 'B04', group: 'basic', name: '关键人员信用', max: 15, points: 15, effects: [] }),
    ]);

    expect(within(screen.getByTestId('indicator-B04')).getByText('无记录影响此项得分')).toBeTruthy();
  });

  it('still shows an indicator whose group the API did not list', () => {
    renderBreakdown([anIndicator({ code: 'X01', group: 'unknown', name: '新指标', max: 10, points: 5, effects: [] })]);

    expect(within(screen.getByTestId('indicator-X01')).getByText('5 / 10 分')).toBeTruthy();
  });
});
