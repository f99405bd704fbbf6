import type { CreditFact } from '../records';
import { compileModel, evaluate } from './engine';
import { whatIf } from './what-if';
import { DEFAULT_MODEL_V1 } from './model';
import {
  annualReport,
  categorised,
  fact,
  honour,
  indicatorOf,
  listing,
  penalty,
  registration,
  safetyViolation,
  socialInsurance,
  taxGrade,
  taxPaid,
  welfare,
} from './testing';

/** Exactly the enterprise of docs/scoring-worked-example.md; keep the two in step. */
const AS_OF = '2025-09-30';
const FACTS: CreditFact[] = [
  registration('2018-03-12', 8_000_000, { recordId: 101 }),
  annualReport(2022, 'on_time', { recordId: 102, occurredOn: '2023-04-18' }),
  annualReport(2023, 'on_time', { recordId: 103, occurredOn: '2024-05-09' }),
  annualReport(2024, 'late', { recordId: 104, occurredOn: '2025-08-20' }),
  taxGrade('A', '2024-04-15', { recordId: 105 }),
  taxGrade('B', '2025-04-15', { recordId: 106 }),
  penalty('general', '2025-03-10', { recordId: 110 }),
  penalty('minor', '2025-08-01', { recordId: 111, version: 2, status: 'repaired' }),
  listing('abnormal_listing', '2024-05-10', { recordId: 112, validTo: '2025-01-20' }),
  categorised('enforcement', 'executed', '2025-07-01', { recordId: 113, status: 'under_objection' }),
  categorised('arrears', 'utility', '2025-02-01', { recordId: 114, version: 2, status: 'repaired' }),
  taxPaid(2_350_000, 2024, { recordId: 115 }),
  socialInsurance(36, 'arrears', '2025-09-01', { recordId: 116 }),
  honour('city', '2023-11-20', { recordId: 117 }),
  honour('provincial', '2022-05-01', { recordId: 118 }),
  welfare('charity', '2024-09-01', { recordId: 119 }),
  welfare('volunteering', '2023-06-01', { recordId: 120 }),
  safetyViolation('minor', '2025-08-15', { recordId: 121 }),
  fact({ kind: 'licence', occurredOn: '2019-06-01', recordId: 122 }),
];

describe('the worked example of docs/scoring-worked-example.md', () => {
  const sut = () => evaluate(compileModel(DEFAULT_MODEL_V1), FACTS, AS_OF);

  it('scores each indicator as computed by hand', () => {
    expect(Object.fromEntries(sut().indicators.map((i) => [i.code, i.points]))).toEqual({
      B01: 16,
      B02: 6,
      B03: 10,
      B04: 15,
      O01: 120,
      O02: 126,
      O03: 80,
      O04: 120,
      O05: 80,
      O06: 60,
      O07: 70,
      O08: 45,
      S01: 15,
      S02: 10,
      S03: 5,
      S04: 35,
    });
  });

  it('sums to 47 + 701 + 65 = 813, grade B', () => {
    const result = sut();

    expect(result.groups.map((g) => g.points)).toEqual([47, 701, 65]);
    expect(result.total).toBe(813);
    expect(result.grade).toBe('B');
  });

  it('explains O02 by the decayed general penalty alone: 150 − round(40 × 161/273)', () => {
    expect(indicatorOf(sut(), 'O02').effects.map((e) => [e.recordId, e.points, e.reason])).toEqual([
      [null, 150, 'base'],
      [110, -24, 'decay'],
    ]);
  });

  it('explains S01 as tier 30 halved for arrears', () => {
    expect(indicatorOf(sut(), 'S01').effects.map((e) => [e.recordId, e.points, e.reason])).toEqual([
      [116, 30, 'tier'],
      [116, -15, 'halved_for_arrears'],
    ]);
  });

  it('counts the enforcement case under objection and flags it 异议中', () => {
    const result = sut();

    expect(indicatorOf(result, 'O05').effects.map((e) => [e.recordId, e.points])).toEqual([
      [null, 100],
      [113, -20],
    ]);
    expect(result.records.find((r) => r.recordId === 113)).toMatchObject({ underObjection: true, counts: true });
  });

  it('says why each record that moved no points did not count', () => {
    const excluded = Object.fromEntries(
      sut()
        .records.filter((r) => !r.counts)
        .map((r) => [r.recordId, r.excluded]),
    );

    expect(excluded).toEqual({
      104: 'not_scored',
      105: 'superseded',
      111: 'repaired',
      112: 'outside_validity',
      114: 'repaired',
      118: 'outside_window',
      120: 'outside_window',
      122: 'not_scored',
    });
  });

  it('would reach 837, still B, if penalty #110 were repaired', () => {
    const { diff } = whatIf(compileModel(DEFAULT_MODEL_V1), FACTS, AS_OF, { repair: 110 });

    expect(diff).toMatchObject({ totalAfter: 837, gradeAfter: 'B', delta: 24 });
  });
});
