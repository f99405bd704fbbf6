import { compileModel, evaluate } from '@heihe/shared/dist/scoring/engine';
import { DEFAULT_MODEL_V1 } from '@heihe/shared/dist/scoring/model';
import type { CreditFact } from '@heihe/shared';
import type { EntityEvaluation } from '@/api/types';
import { nextGradeOf, wayUp } from './next-grade';

const AS_OF = '2026-09-30';
const model = compileModel(DEFAULT_MODEL_V1);
const CUTOFFS = { A: 850, B: 790, C: 730, D: 670 };

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

/** A firm in A before its penalties, as the API answers for it (details included). */
function anEvaluationOf(extra: CreditFact[]): EntityEvaluation {
  const facts = [
    aFact({ recordId: 1, kind: 'registration', occurredOn: '2012-04-16', amount: 5_000_000, category: '有限责任公司' }),
    aFact({ recordId: 2, kind: 'annual_report', occurredOn: '2025-05-20', amount: 2024, category: 'on_time' }),
    aFact({ recordId: 3, kind: 'annual_report', occurredOn: '2024-05-20', amount: 2023, category: 'on_time' }),
    aFact({ recordId: 4, kind: 'tax_grade', occurredOn: '2026-04-15', amount: 2025, grade: 'A' }),
    aFact({ recordId: 5, kind: 'social_insurance', occurredOn: '2025-12-15', amount: 36, category: 'normal' }),
    aFact({ recordId: 6, kind: 'tax_paid', occurredOn: '2026-03-01', amount: 2_500_000 }),
    ...extra,
  ];
  const e = evaluate(model, facts, AS_OF);
  const byId = new Map(facts.map((f) => [f.recordId, f]));
  return {
    entityId: 7,
    uscc: '91231102DM00000019',
    name: '黑河示范粮油有限公司',
    modelVersion: 1,
    asOf: `${AS_OF}T02:00:00.000Z`,
    total: e.total,
    grade: e.grade,
    groups: e.groups,
    indicators: e.indicators,
    records: e.records.map((r) => {
      const f = byId.get(r.recordId)!;
      return { ...r, ...f, summary: `记录 ${r.recordId}`, publicUntil: r.recordId === 9 ? '2029-08-19' : null };
    }),
  };
}

describe('the way to the next grade', () => {
  it('names the next grade and the points missing, and nothing above A', () => {
    expect(nextGradeOf(846, CUTOFFS)).toEqual({ grade: 'A', cutoff: 850, gap: 4 });
    expect(nextGradeOf(789, CUTOFFS)).toEqual({ grade: 'B', cutoff: 790, gap: 1 });
    expect(nextGradeOf(600, CUTOFFS)).toEqual({ grade: 'D', cutoff: 670, gap: 70 });
    expect(nextGradeOf(850, CUTOFFS)).toBeNull();
  });

  it('lists the records that cost points, most first, each with when it stops counting and the engine estimate', () => {
    const evaluation = anEvaluationOf([
      aFact({ recordId: 8, kind: 'penalty', severity: 'minor', occurredOn: '2026-08-01' }),
      aFact({ recordId: 9, kind: 'penalty', severity: 'serious', occurredOn: '2026-08-20' }),
    ]);

    const sut = wayUp(evaluation)!;

    expect(sut.costly.map((c) => c.record.recordId)).toEqual([9, 8]);
    const [serious, minor] = sut.costly;
    expect(serious!.cost).toBeGreaterThan(minor!.cost);
    expect(serious!.until).toBe('2029-08-19');
    // Without the serious penalty the engine gives the total back, and the gap to A is closed.
    expect(serious!.estimate!.delta).toBe(serious!.cost);
    expect(sut.next?.gap ?? 0).toBeGreaterThan(0);
    expect(serious!.estimate!.totalAfter).toBe(sut.total + serious!.cost);
  });

  it('offers no new action on a record whose application is in progress', () => {
    const evaluation = anEvaluationOf([
      aFact({ recordId: 9, kind: 'penalty', severity: 'general', occurredOn: '2026-08-20' }),
    ]);
    evaluation.records = evaluation.records!.map((r) =>
      r.recordId === 9
        ? { ...r, openApplication: { kind: 'repair', id: 3, status: 'submitted', statusLabel: '已提交，待受理' } }
        : r,
    );

    expect(wayUp(evaluation)!.costly[0]!.inProgress).toBe(true);
  });
});
