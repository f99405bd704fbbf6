import { DEFAULT_RED_FLAG_THRESHOLDS, redFlags, type RedFlagInput } from './red-flags';
import { riskSummary, riskVerdict, type RiskFact } from './risk';

const fact = (over: Partial<RiskFact>): RiskFact => ({
  kind: 'penalty',
  category: null,
  severity: 'general',
  status: 'active',
  occurredOn: '2026-01-10',
  validFrom: '2026-01-10',
  validTo: null,
  ...over,
});

describe('riskVerdict', () => {
  it('counts a general penalty for 12 months from occurrence, and not on the day the window ends', () => {
    expect(riskVerdict(fact({}), '2027-01-09')).toEqual({
      counts: true,
      category: 'penalty_general',
      underObjection: false,
      windowEnds: '2027-01-10',
    });
    expect(riskVerdict(fact({}), '2027-01-10')).toMatchObject({ counts: false, excluded: 'expired' });
  });

  it('keeps a serious penalty 36 months and a minor one 3', () => {
    expect(riskVerdict(fact({ severity: 'serious' }), '2028-12-31')).toMatchObject({ counts: true });
    expect(riskVerdict(fact({ severity: 'minor' }), '2026-04-10')).toMatchObject({
      counts: false,
      excluded: 'expired',
    });
  });

  it('leaves repaired and revoked records out, and marks one under objection', () => {
    expect(riskVerdict(fact({ status: 'repaired' }), '2026-02-01')).toMatchObject({
      counts: false,
      excluded: 'repaired',
    });
    expect(riskVerdict(fact({ status: 'revoked' }), '2026-02-01')).toMatchObject({
      counts: false,
      excluded: 'revoked',
    });
    expect(riskVerdict(fact({ status: 'under_objection' }), '2026-02-01')).toMatchObject({
      counts: true,
      underObjection: true,
    });
  });

  it('counts a listing while in force, and not after its validTo', () => {
    const listing = fact({ kind: 'abnormal_listing', severity: null, validTo: '2026-06-01' });

    expect(riskVerdict(listing, '2026-05-31')).toMatchObject({ counts: true, windowEnds: null });
    expect(riskVerdict(listing, '2026-06-01')).toMatchObject({ counts: false, excluded: 'not_in_force' });
  });

  it('tells 失信被执行人 from a plain 被执行人, and tax arrears from utility arrears', () => {
    expect(riskVerdict(fact({ kind: 'enforcement', category: 'executed' }), '2026-02-01')).toMatchObject({
      excluded: 'not_a_risk',
    });
    expect(riskVerdict(fact({ kind: 'enforcement', category: 'dishonest_executed' }), '2026-02-01')).toMatchObject({
      category: 'dishonest_executed',
    });
    expect(riskVerdict(fact({ kind: 'arrears', category: 'utility' }), '2026-02-01')).toMatchObject({
      excluded: 'not_a_risk',
    });
  });

  it('summarises per category in catalogue order', () => {
    expect(
      riskSummary([
        { category: 'loan_default', underObjection: false },
        { category: 'serious_dishonesty', underObjection: true },
        { category: 'loan_default', underObjection: false },
      ]),
    ).toEqual({
      total: 3,
      underObjection: 1,
      byCategory: [
        { category: 'serious_dishonesty', label: '严重失信主体名单', count: 1 },
        { category: 'loan_default', label: '融资违约', count: 2 },
      ],
    });
  });
});

describe('redFlags', () => {
  const base: RedFlagInput = {
    day: '2026-12-07',
    target: { name: '甲', registeredCapital: 1e7, paidInCapital: 8e6 },
    holders: [],
    related: [],
    financings: [],
    capitalChanges: [],
  };

  it('raises nothing on a plain target', () => {
    expect(redFlags(base)).toEqual([]);
  });

  it('flags paid-in below the ratio, naming the threshold', () => {
    const [f] = redFlags({ ...base, target: { ...base.target, paidInCapital: 1e6 } });

    expect(f).toMatchObject({ code: 'paid_in_low', threshold: { name: 'paidInRatioMin', value: 0.2 }, observed: 0.1 });
  });

  it('flags a holder established within the window, with its path', () => {
    const [f] = redFlags({ ...base, holders: [{ name: '乙', establishedOn: '2026-01-01', path: ['乙', '甲'] }] });

    expect(f).toMatchObject({ code: 'young_holder', observed: 340 });
    expect(f!.evidence).toEqual(['乙（成立于 2026-01-01）：乙 → 甲']);
  });

  it('flags low-grade related entities by count or by share, with configurable thresholds', () => {
    const related = [
      { name: '丙', grade: 'D' },
      { name: '丁', grade: 'C' },
      { name: '戊', grade: 'A' },
    ];
    expect(redFlags({ ...base, related })[0]).toMatchObject({
      code: 'low_grade_related',
      threshold: { name: 'lowGradeRelatedShare', value: 0.3 },
    });
    expect(redFlags({ ...base, related }, { ...DEFAULT_RED_FLAG_THRESHOLDS, lowGradeRelatedShare: 0.9 })).toEqual([]);
    expect(redFlags({ ...base, related }, { ...DEFAULT_RED_FLAG_THRESHOLDS, lowGradeRelatedMin: 2 })[0]).toMatchObject({
      threshold: { name: 'lowGradeRelatedMin', value: 2 },
    });
  });

  it('flags an equity round with no capital change after it, past the grace period; not a credit line', () => {
    const financings = [
      { round: 'A轮', amount: 1e7, occurredOn: '2026-03-01', investors: '某基金' },
      { round: '银行授信', amount: 1e7, occurredOn: '2026-03-01', investors: '某银行' },
      { round: 'B轮', amount: 1e7, occurredOn: '2026-11-01', investors: '' },
    ];

    expect(redFlags({ ...base, financings })[0]).toMatchObject({ code: 'financing_unregistered', observed: 1 });
    expect(redFlags({ ...base, financings, capitalChanges: ['2026-04-01'] })).toEqual([]);
  });
});
