import fc from 'fast-check';
import { BUCKETS, bucketPredicate, usccBucket } from './shard';
import { createTestDatabase, testBackends, type TestDatabase } from '../testing/test-db';

/** USCC-shaped strings (the checksum is not the point here) and arbitrary text, CJK included. */
const usccChars = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const usccLike = fc
  .array(fc.constantFrom(...usccChars.split('')), { minLength: 18, maxLength: 18 })
  .map((cs) => cs.join(''));
const anyText = fc.string({ unit: 'grapheme', minLength: 0, maxLength: 40 }).filter((s) => !s.includes('\u0000'));

describe.each(testBackends())('the shard bucket on %s', (backend) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase(backend);
  }, 60_000);
  afterAll(() => t.drop());

  /** The SQL function over a batch, in one statement. */
  async function sqlBuckets(values: string[]): Promise<number[]> {
    const rows = await t.db.query<{ b: number }>(
      `SELECT uscc_bucket(v) AS b FROM unnest($1::text[]) WITH ORDINALITY AS u(v, i) ORDER BY i`,
      [values],
    );
    return rows.map((r) => r.b);
  }

  it('is the same in Node and in SQL for every USCC-shaped code', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(usccLike, { minLength: 1, maxLength: 200 }), async (codes) => {
        expect(await sqlBuckets(codes)).toEqual(codes.map(usccBucket));
      }),
      { numRuns: 25 },
    );
  });

  it('is the same in Node and in SQL for any text, multi-byte included', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(anyText, { minLength: 1, maxLength: 100 }), async (xs) => {
        expect(await sqlBuckets(xs)).toEqual(xs.map(usccBucket));
      }),
      { numRuns: 25 },
    );
  });
});

describe('usccBucket', () => {
  it('stays in 0..4095 and never changes for a known code', () => {
    // Fixed values: a change of the function would move every stored row to another shard.
    expect(usccBucket('91231100MA1B2C3D4E')).toBe(3824);
    fc.assert(
      fc.property(usccLike, (c) => {
        const b = usccBucket(c);
        return Number.isInteger(b) && b >= 0 && b < BUCKETS;
      }),
    );
  });

  it('spreads 40,000 sequential codes evenly over the buckets', () => {
    const counts = new Array<number>(BUCKETS).fill(0);
    for (let i = 0; i < 40_000; i++) counts[usccBucket(`91231100${String(i).padStart(10, '0')}`)]!++;
    // ~9.8 per bucket: with a uniform hash the fullest bucket stays well under 4× the mean,
    // while a hash of the trailing digits alone would leave most buckets empty.
    expect(Math.max(...counts)).toBeLessThan(40);
    expect(counts.filter((n) => n === 0).length).toBeLessThan(20);
  });
});

describe('bucketPredicate', () => {
  it('names one bucket by equality and several by range', () => {
    expect(bucketPredicate('bucket', 7, 7)).toBe('bucket = 7');
    expect(bucketPredicate('e.bucket', 0, 0)).toBe('e.bucket = 0');
    expect(bucketPredicate('bucket', 0, BUCKETS - 1)).toBe(`bucket BETWEEN 0 AND ${BUCKETS - 1}`);
    expect(bucketPredicate('s.bucket', 1024, 2047)).toBe('s.bucket BETWEEN 1024 AND 2047');
  });

  it('refuses a bound that is not an integer bucket, since it goes into the SQL text', () => {
    for (const [lo, hi] of [
      [-1, 3],
      [0, BUCKETS],
      [1.5, 2],
      [0, Number.NaN],
      [0, Number.POSITIVE_INFINITY],
      ['1; DROP TABLE entity' as unknown as number, 2],
    ] as [number, number][])
      expect(() => bucketPredicate('bucket', lo, hi)).toThrow(RangeError);
  });
});
