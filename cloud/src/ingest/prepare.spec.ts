import crypto from 'node:crypto';
import fc from 'fast-check';
import { parseIngestRow, type IngestRow } from '@heihe/shared';
import { generateDemoRows } from '../seed/generator';
import { contentHash, RepeatedKeys } from './prepare';

/** The content hash as stored by every earlier delivery: sha256 of the row with its keys sorted. */
const storedHash = (row: IngestRow) =>
  crypto
    .createHash('sha256')
    .update(JSON.stringify(row, Object.keys(row).sort()))
    .digest('hex');

const parse = (raw: unknown): IngestRow => {
  const p = parseIngestRow(raw, 1);
  if (!p.ok) throw new Error(JSON.stringify(p.errors));
  return p.row;
};

describe('contentHash', () => {
  const demo = [...generateDemoRows({ entities: 40, seed: 3, asOf: '2026-11-01' })].map(parse);

  it('covers every row type in the sample', () => {
    expect(new Set(demo.map((r) => r.type))).toEqual(
      new Set(['registration', 'record', 'shareholder', 'investment', 'financing']),
    );
  });

  it('equals the hash earlier deliveries stored, for every demo row', () => {
    for (const row of demo) expect(contentHash(row)).toBe(storedHash(row));
  });

  it('equals it whatever order the sender put the keys in and whichever optional keys it left out', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...demo),
        fc.array(fc.nat(), { minLength: 20, maxLength: 20 }),
        fc.array(fc.boolean(), { minLength: 20, maxLength: 20 }),
        (row, order, drop) => {
          const entries = Object.entries(row)
            .filter(([k, v], i) => !(v === null && drop[i]) || k === 'type')
            .map((e, i) => ({ e, o: order[i] ?? 0 }))
            .sort((a, b) => a.o - b.o)
            .map((x) => x.e);
          const reordered = parse(Object.fromEntries(entries));
          expect(contentHash(reordered)).toBe(storedHash(reordered));
        },
      ),
    );
  });

  it('differs when any scoring input differs', () => {
    const penalty = demo.find((r) => r.type === 'record')!;
    expect(contentHash({ ...penalty, occurredOn: '2001-01-01' } as IngestRow)).not.toBe(contentHash(penalty));
  });
});

describe('RepeatedKeys', () => {
  const row = (sourceSystem: unknown, sourceId: unknown) => ({ type: 'record', sourceSystem, sourceId });

  it('maps every earlier line of a key to the last line with that key, in one pass', () => {
    const sut = RepeatedKeys.of([
      { line: 1, raw: row('a', '1') },
      { line: 2, raw: row('a', '2') },
      { line: 3, raw: row('a', '1') },
      { line: 5, raw: row('b', '1') },
      { line: 8, raw: row('a', '1') },
    ]);

    expect([...sut].sort(([a], [b]) => a - b)).toEqual([
      [1, 8],
      [3, 8],
    ]);
  });

  it('keys on the system and the ID together, as delivered, whether or not the rest of the row is valid', () => {
    const sut = RepeatedKeys.of([
      { line: 1, raw: row('a\u0000b', 'c') },
      { line: 2, raw: row('a', 'b\u0000c') },
      { line: 3, raw: { ...row('x', '1'), type: 'no such type' } },
      { line: 4, raw: row('x', '1') },
    ]);

    expect([...sut]).toEqual([[3, 4]]);
  });

  it('gives no key to a line that could not be parsed, or whose key is not valid text', () => {
    const sut = RepeatedKeys.of([
      { line: 1, raw: row('a', 1) },
      { line: 2, raw: row('a', 1) },
      // Each row without a source ID is rejected on its own, not superseded by the next one.
      { line: 6, raw: row('a', '') },
      { line: 7, raw: row('a', '') },
      { line: 8, raw: row('', '1') },
      { line: 9, raw: row('', '1') },
      { line: 3, raw: null, error: 'JSON 无法解析' },
      { line: 4, raw: null, error: 'JSON 无法解析' },
      { line: 5, raw: [] },
    ]);

    expect(sut.size).toBe(0);
  });
});
