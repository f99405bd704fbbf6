import fc from 'fast-check';
import { RECORD_KINDS, RECORD_STATUSES, SEVERITIES, type CreditFact, type RecordKind } from '../records';
import { dayNumber, isoDate } from './dates';
import { compileModel, evaluate, score, type Evaluation } from './engine';
import { DEFAULT_MODEL_V1 } from './model';

/** SCORING.md invariants 1–5, as properties over generated fact sets under v1. */

const model = compileModel(DEFAULT_MODEL_V1);
const sut = (facts: readonly CreditFact[], asOf: string) => evaluate(model, facts, asOf);

const NEGATIVE_KINDS = [
  'penalty',
  'abnormal_listing',
  'dishonesty_listing',
  'enforcement',
  'arrears',
  'loan_default',
  'safety_violation',
  'key_person_listing',
] as const satisfies readonly RecordKind[];

const CATEGORIES: Partial<Record<RecordKind, readonly string[]>> = {
  annual_report: ['on_time', 'late'],
  enforcement: ['executed', 'dishonest_executed'],
  arrears: ['tax', 'utility'],
  loan_default: ['overdue', 'evasion'],
  social_insurance: ['normal', 'arrears'],
  honour: ['national', 'provincial', 'city'],
  welfare: ['charity', 'volunteering', 'employment', 'contract'],
};

const FIRST_DAY = dayNumber(2012, 1, 1);
const LAST_DAY = dayNumber(2027, 12, 31);
const dateArb = fc.integer({ min: FIRST_DAY, max: LAST_DAY }).map(isoDate);
const asOfArb = fc.integer({ min: dayNumber(2020, 1, 1), max: dayNumber(2026, 12, 31) }).map(isoDate);

/** A fact of the given kind with plausible content, and now and then an odd one (no category, no amount). */
function factOfKind(
  kind: RecordKind,
  status: fc.Arbitrary<CreditFact['status']>,
): fc.Arbitrary<Omit<CreditFact, 'recordId'>> {
  const categories = CATEGORIES[kind];
  return fc
    .record({
      version: fc.integer({ min: 1, max: 3 }),
      status,
      category: categories === undefined ? fc.constant(null) : fc.option(fc.constantFrom(...categories), { freq: 8 }),
      severity: fc.option(fc.constantFrom(...SEVERITIES), {
        freq: kind === 'penalty' || kind === 'safety_violation' ? 10 : 1,
      }),
      amount: fc.option(
        kind === 'annual_report'
          ? fc.integer({ min: 2015, max: 2027 })
          : fc.oneof(fc.integer({ min: 0, max: 300 }), fc.integer({ min: 0, max: 80_000_000 })),
        { freq: 8 },
      ),
      grade:
        kind === 'tax_grade'
          ? fc.option(fc.constantFrom('A', 'B', 'M', 'C', 'D', 'X'), { freq: 8 })
          : fc.constant(null),
      occurredOn: dateArb,
      validFromLag: fc.integer({ min: 0, max: 60 }),
      validFor: fc.option(fc.integer({ min: 1, max: 2000 }), { freq: 2 }),
    })
    .map(({ validFromLag, validFor, occurredOn, ...rest }) => {
      const occurredDay = dayNumber(+occurredOn.slice(0, 4), +occurredOn.slice(5, 7), +occurredOn.slice(8, 10));
      return {
        ...rest,
        kind,
        occurredOn,
        validFrom: isoDate(occurredDay + validFromLag),
        validTo: validFor === null ? null : isoDate(occurredDay + validFromLag + validFor),
      };
    });
}

const anyStatus = fc.constantFrom(...RECORD_STATUSES);
const countingStatus = fc.constantFrom<CreditFact['status']>('active', 'under_objection');
const anyFactArb = fc.constantFrom(...RECORD_KINDS).chain((kind) => factOfKind(kind, anyStatus));
const negativeFactArb = fc.constantFrom(...NEGATIVE_KINDS).chain((kind) => factOfKind(kind, countingStatus));
const positiveFactArb = fc.oneof(
  factOfKind('honour', countingStatus),
  factOfKind('welfare', countingStatus),
  factOfKind('annual_report', countingStatus).map((f) => ({ ...f, category: 'on_time' })),
);

function withIds(facts: readonly Omit<CreditFact, 'recordId'>[], firstId = 1): CreditFact[] {
  return facts.map((f, i) => ({ ...f, recordId: firstId + i }));
}

