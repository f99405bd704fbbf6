import { AppError } from '../errors';
import type { CreditFact } from '../records';
import { compileModel, evaluate } from './engine';
import { gradeDistribution } from './grades';
import { DEFAULT_MODEL_V1 } from './model';
import { categorised, honour, penalty, registration, taxGrade } from './testing';
import { diffEvaluations, whatIf } from './what-if';

const AS_OF = '2025-07-01';
const model = compileModel(DEFAULT_MODEL_V1);
const sut = whatIf;

/** 805, grade B: 725 without records, +20 B01, +10 B02, +30 O01 (grade B), +20 S02. */
const baseline = (): CreditFact[] => [
  registration('2012-01-01', 60_000_000),
  taxGrade('B', '2025-04-01'),
  honour('national', '2025-01-01'),
];

describe('whatIf', () => {
  it('shows what repairing a penalty would give back', () => {
    const fine = penalty('general', '2025-06-01');

    const { before, after, diff } = sut(model, [...baseline(), fine], AS_OF, { repair: fine.recordId });

    expect(after.total - before.total).toBe(40);
    expect(diff.indicators).toEqual([{ code: 'O02', name: '行政处罚', before: 110, after: 150, delta: 40 }]);
    expect(after.records.find((r) => r.recordId === fine.recordId)).toMatchObject({
      status: 'repaired',
      version: 2,
      counts: false,
    });
  });

  it('reports a grade change when the repair crosses a cut-off', () => {
    const case_ = categorised('enforcement', 'executed', '2025-05-01');

    const { diff } = sut(model, [...baseline(), case_], AS_OF, { repair: case_.recordId });

    expect(diff).toMatchObject({
      totalBefore: 785,
      totalAfter: 805,
      gradeBefore: 'C',
      gradeAfter: 'B',
      gradeChanged: true,
    });
  });

  it('shows what revoking a record after an upheld objection would give back', () => {
    const fine = penalty('serious', '2025-06-01', { status: 'under_objection' });

    const { diff } = sut(model, [...baseline(), fine], AS_OF, { revoke: fine.recordId });

    expect(diff.delta).toBe(100);
  });

  it('shows what a new record would cost', () => {
    const { diff } = sut(model, baseline(), AS_OF, { add: penalty('serious', '2025-06-30', { recordId: 9_999 }) });

    expect(diff.delta).toBe(-100);
  });

  it('leaves the caller’s facts untouched', () => {
    const facts = [...baseline(), penalty('general', '2025-06-01')];
    const copy = structuredClone(facts);

    sut(model, facts, AS_OF, { repair: facts[3]?.recordId ?? 0 });

    expect(facts).toEqual(copy);
  });

  it('refuses a record the entity does not have with NOT_FOUND', () => {
    expect(() => sut(model, baseline(), AS_OF, { repair: 424_242 })).toThrow(
      expect.objectContaining({ code: 'NOT_FOUND' }) as AppError,
    );
  });
});

describe('diffEvaluations', () => {
  it('lists no indicator when nothing changed', () => {
    const evaluation = evaluate(model, baseline(), AS_OF);

    expect(diffEvaluations(evaluation, evaluation)).toMatchObject({ delta: 0, gradeChanged: false, indicators: [] });
  });
});

describe('impact preview', () => {
  it('counts grades before and after a draft model over a population', () => {
    const draft = structuredClone(DEFAULT_MODEL_V1);
    draft.version = 2;
    draft.grades = { A: 800, B: 750, C: 700, D: 650 };
    const compiledDraft = compileModel(draft);
    const population = [baseline(), [...baseline(), penalty('general', '2025-06-01')], []];

    const before = gradeDistribution(population.map((facts) => evaluate(model, facts, AS_OF)));
    const after = gradeDistribution(population.map((facts) => evaluate(compiledDraft, facts, AS_OF)));

    expect(before).toEqual({ A: 0, B: 1, C: 1, D: 1, E: 0 });
    expect(after).toEqual({ A: 1, B: 1, C: 1, D: 0, E: 0 });
  });
});
