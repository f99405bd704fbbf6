import fc from 'fast-check';
import { compileModel, DEFAULT_MODEL_V1, evaluate, type CreditFact, type Evaluation } from '@heihe/shared';
import { compactEffects, EvaluationEncoder } from './evaluation.encoding';

const model = compileModel(DEFAULT_MODEL_V1);
const day = fc
  .integer({ min: 0, max: 3000 })
  .map((d) => new Date(Date.UTC(2018, 0, 1) + d * 86_400_000).toISOString().slice(0, 10));

/** Facts of the kinds that move points, with their sub-kinds and features. */
const factArb = fc
  .record({
    kind: fc.constantFrom(
      'registration',
      'annual_report',
      'penalty',
      'safety_violation',
      'tax_grade',
      'tax_paid',
      'social_insurance',
      'honour',
      'welfare',
      'abnormal_listing',
      'licence',
    ),
    status: fc.constantFrom('active', 'active', 'repaired', 'under_objection'),
    severity: fc.constantFrom('minor', 'general', 'serious', null),
    category: fc.constantFrom('on_time', 'late', 'national', 'city', 'charity', 'arrears', 'normal', null),
    amount: fc.option(fc.integer({ min: 0, max: 50_000_000 }), { nil: null }),
    grade: fc.constantFrom('A', 'B', 'M', 'C', 'D', null),
    occurredOn: day,
  })
  .map((f) => ({ ...f, validFrom: f.occurredOn, validTo: null }) as Omit<CreditFact, 'recordId' | 'version'>);

/**
 * Reads PostgreSQL's binary COPY back, as the server would: the header, then per row a field count
 * and length-prefixed fields (-1: null), then the trailer. Fields come back as raw bytes.
 */
function parseBinaryCopy(copy: Uint8Array): (Buffer | null)[][] {
  const b = Buffer.from(copy.buffer, copy.byteOffset, copy.byteLength);
  expect(b.subarray(0, 11).toString('latin1')).toBe('PGCOPY\n\xff\r\n\0');
  expect(b.readInt32BE(11)).toBe(0);
  let p = 15 + 4 + b.readInt32BE(15);
  const rows: (Buffer | null)[][] = [];
  for (;;) {
    const fields = b.readInt16BE(p);
    p += 2;
    if (fields === -1) break;
    const row: (Buffer | null)[] = [];
    for (let f = 0; f < fields; f++) {
      const len = b.readInt32BE(p);
      p += 4;
      row.push(len < 0 ? null : b.subarray(p, p + len));
      p += Math.max(0, len);
    }
    rows.push(row);
  }
  expect(p).toBe(b.length);
  return rows;
}

const int2 = (n: number) => {
  const b = Buffer.alloc(2);
  b.writeInt16BE(n);
  return b;
};
const int4 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeInt32BE(n);
  return b;
};
const int8 = (n: number) => {
  const b = Buffer.alloc(8);
  b.writeBigInt64BE(BigInt(n));
  return b;
};
const utf8 = (s: string) => Buffer.from(s, 'utf8');

describe('EvaluationEncoder', () => {
  it('writes each evaluation as one binary COPY row that reads back to exactly its points and effects', () => {
    fc.assert(
      fc.property(
        // Enough entities that the rows outgrow the encoder's first buffer.
        fc.array(fc.array(factArb, { maxLength: 25 }), { minLength: 150, maxLength: 400 }),
        fc.option(fc.integer({ min: 1, max: 1_000_000 }), { nil: null }),
        // A first buffer from tiny to the default: rows and effects land on every growth boundary.
        fc.integer({ min: 1, max: 1 << 16 }),
        (entities, cycleId, initialBytes) => {
          const asOf = new Date('2026-11-30T01:02:03.456Z');
          const ids = entities.map((_, i) => 1000 + i * 3);
          const evaluationIds = entities.map((_, i) => String(9_000_000_000 + i));
          const buckets = entities.map((_, i) => (i * 977) % 4096);
          const encoder = new EvaluationEncoder(
            { asOf, trigger: 'cycle', cycleId },
            { entityIds: ids, buckets, evaluationIds },
            initialBytes,
          );
          const evaluations: Evaluation[] = entities.map((facts, i) => {
            const e = evaluate(
              model,
              facts.map((f, k) => ({ ...f, recordId: i * 100 + k + 1, version: 1 + (k % 3) })),
              '2026-11-30',
              { notes: false },
            );
            encoder.add(ids[i]!, e);
            return e;
          });
          const done = encoder.done();
          const rows = parseBinaryCopy(done.copy);

          expect(rows).toHaveLength(entities.length);
          expect(done.totals).toEqual(evaluations.map((e) => e.total));
          expect(done.grades).toEqual(evaluations.map((e) => e.grade));
          rows.forEach((row, i) => {
            const e = evaluations[i]!;
            expect(row).toEqual([
              int8(Number(evaluationIds[i])),
              int4(ids[i]!),
              int2(buckets[i]!),
              int4(e.modelVersion),
              // Microseconds since 2000-01-01.
              int8((asOf.getTime() - Date.UTC(2000, 0, 1)) * 1000),
              cycleId === null ? null : int4(cycleId),
              utf8('cycle'),
              int4(e.total),
              utf8(e.grade),
              utf8(JSON.stringify(e.groups.map((g) => g.points))),
              utf8(JSON.stringify(e.indicators.map((x) => x.points))),
              utf8(JSON.stringify(compactEffects(e))),
            ]);
          });
        },
      ),
      { numRuns: 25 },
    );
  });

  it('refuses an entity out of the order of its slots', () => {
    const encoder = new EvaluationEncoder(
      { asOf: new Date(), trigger: 'cycle', cycleId: 1 },
      { entityIds: [1, 2], buckets: [7, 8], evaluationIds: ['10', '11'] },
    );
    expect(() => encoder.add(2, evaluate(model, [], '2026-11-30'))).toThrow(/slot 0 is 1/);
  });

  it('refuses a slot without a bucket in range', () => {
    for (const buckets of [[], [-1], [40000], [1.5]]) {
      const encoder = new EvaluationEncoder(
        { asOf: new Date(), trigger: 'cycle', cycleId: 1 },
        { entityIds: [1], buckets, evaluationIds: ['10'] },
      );
      expect(() => encoder.add(1, evaluate(model, [], '2026-11-30'))).toThrow(/bucket of slot 0/);
    }
  });
});
