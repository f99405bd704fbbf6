import fc from 'fast-check';
import { DEFAULT_MODEL_V1 } from '../scoring';
import { fromDayNumber, toDayNumber } from '../calendar/iso-date';
import { repairEligibility, type RepairCandidate } from './repair';

const decay = DEFAULT_MODEL_V1.decay;
const aPenalty = (overrides: Partial<RepairCandidate> = {}): RepairCandidate => ({
  kind: 'penalty',
  status: 'active',
  severity: 'general',
  occurredOn: '2026-03-10',
  validTo: null,
  ...overrides,
});

describe('repair eligibility', () => {
  it('refuses a general penalty inside its 3-month minimum period, naming the first possible day', () => {
    const sut = repairEligibility(aPenalty(), decay, '2026-06-10');
    expect(sut).toEqual({
      eligible: false,
      reason: 'too_early',
      possibleFrom: '2026-06-11',
      message: '一般失信信息的最短公示期至 2026-06-10 届满，2026-06-11 起可申请信用修复',
    });
  });

  it('allows a general penalty the day after its minimum period', () => {
    const sut = repairEligibility(aPenalty(), decay, '2026-06-11');
    expect(sut).toEqual({
      eligible: true,
      severity: 'general',
      minimumPeriodEnds: '2026-06-10',
      possibleFrom: '2026-06-11',
      maximumPeriodEnds: '2027-03-10',
    });
  });

  it('makes a serious penalty wait one year', () => {
    const sut = repairEligibility(aPenalty({ severity: 'serious' }), decay, '2026-11-29');
    expect(sut).toMatchObject({ eligible: false, reason: 'too_early', possibleFrom: '2027-03-11' });
  });

  it('allows a minor penalty from the next day, its minimum period being zero', () => {
    const sut = repairEligibility(aPenalty({ severity: 'minor' }), decay, '2026-03-11');
    expect(sut).toMatchObject({ eligible: true, possibleFrom: '2026-03-11' });
  });

  it('treats a serious-dishonesty listing without severity as serious', () => {
    const sut = repairEligibility(aPenalty({ kind: 'dishonesty_listing', severity: null }), decay, '2026-11-29');
    expect(sut).toMatchObject({ eligible: false, possibleFrom: '2027-03-11' });
  });

  it('lets an abnormal-operation listing be repaired once corrected, with no maximum of its own', () => {
    const sut = repairEligibility(
      aPenalty({ kind: 'abnormal_listing', severity: null, occurredOn: '2020-01-01' }),
      decay,
      '2026-11-29',
    );
    expect(sut).toMatchObject({ eligible: true, maximumPeriodEnds: null });
  });

  it('refuses records that are not penalties or listings', () => {
    const sut = repairEligibility(aPenalty({ kind: 'enforcement', severity: null }), decay, '2026-11-29');
    expect(sut).toMatchObject({ eligible: false, reason: 'not_repairable', possibleFrom: null });
  });

  it('refuses a record under objection', () => {
    const sut = repairEligibility(aPenalty({ status: 'under_objection' }), decay, '2026-11-29');
    expect(sut).toMatchObject({ eligible: false, reason: 'not_active' });
  });

  it('refuses a penalty past its maximum period, which no longer counts', () => {
    const sut = repairEligibility(aPenalty(), decay, '2027-03-10');
    expect(sut).toMatchObject({ eligible: false, reason: 'no_longer_counts' });
  });

  it('refuses on every day before possibleFrom and allows on it, for any severity and date', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('minor' as const, 'general' as const, 'serious' as const),
        fc.integer({ min: toDayNumber('2020-01-01'), max: toDayNumber('2026-12-31') }),
        fc.integer({ min: 0, max: 400 }),
        (severity, occurred, offset) => {
          const record = aPenalty({ severity, occurredOn: fromDayNumber(occurred) });
          const refused = repairEligibility(record, decay, fromDayNumber(occurred));
          const from = refused.eligible ? refused.possibleFrom : refused.possibleFrom!;
          const sut = repairEligibility(record, decay, fromDayNumber(toDayNumber(from) + offset));
          const before = repairEligibility(record, decay, fromDayNumber(toDayNumber(from) - 1));
          expect(before.eligible).toBe(false);
          expect(sut.eligible || (!sut.eligible && sut.reason === 'no_longer_counts')).toBe(true);
        },
      ),
    );
  });
});
