import { AppError } from '../errors';
import type { CreditFact } from '../records';
import { compileModel, evaluate, score } from './engine';
import { DEFAULT_MODEL_V1, type ModelDefinition } from './model';
import {
  annualReport,
  categorised,
  EMPTY_V1_POINTS,
  fact,
  honour,
  indicatorOf,
  listing,
  penalty,
  pointsOf,
  registration,
  safetyViolation,
  socialInsurance,
  taxGrade,
  taxPaid,
  welfare,
} from './testing';

const AS_OF = '2025-07-01';
const model = compileModel(DEFAULT_MODEL_V1);
const sut = (facts: CreditFact[], asOf = AS_OF) => evaluate(model, facts, asOf);

describe('evaluate under default model v1', () => {
  it('scores an entity without records at every rule baseline: 725, grade D', () => {
    const result = sut([]);

    expect(Object.fromEntries(result.indicators.map((i) => [i.code, i.points]))).toEqual(EMPTY_V1_POINTS);
    expect(result.groups.map((g) => [g.code, g.points])).toEqual([
      ['B', 15],
      ['O', 670],
      ['S', 40],
    ]);
    expect(result.total).toBe(725);
    expect(result.grade).toBe('D');
    expect(result.modelVersion).toBe(1);
    expect(result.asOf).toBe(AS_OF);
  });

  it('gives the same numbers through score() as through evaluate()', () => {
    const facts = [
      registration('2015-01-01', 2_000_000),
      penalty('general', '2025-03-01'),
      honour('city', '2024-01-01'),
    ];

    const full = sut(facts);
    const light = score(model, facts, AS_OF);

    expect(light.total).toBe(full.total);
    expect(light.grade).toBe(full.grade);
    expect(light.indicators).toEqual(full.indicators.map((i) => i.points));
    expect(light.groups).toEqual(full.groups.map((g) => g.points));
  });
});

describe('tiered rules', () => {
  it('B01 gives 4 points the day before the first anniversary', () => {
    expect(pointsOf(sut([registration('2024-03-12', null)], '2025-03-11'), 'B01')).toBe(4);
  });

  it('B01 gives 8 points on the first anniversary', () => {
    expect(pointsOf(sut([registration('2024-03-12', null)], '2025-03-12'), 'B01')).toBe(8);
  });

  it('B01 gives 20 points from the tenth anniversary', () => {
    expect(pointsOf(sut([registration('2015-07-01', null)]), 'B01')).toBe(20);
  });

  it('B01 reaches a 29 February anniversary on 28 February of a common year', () => {
    const result = sut([registration('2020-02-29', null)], '2021-02-28');

    expect(pointsOf(result, 'B01')).toBe(8);
  });

  it('B01 explains the tier with the deciding registration record', () => {
    const established = registration('2018-03-12', null, { recordId: 501, version: 2 });

    const { effects } = indicatorOf(sut([established]), 'B01');

    expect(effects).toEqual([
      { recordId: 501, version: 2, points: 16, reason: 'tier', note: '存续年限 7年，属 ≥ 5年 且 < 10年 档，得 16 分' },
    ]);
  });

  it.each([
    [0, 2],
    [999_999.99, 2],
    [1_000_000, 4],
    [5_000_000, 6],
    [49_999_999, 8],
    [50_000_000, 10],
  ])('B02 scores paid-in capital %d at %d points', (paidIn, expected) => {
    expect(pointsOf(sut([registration('2020-01-01', paidIn)]), 'B02')).toBe(expected);
  });

  it('B02 scores 0 with an explained base line when the registration has no amount', () => {
    const { points, effects } = indicatorOf(sut([registration('2020-01-01', null)]), 'B02');

    expect(points).toBe(0);
    expect(effects).toEqual([
      { recordId: null, version: null, points: 0, reason: 'base', note: '无实缴资本数据，计 0 分' },
    ]);
  });

  it('O08 scores 0 for zero tax paid', () => {
    expect(pointsOf(sut([taxPaid(0, 2024)]), 'O08')).toBe(0);
  });

  it('O08 scores 15 for any positive tax paid below 100k', () => {
    expect(pointsOf(sut([taxPaid(0.01, 2024)]), 'O08')).toBe(15);
  });

  it('O08 scores 60 from 10M', () => {
    expect(pointsOf(sut([taxPaid(10_000_000, 2024)]), 'O08')).toBe(60);
  });

  it('O08 takes the latest tax_paid fact, not the largest', () => {
    const facts = [taxPaid(50_000_000, 2023), taxPaid(50_000, 2024)];

    expect(pointsOf(sut(facts), 'O08')).toBe(15);
  });

  it('S01 scores insured headcount by tier', () => {
    expect(pointsOf(sut([socialInsurance(200, 'normal', '2025-06-01')]), 'S01')).toBe(50);
  });

  it('S01 halves the points when the latest social insurance is in arrears, as its own effect line', () => {
    const record = socialInsurance(36, 'arrears', '2025-06-01');

    const { points, effects } = indicatorOf(sut([record]), 'S01');

    expect(points).toBe(15);
    expect(effects.map((e) => [e.recordId, e.points, e.reason])).toEqual([
      [record.recordId, 30, 'tier'],
      [record.recordId, -15, 'halved_for_arrears'],
    ]);
  });

  it('S01 restores full points once a later month is paid normally', () => {
    const facts = [socialInsurance(36, 'arrears', '2025-05-01'), socialInsurance(36, 'normal', '2025-06-01')];

    expect(pointsOf(sut(facts), 'S01')).toBe(30);
  });

  it('S01 rounds a halved odd tier half-up', () => {
    const odd: ModelDefinition = structuredClone(DEFAULT_MODEL_V1);
    const s01 = odd.indicators.find((i) => i.code === 'S01');
    if (s01?.rule.kind !== 'tiered') throw new Error('S01 must be tiered');
    s01.rule.tiers = [
      { atLeast: 0, points: 0 },
      { atLeast: 1, points: 15 },
      { atLeast: 10, points: 50 },
    ];

    const result = evaluate(compileModel(odd), [socialInsurance(3, 'arrears', '2025-06-01')], AS_OF);

    expect(pointsOf(result, 'S01')).toBe(8);
    expect(indicatorOf(result, 'S01').effects.map((e) => e.points)).toEqual([15, -7]);
  });

  it('marks older facts of a latest-value feature as superseded', () => {
    const older = taxPaid(1_000, 2023);
    const newer = taxPaid(2_000, 2024);

    const { records } = sut([older, newer]);

    expect(records.map((r) => [r.recordId, r.counts, r.excluded])).toEqual([
      [older.recordId, false, 'superseded'],
      [newer.recordId, true, null],
    ]);
  });
});

