import { compileModel, evaluate, type Evaluation } from '@heihe/shared/dist/scoring/engine';
import { DEFAULT_MODEL_V1 } from '@heihe/shared/dist/scoring/model';
import { whatIf } from '@heihe/shared/dist/scoring/what-if';
import type { CreditFact } from '@heihe/shared';
import type { EntityEvaluation } from '@/api/types';
import { estimateRepair } from './what-if';

const AS_OF = '2026-09-30';
const model = compileModel(DEFAULT_MODEL_V1);

function aFact(overrides: Partial<CreditFact> & Pick<CreditFact, 'recordId' | 'kind'>): CreditFact {
  return {
    version: 1,
    status: 'active',
    category: null,
    severity: null,
    amount: null,
    grade: null,
    occurredOn: '2025-01-01',
    validFrom: overrides.occurredOn ?? '2025-01-01',
    validTo: null,
    ...overrides,
  };
}

/** A firm that scores in A before any penalty: old, capitalised, tax grade A, insured staff. */
function aGoodFirm(extra: CreditFact[] = []): CreditFact[] {
  return [
    aFact({ recordId: 1, kind: 'registration', occurredOn: '2012-04-16', amount: 5_000_000, category: '有限责任公司' }),
    aFact({ recordId: 2, kind: 'annual_report', occurredOn: '2025-05-20', amount: 2024, category: 'on_time' }),
    aFact({ recordId: 3, kind: 'annual_report', occurredOn: '2024-05-20', amount: 2023, category: 'on_time' }),
    aFact({ recordId: 4, kind: 'tax_grade', occurredOn: '2026-04-15', amount: 2025, grade: 'A' }),
    aFact({ recordId: 5, kind: 'social_insurance', occurredOn: '2025-12-15', amount: 36, category: 'normal' }),
    aFact({ recordId: 6, kind: 'tax_paid', occurredOn: '2026-03-01', amount: 2_500_000 }),
    ...extra,
  ];
}

/** What the API answers for these facts: the engine's evaluation plus each record's details. */
function asResponse(facts: CreditFact[], e: Evaluation, modelVersion = 1): EntityEvaluation {
  const byId = new Map(facts.map((f) => [f.recordId, f]));
  return {
    entityId: 7,
    uscc: '91231102DM00000019',
    name: '黑河示范粮油有限公司',
    modelVersion,
    asOf: `${AS_OF}T02:00:00.000Z`,
    total: e.total,
    grade: e.grade,
    groups: e.groups,
    indicators: e.indicators,
    records: e.records.map((r) => {
      const f = byId.get(r.recordId)!;
      return { ...r, occurredOn: f.occurredOn, summary: null, severity: f.severity, category: f.category };
    }),
  };
}

describe('estimateRepair (the what-if on the phone)', () => {
  it('matches the engine run on the full records for a penalty, though the response lacks amounts and grades', () => {
    const facts = aGoodFirm([
      aFact({ recordId: 9, kind: 'penalty', occurredOn: '2026-08-20', severity: 'general' }),
      aFact({ recordId: 10, kind: 'penalty', occurredOn: '2026-06-01', severity: 'minor' }),
    ]);
    const sut = asResponse(facts, evaluate(model, facts, AS_OF));

    const result = estimateRepair(sut, 9);

    const truth = whatIf(model, facts, AS_OF, { repair: 9 }).diff;
    expect(result).toEqual({
      kind: 'estimate',
      estimate: {
        totalBefore: truth.totalBefore,
        totalAfter: truth.totalAfter,
        delta: 40,
        gradeBefore: truth.gradeBefore,
        gradeAfter: truth.gradeAfter,
        modelVersion: 1,
      },
    });
  });

  it('projects the grade the repair would reach, by the model cut-offs', () => {
    // 896 points without the penalty; a serious one takes 100 and the firm falls from A to B.
    const facts = aGoodFirm([aFact({ recordId: 9, kind: 'penalty', occurredOn: '2026-08-20', severity: 'serious' })]);
    const sut = asResponse(facts, evaluate(model, facts, AS_OF));
    expect([sut.total, sut.grade]).toEqual([796, 'B']);

    const result = estimateRepair(sut, 9);

    expect(result).toMatchObject({
      kind: 'estimate',
      estimate: { totalBefore: 796, totalAfter: 896, delta: 100, gradeBefore: 'B', gradeAfter: 'A' },
    });
  });

  it('never lifts an indicator above its maximum, whatever the reconstruction says', () => {
    const facts = aGoodFirm([aFact({ recordId: 9, kind: 'penalty', occurredOn: '2026-08-20', severity: 'general' })]);
    const sut = asResponse(facts, evaluate(model, facts, AS_OF));
    // The server says the indicator already stands at 145 of 150: only 5 points are left to gain.
    const o02 = sut.indicators.find((i) => i.code === 'O02')!;
    const operation = sut.groups.find((g) => g.code === 'O')!;
    const shift = 145 - o02.points;
    o02.points = 145;
    operation.points += shift;
    sut.total += shift;

    const result = estimateRepair(sut, 9);

    expect(result.kind === 'estimate' && result.estimate.delta).toBe(5);
  });

  it('says a record that moves no points changes nothing', () => {
    const facts = aGoodFirm([
      aFact({
        recordId: 9,
        kind: 'penalty',
        occurredOn: '2020-01-10',
        severity: 'minor',
        status: 'repaired',
        version: 2,
      }),
    ]);
    const sut = asResponse(facts, evaluate(model, facts, AS_OF));

    expect(estimateRepair(sut, 9)).toEqual({ kind: 'no_effect' });
  });

  it('gives no estimate under a model version this build does not carry', () => {
    const facts = aGoodFirm([aFact({ recordId: 9, kind: 'penalty', occurredOn: '2026-08-20', severity: 'general' })]);
    const sut = asResponse(facts, evaluate(model, facts, AS_OF), 2);

    expect(estimateRepair(sut, 9)).toEqual({ kind: 'unavailable' });
  });

  it("estimates under a newer model from its published definition, with that model's points", () => {
    const v2 = {
      ...DEFAULT_MODEL_V1,
      version: 2,
      indicators: DEFAULT_MODEL_V1.indicators.map((i) =>
        i.code === 'O02' && i.rule.kind === 'deduction'
          ? {
              ...i,
              rule: {
                ...i.rule,
                sources: i.rule.sources.map((src) => ({
                  ...src,
                  points: { ...(src.points as Record<string, number>), general: 60 },
                })),
              },
            }
          : i,
      ),
    };
    const facts = aGoodFirm([aFact({ recordId: 9, kind: 'penalty', occurredOn: '2026-08-20', severity: 'general' })]);
    const sut = asResponse(facts, evaluate(compileModel(v2), facts, AS_OF), 2);

    const result = estimateRepair(sut, 9, v2);

    expect(result).toMatchObject({ kind: 'estimate', estimate: { delta: 60, modelVersion: 2 } });
  });
});