const factsArb = fc.array(anyFactArb, { maxLength: 25 }).map((facts) => withIds(facts));

function assertBounded(evaluation: Evaluation): void {
  for (const indicator of evaluation.indicators) {
    expect(Number.isInteger(indicator.points)).toBe(true);
    expect(indicator.points).toBeGreaterThanOrEqual(0);
    expect(indicator.points).toBeLessThanOrEqual(indicator.max);
    for (const effect of indicator.effects) expect(Number.isInteger(effect.points)).toBe(true);
  }
  for (const group of evaluation.groups) {
    expect(group.points).toBeGreaterThanOrEqual(0);
    expect(group.points).toBeLessThanOrEqual(group.max);
  }
  expect(evaluation.groups.reduce((sum, g) => sum + g.max, 0)).toBe(1000);
  expect(evaluation.total).toBeGreaterThanOrEqual(0);
  expect(evaluation.total).toBeLessThanOrEqual(1000);
}

function expectNotAbove(after: Evaluation, before: Evaluation): void {
  expect(after.total).toBeLessThanOrEqual(before.total);
  after.indicators.forEach((indicator, i) =>
    expect(indicator.points).toBeLessThanOrEqual(before.indicators[i]?.points ?? NaN),
  );
}

describe('invariant 2: bounded, whole points', () => {
  it('keeps every indicator in [0, max], every group within its max and the total in [0, 1000]', () => {
    fc.assert(fc.property(factsArb, asOfArb, (facts, asOf) => assertBounded(sut(facts, asOf))));
  });
});

describe('invariant 5: the explanation sums to the score', () => {
  it('sums effects to indicator points, indicators and caps to group points, groups to the total', () => {
    fc.assert(
      fc.property(factsArb, asOfArb, (facts, asOf) => {
        const result = sut(facts, asOf);
        for (const indicator of result.indicators) {
          expect(indicator.effects.reduce((sum, e) => sum + e.points, 0)).toBe(indicator.points);
        }
        for (const group of result.groups) {
          const members = result.indicators.filter((i) => i.group === group.code);
          const explained =
            members.reduce((sum, i) => sum + i.points, 0) + group.effects.reduce((sum, e) => sum + e.points, 0);
          expect(explained).toBe(group.points);
        }
        expect(result.groups.reduce((sum, g) => sum + g.points, 0)).toBe(result.total);
      }),
    );
  });

  it('names only input records in its effect lines, and flags every input fact once', () => {
    fc.assert(
      fc.property(factsArb, asOfArb, (facts, asOf) => {
        const result = sut(facts, asOf);
        const ids = new Set(facts.map((f) => f.recordId));
        for (const indicator of result.indicators) {
          for (const effect of indicator.effects)
            if (effect.recordId !== null) expect(ids.has(effect.recordId)).toBe(true);
        }
        expect(result.records.map((r) => r.recordId).sort((a, b) => a - b)).toEqual([...ids].sort((a, b) => a - b));
      }),
    );
  });

  it('gives the same numbers without the explanation', () => {
    fc.assert(
      fc.property(factsArb, asOfArb, (facts, asOf) => {
        const full = sut(facts, asOf);
        const light = score(model, facts, asOf);
        expect([light.total, light.grade, light.indicators]).toEqual([
          full.total,
          full.grade,
          full.indicators.map((i) => i.points),
        ]);
      }),
    );
  });

  it('gives the same evaluation without notes, every note empty and nothing else changed', () => {
    fc.assert(
      fc.property(factsArb, asOfArb, (facts, asOf) => {
        const full = sut(facts, asOf);
        const bare = evaluate(model, facts, asOf, { notes: false });
        const withoutNotes = (e: Evaluation) => ({
          ...e,
          indicators: e.indicators.map((i) => ({ ...i, effects: i.effects.map((f) => ({ ...f, note: '' })) })),
          groups: e.groups.map((g) => ({ ...g, effects: g.effects.map((f) => ({ ...f, note: '' })) })),
        });
        expect(bare).toEqual(withoutNotes(full));
      }),
    );
  });
});