describe('categorical rules', () => {
  it.each([
    ['A', 150],
    ['B', 120],
    ['M', 100],
    ['C', 50],
    ['D', 0],
  ])('O01 scores tax credit grade %s at %d points', (grade, expected) => {
    expect(pointsOf(sut([taxGrade(grade, '2025-04-01')]), 'O01')).toBe(expected);
  });

  it('O01 scores 90 with an explained base line when there is no tax grade', () => {
    expect(indicatorOf(sut([]), 'O01').effects).toEqual([
      { recordId: null, version: null, points: 90, reason: 'base', note: '无纳税信用等级记录，按 90 分计' },
    ]);
  });

  it('O01 uses the grade with the latest occurredOn, whatever the record ids', () => {
    const facts = [taxGrade('C', '2025-04-01', { recordId: 10 }), taxGrade('A', '2024-04-01', { recordId: 20 })];

    expect(pointsOf(sut(facts), 'O01')).toBe(50);
  });

  it('O01 breaks a tie on occurredOn by the higher recordId', () => {
    const facts = [taxGrade('D', '2025-04-01', { recordId: 31 }), taxGrade('A', '2025-04-01', { recordId: 30 })];

    expect(pointsOf(sut(facts), 'O01')).toBe(0);
  });

  it('O01 scores a grade the model does not know as none', () => {
    const result = sut([taxGrade('X', '2025-04-01')]);

    expect(pointsOf(result, 'O01')).toBe(90);
    expect(indicatorOf(result, 'O01').effects[0]?.reason).toBe('category');
  });
});

