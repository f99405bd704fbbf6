import type { CreditFact } from '../records';
import { compileModel, evaluate } from './engine';
import { DEFAULT_MODEL_V1 } from './model';
import { indicatorOf, listing, penalty, pointsOf, safetyViolation } from './testing';

const model = compileModel(DEFAULT_MODEL_V1);
const sut = (facts: CreditFact[], asOf: string) => evaluate(model, facts, asOf);

/**
 * v1 periods: minor 0 → 3 months, general 3 → 12 months, serious 12 → 36 months.
 * A general penalty of 2023-03-01: full until 2023-06-01, zero on 2024-03-01; 274 days between.
 */
describe('decay of a general penalty (40 points)', () => {
  const decided = '2023-03-01';

  it('deducts in full the day before the minimum period ends', () => {
    expect(pointsOf(sut([penalty('general', decided)], '2023-05-31'), 'O02')).toBe(110);
  });

  it('deducts in full on the day the minimum period ends', () => {
    const { points, effects } = indicatorOf(sut([penalty('general', decided)], '2023-06-01'), 'O02');

    expect(points).toBe(110);
    expect(effects[1]?.reason).toBe('deduction');
  });

  it('deducts half mid-way between the minimum and maximum periods', () => {
    const { points, effects } = indicatorOf(sut([penalty('general', decided)], '2023-10-16'), 'O02');

    expect(points).toBe(130);
    expect(effects[1]).toMatchObject({ points: -20, reason: 'decay' });
  });

  it('still counts, rounded to 0 points, on the last day before the maximum period', () => {
    const result = sut([penalty('general', decided)], '2024-02-29');

    expect(pointsOf(result, 'O02')).toBe(150);
    expect(result.records[0]).toMatchObject({ counts: true, excluded: null });
  });

  it('stops counting when the maximum period ends', () => {
    const result = sut([penalty('general', decided)], '2024-03-01');

    expect(pointsOf(result, 'O02')).toBe(150);
    expect(indicatorOf(result, 'O02').effects).toHaveLength(1);
    expect(result.records[0]).toMatchObject({ counts: false, excluded: 'outside_window' });
  });
});

/** A minor penalty of 2024-05-15: no full period, zero on 2024-08-15; 92 days between. */
describe('decay of a minor penalty (10 points)', () => {
  const decided = '2024-05-15';

  it('deducts in full on the day it is decided', () => {
    expect(pointsOf(sut([penalty('minor', decided)], decided), 'O02')).toBe(140);
  });

  it('deducts half mid-way', () => {
    expect(pointsOf(sut([penalty('minor', decided)], '2024-06-30'), 'O02')).toBe(145);
  });

  it('rounds an exact half-point deduction up: 10 × 23/92 = 2.5 deducts 3', () => {
    expect(pointsOf(sut([penalty('minor', decided)], '2024-07-23'), 'O02')).toBe(147);
  });

  it('stops counting at three months', () => {
    expect(pointsOf(sut([penalty('minor', decided)], '2024-08-15'), 'O02')).toBe(150);
  });
});

/** A serious penalty of 2022-06-01: full until 2023-06-01, zero on 2025-06-01; 731 days between. */
describe('decay of a serious penalty (100 points)', () => {
  const decided = '2022-06-01';

  it('deducts in full the day before the first anniversary', () => {
    expect(pointsOf(sut([penalty('serious', decided)], '2023-05-31'), 'O02')).toBe(50);
  });

  it('deducts in full on the first anniversary', () => {
    expect(pointsOf(sut([penalty('serious', decided)], '2023-06-01'), 'O02')).toBe(50);
  });

  it('deducts 100 × 366/731 = 50.07, so 50, mid-way', () => {
    expect(pointsOf(sut([penalty('serious', decided)], '2024-05-31'), 'O02')).toBe(100);
  });

  it('stops counting at three years', () => {
    expect(pointsOf(sut([penalty('serious', decided)], '2025-06-01'), 'O02')).toBe(150);
  });
});

describe('decay elsewhere', () => {
  it('decays a general safety violation in S04: 20 × 137/274 deducts 10', () => {
    expect(pointsOf(sut([safetyViolation('general', '2023-03-01')], '2023-10-16'), 'S04')).toBe(30);
  });

  it('measures periods in calendar months: 2023-11-30 + 3 months is 2024-02-29, still in full', () => {
    expect(indicatorOf(sut([penalty('general', '2023-11-30')], '2024-02-29'), 'O02').effects[1]?.reason).toBe(
      'deduction',
    );
  });

  it('starts decaying 2023-11-30 general penalty on 2024-03-01', () => {
    expect(indicatorOf(sut([penalty('general', '2023-11-30')], '2024-03-01'), 'O02').effects[1]?.reason).toBe('decay');
  });

  it('keeps a severity-carrying listing under a presence rule until its maximum period', () => {
    const listed = listing('key_person_listing', '2022-01-10', { severity: 'serious' });

    expect(pointsOf(sut([listed], '2025-01-09'), 'B04')).toBe(0);
  });

  it('drops a severity-carrying listing from a presence rule at its maximum period', () => {
    const listed = listing('key_person_listing', '2022-01-10', { severity: 'serious' });

    expect(pointsOf(sut([listed], '2025-01-10'), 'B04')).toBe(15);
  });
});