describe('invariant 1: deterministic and order-independent', () => {
  it('gives the same evaluation for any order of the same facts', () => {
    const shuffled = factsArb.chain((facts) =>
      fc.tuple(fc.constant(facts), fc.shuffledSubarray(facts, { minLength: facts.length, maxLength: facts.length })),
    );
    fc.assert(
      fc.property(shuffled, asOfArb, ([facts, reordered], asOf) =>
        expect(sut(reordered, asOf)).toEqual(sut(facts, asOf)),
      ),
    );
  });

  it('gives the same evaluation from a separately compiled copy of the model', () => {
    const other = compileModel(structuredClone(DEFAULT_MODEL_V1));
    fc.assert(
      fc.property(factsArb, asOfArb, (facts, asOf) => expect(evaluate(other, facts, asOf)).toEqual(sut(facts, asOf))),
    );
  });

  it('does not modify its input', () => {
    fc.assert(
      fc.property(factsArb, asOfArb, (facts, asOf) => {
        const copy = structuredClone(facts);
        sut(facts, asOf);
        expect(facts).toEqual(copy);
      }),
    );
  });
});

describe('invariant 3: monotone', () => {
  it('never raises a score when an active negative record is added', () => {
    fc.assert(
      fc.property(factsArb, negativeFactArb, asOfArb, (facts, added, asOf) => {
        const before = sut(facts, asOf);
        const after = sut([...facts, { ...added, recordId: facts.length + 1 }], asOf);
        expectNotAbove(after, before);
      }),
    );
  });

  it('never lowers a score when a confirmed positive record is added', () => {
    fc.assert(
      fc.property(factsArb, positiveFactArb, asOfArb, (facts, added, asOf) => {
        const before = sut(facts, asOf);
        const after = sut([...facts, { ...added, recordId: facts.length + 1 }], asOf);
        expectNotAbove(before, after);
      }),
    );
  });

  it.each(['repaired', 'revoked', 'expired'] as const)(
    'never lowers a score when a negative record becomes %s',
    (status) => {
      const arb = fc
        .tuple(factsArb, fc.array(negativeFactArb, { minLength: 1, maxLength: 6 }))
        .chain(([facts, negatives]) => {
          const all = [...facts, ...withIds(negatives, facts.length + 1)];
          return fc.tuple(fc.constant(all), fc.integer({ min: facts.length, max: all.length - 1 }));
        });
      fc.assert(
        fc.property(arb, asOfArb, ([facts, index], asOf) => {
          const changed = facts.map((f, i) => (i === index ? { ...f, status, version: f.version + 1 } : f));
          expectNotAbove(sut(facts, asOf), sut(changed, asOf));
        }),
      );
    },
  );

  it('never lowers a score of negative records as time passes', () => {
    const arb = fc
      .tuple(fc.array(negativeFactArb, { maxLength: 12 }), asOfArb, fc.integer({ min: 1, max: 1500 }))
      .map(([negatives, asOf, later]) => {
        const asOfDay = dayNumber(+asOf.slice(0, 4), +asOf.slice(5, 7), +asOf.slice(8, 10));
        const started = negatives.filter((f) => f.validFrom <= asOf);
        return { facts: withIds(started), asOf, laterAsOf: isoDate(asOfDay + later) };
      });
    fc.assert(
      fc.property(arb, ({ facts, asOf, laterAsOf }) => expectNotAbove(sut(facts, asOf), sut(facts, laterAsOf))),
    );
  });
});

describe('invariant 4: a record under objection still counts', () => {
  it('scores a record under objection exactly as an active one, and flags it', () => {
    const arb = factsArb
      .map((facts) => facts.map((f) => (f.status === 'under_objection' ? { ...f, status: 'active' as const } : f)))
      .chain((facts) => fc.tuple(fc.constant(facts), fc.integer({ min: 0, max: Math.max(0, facts.length - 1) })));
    fc.assert(
      fc.property(arb, asOfArb, ([facts, index], asOf) => {
        fc.pre(facts[index]?.status === 'active');
        const objected = facts.map((f, i) => (i === index ? { ...f, status: 'under_objection' as const } : f));

        const before = sut(facts, asOf);
        const after = sut(objected, asOf);

        expect(after.indicators).toEqual(before.indicators);
        expect(after.total).toBe(before.total);
        const flag = after.records.find((r) => r.recordId === facts[index]?.recordId);
        expect(flag?.underObjection).toBe(true);
        expect(flag?.counts).toBe(before.records.find((r) => r.recordId === facts[index]?.recordId)?.counts);
      }),
    );
  });
});