describe('bonus rules', () => {
  it('S02 adds points by honour level', () => {
    const facts = [honour('national', '2024-01-01'), honour('provincial', '2024-02-01')];

    expect(pointsOf(sut(facts), 'S02')).toBe(35);
  });

  it('S02 counts an honour on the day before its third anniversary', () => {
    expect(pointsOf(sut([honour('city', '2022-06-01')], '2025-05-31'), 'S02')).toBe(10);
  });

  it('S02 stops counting an honour on its third anniversary', () => {
    const result = sut([honour('city', '2022-06-01')], '2025-06-01');

    expect(pointsOf(result, 'S02')).toBe(0);
    expect(result.records[0]?.excluded).toBe('outside_window');
  });

  it('S02 caps at 40 with an explained cap line', () => {
    const facts = [
      honour('national', '2024-01-01'),
      honour('national', '2024-02-01'),
      honour('national', '2024-03-01'),
    ];

    const { points, effects } = indicatorOf(sut(facts), 'S02');

    expect(points).toBe(40);
    expect(effects.map((e) => [e.points, e.reason])).toEqual([
      [20, 'bonus'],
      [20, 'bonus'],
      [20, 'bonus'],
      [-20, 'cap'],
    ]);
  });

  it('S03 adds 5 per welfare record within two years', () => {
    const facts = [
      welfare('charity', '2024-01-01'),
      welfare('volunteering', '2023-07-02'),
      welfare('employment', '2023-07-01'),
    ];

    expect(pointsOf(sut(facts), 'S03')).toBe(10);
  });

  it('S03 ignores a welfare category the model does not price', () => {
    const result = sut([welfare('unknown', '2025-01-01')]);

    expect(pointsOf(result, 'S03')).toBe(0);
    expect(result.records[0]?.excluded).toBe('not_scored');
  });

  it('B03 adds 5 per on-time report for each of the three report years before the as-of year', () => {
    const facts = [
      annualReport(2024, 'on_time'),
      annualReport(2023, 'on_time'),
      annualReport(2022, 'on_time'),
      annualReport(2021, 'on_time'),
    ];

    const result = sut(facts);

    expect(pointsOf(result, 'B03')).toBe(15);
    expect(result.records.map((r) => r.excluded)).toEqual([null, null, null, 'outside_window']);
  });

  it('B03 gives nothing for a late report', () => {
    expect(pointsOf(sut([annualReport(2024, 'late')]), 'B03')).toBe(0);
  });

  it('B03 counts one report per report year', () => {
    const result = sut([annualReport(2024, 'on_time'), annualReport(2024, 'on_time')]);

    expect(pointsOf(result, 'B03')).toBe(5);
    expect(result.records.map((r) => r.excluded)).toEqual([null, 'duplicate']);
  });

  it('B03 holds at most 10 before the report for the year just ended is filed', () => {
    const facts = [annualReport(2023, 'on_time'), annualReport(2022, 'on_time'), annualReport(2021, 'on_time')];

    expect(pointsOf(sut(facts, '2025-03-01'), 'B03')).toBe(10);
  });
});

describe('deduction rules', () => {
  it('O02 deducts 40 in full for a general penalty on the day it is decided', () => {
    const record = penalty('general', '2025-07-01');

    const { points, effects } = indicatorOf(sut([record]), 'O02');

    expect(points).toBe(110);
    expect(effects).toEqual([
      { recordId: null, version: null, points: 150, reason: 'base', note: '满分 150 分起算' },
      { recordId: record.recordId, version: 1, points: -40, reason: 'deduction', note: '行政处罚（一般），扣 40 分' },
    ]);
  });

  it('O02 ignores a penalty without a severity', () => {
    const result = sut([penalty(null, '2025-06-01')]);

    expect(pointsOf(result, 'O02')).toBe(150);
    expect(result.records[0]?.excluded).toBe('not_scored');
  });

  it('O03 deducts 40 per active abnormal listing', () => {
    expect(pointsOf(sut([listing('abnormal_listing', '2025-01-01')]), 'O03')).toBe(40);
  });

  it('O03 keeps the full deduction of a listing without severity for as long as it is valid', () => {
    expect(pointsOf(sut([listing('abnormal_listing', '2019-01-01')]), 'O03')).toBe(40);
  });

  it('O03 floors at 0 with an explained floor line', () => {
    const facts = [
      listing('abnormal_listing', '2025-01-01'),
      listing('abnormal_listing', '2025-02-01'),
      listing('abnormal_listing', '2025-03-01'),
    ];

    const { points, effects } = indicatorOf(sut(facts), 'O03');

    expect(points).toBe(0);
    expect(effects.map((e) => [e.points, e.reason])).toEqual([
      [80, 'base'],
      [-40, 'deduction'],
      [-40, 'deduction'],
      [-40, 'deduction'],
      [40, 'floor'],
    ]);
  });

  it('O05 deducts 20 for 被执行人', () => {
    expect(pointsOf(sut([categorised('enforcement', 'executed', '2025-01-01')]), 'O05')).toBe(80);
  });

  it('O05 deducts 100 for 失信被执行人', () => {
    expect(pointsOf(sut([categorised('enforcement', 'dishonest_executed', '2025-01-01')]), 'O05')).toBe(0);
  });

  it('O06 deducts 30 for 欠税 and 15 for 拖欠公共事业费用', () => {
    const facts = [categorised('arrears', 'tax', '2025-01-01'), categorised('arrears', 'utility', '2025-01-01')];

    expect(pointsOf(sut(facts), 'O06')).toBe(15);
  });

  it('O07 deducts 20 for an overdue loan', () => {
    expect(pointsOf(sut([categorised('loan_default', 'overdue', '2025-01-01')]), 'O07')).toBe(50);
  });

  it('O07 deducts 70 for 金融逃废债', () => {
    expect(pointsOf(sut([categorised('loan_default', 'evasion', '2025-01-01')]), 'O07')).toBe(0);
  });

  it('S04 deducts 40 for a serious violation', () => {
    expect(pointsOf(sut([safetyViolation('serious', '2025-06-01')]), 'S04')).toBe(0);
  });
});

describe('presence rules', () => {
  it('B04 is 0 while the legal representative is listed', () => {
    expect(pointsOf(sut([listing('key_person_listing', '2025-01-01')]), 'B04')).toBe(0);
  });

  it('O04 explains two listings: the first takes all points, the second moves none', () => {
    const first = listing('dishonesty_listing', '2025-01-01');
    const second = listing('dishonesty_listing', '2025-02-01');

    const { points, effects } = indicatorOf(sut([second, first]), 'O04');

    expect(points).toBe(0);
    expect(effects.map((e) => [e.recordId, e.points, e.reason])).toEqual([
      [null, 120, 'base'],
      [first.recordId, -120, 'presence'],
      [second.recordId, 0, 'presence'],
    ]);
  });

  it('O04 returns to full once the listing is repaired', () => {
    expect(pointsOf(sut([listing('dishonesty_listing', '2025-01-01', { status: 'repaired' })]), 'O04')).toBe(120);
  });
});

describe('which records count', () => {
  it.each(['repaired', 'revoked', 'expired'] as const)('a %s penalty counts zero', (status) => {
    const result = sut([penalty('serious', '2025-06-01', { status })]);

    expect(pointsOf(result, 'O02')).toBe(150);
    expect(result.records[0]).toMatchObject({ counts: false, excluded: status });
  });

  it('a penalty under objection still counts and is flagged 异议中', () => {
    const record = penalty('serious', '2025-06-01', { status: 'under_objection' });

    const result = sut([record]);

    expect(pointsOf(result, 'O02')).toBe(50);
    expect(result.records[0]).toMatchObject({
      recordId: record.recordId,
      underObjection: true,
      counts: true,
      excluded: null,
    });
  });

  it('a record does not count before its validFrom', () => {
    const result = sut([listing('abnormal_listing', '2025-06-01', { validFrom: '2025-07-02' })]);

    expect(pointsOf(result, 'O03')).toBe(80);
    expect(result.records[0]?.excluded).toBe('outside_validity');
  });

  it('a record counts on the day before its validTo', () => {
    expect(pointsOf(sut([listing('abnormal_listing', '2025-01-01', { validTo: '2025-07-02' })]), 'O03')).toBe(40);
  });

  it('a record stops counting on its validTo', () => {
    expect(pointsOf(sut([listing('abnormal_listing', '2025-01-01', { validTo: '2025-07-01' })]), 'O03')).toBe(80);
  });

  it('an administrative licence scores nothing', () => {
    const result = sut([fact({ kind: 'licence' })]);

    expect(result.total).toBe(725);
    expect(result.records[0]?.excluded).toBe('not_scored');
  });

  it('a record with a malformed date is reported and scores nothing', () => {
    const result = sut([listing('abnormal_listing', '2025-02-30')]);

    expect(pointsOf(result, 'O03')).toBe(80);
    expect(result.records[0]?.excluded).toBe('invalid_date');
  });

  it('rejects a malformed asOf with VALIDATION_FAILED', () => {
    expect(() => sut([], '2025-7-1')).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED' }) as AppError);
  });
});
