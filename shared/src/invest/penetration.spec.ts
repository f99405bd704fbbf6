import fc from 'fast-check';
import { penetrate, type Holding } from './penetration';

const person = (holder: string, company: string, share: number): Holding => ({
  holder,
  holderKind: 'person',
  company,
  share,
});
const entity = (holder: string, company: string, share: number): Holding => ({
  holder,
  holderKind: 'entity',
  company,
  share,
});

const sut = penetrate;
const holder = (r: ReturnType<typeof penetrate>, key: string) => r.holders.find((h) => h.key === key);
const flagCodes = (r: ReturnType<typeof penetrate>, key: string) => holder(r, key)?.flags.map((f) => f.code) ?? [];
const route = (edges: { from: string; to: string }[]) => [edges[0]!.from, ...edges.map((e) => e.to)].join('>');

describe('penetrate: a diamond (two paths from one holder meet at the target)', () => {
  // T ← A 50%, B 30%, X 20%;  A ← C 60%, Y 40%;  B ← C 100%;  C ← P 80%, Z 20%.
  const holdings = [
    entity('A', 'T', 0.5),
    entity('B', 'T', 0.3),
    person('X', 'T', 0.2),
    entity('C', 'A', 0.6),
    person('Y', 'A', 0.4),
    entity('C', 'B', 1),
    person('P', 'C', 0.8),
    person('Z', 'C', 0.2),
  ];
  const r = sut('T', holdings);

  it('sums both paths: P = 0.8·0.6·0.5 + 0.8·1·0.3 = 0.48', () => {
    expect(holder(r, 'P')!.share).toBeCloseTo(0.48, 12);
    expect(holder(r, 'P')!.paths.map((p) => [route(p.edges), p.share])).toEqual([
      ['P>C>A>T', expect.closeTo(0.24, 12)],
      ['P>C>B>T', expect.closeTo(0.24, 12)],
    ]);
  });

  it('gives every other holder its hand-worked share, and the shares add up to 100%', () => {
    expect(holder(r, 'Z')!.share).toBeCloseTo(0.12, 12);
    expect(holder(r, 'Y')!.share).toBeCloseTo(0.2, 12);
    expect(holder(r, 'X')!.share).toBeCloseTo(0.2, 12);
    expect(holder(r, 'X')!.directShare).toBeCloseTo(0.2, 12);
    expect(r.holders.reduce((s, h) => s + h.share, 0)).toBeCloseTo(1, 12);
    expect(r.unknown).toBeCloseTo(0, 12);
  });

  it('flags P as 疑似实际控制人 through the companies P controls, with the chain of majorities', () => {
    const control = holder(r, 'P')!.flags.find((f) => f.code === 'actual_controller')!;

    expect(control.label).toBe('疑似实际控制人');
    expect(route(control.paths[0]!.edges)).toBe('P>C>A>T');
    expect(control.paths[0]!.edges.map((e) => e.share)).toEqual([0.8, 0.6, 0.5]);
  });

  it('flags 受益所有人 at 25% and over only', () => {
    expect(flagCodes(r, 'P')).toEqual(['actual_controller', 'beneficial_owner']);
    expect(flagCodes(r, 'X')).toEqual([]);
    expect(flagCodes(r, 'Y')).toEqual([]);
  });

  it('lists persons by share, largest first', () => {
    expect(r.holders.map((h) => h.key)).toEqual(['P', 'X', 'Y', 'Z']);
  });
});

describe('penetrate: more than half in total is not control', () => {
  // T ← A 50%, B 50%;  A ← P 70%, Q 30%;  B ← P 40%, R 60%.  P: 0.35 + 0.20 = 0.55.
  const r = sut('T', [
    entity('A', 'T', 0.5),
    entity('B', 'T', 0.5),
    person('P', 'A', 0.7),
    person('Q', 'A', 0.3),
    person('P', 'B', 0.4),
    person('R', 'B', 0.6),
  ]);

  it('P owns 55% of T but controls only A, which holds exactly half: no control flag', () => {
    expect(holder(r, 'P')!.share).toBeCloseTo(0.55, 12);
    expect(flagCodes(r, 'P')).toEqual(['beneficial_owner']);
    expect(holder(r, 'R')!.share).toBeCloseTo(0.3, 12);
    expect(holder(r, 'Q')!.share).toBeCloseTo(0.15, 12);
  });
});

describe('penetrate: a cross-holding cycle above the target', () => {
  // T ← A 60%, R 40%;  A ← B 50%, P 50%;  B ← A 30%, Q 70%.
  // u_A(P) = 0.5 + 0.5·u_B(P), u_B(P) = 0.3·u_A(P) ⇒ u_A(P) = 0.5 / 0.85; T: P = 0.6 · 0.5 / 0.85 = 6/17.
  // u_A(Q) = 0.5·u_B(Q), u_B(Q) = 0.7 + 0.3·u_A(Q) ⇒ u_A(Q) = 0.35 / 0.85; T: Q = 0.6 · 0.35 / 0.85 = 21/85.
  const r = sut('T', [
    entity('A', 'T', 0.6),
    person('R', 'T', 0.4),
    entity('B', 'A', 0.5),
    person('P', 'A', 0.5),
    entity('A', 'B', 0.3),
    person('Q', 'B', 0.7),
  ]);

  it('sums the paths round the cycle: P = 6/17, Q = 21/85, R = 2/5', () => {
    expect(holder(r, 'P')!.share).toBeCloseTo(6 / 17, 12);
    expect(holder(r, 'Q')!.share).toBeCloseTo(21 / 85, 12);
    expect(holder(r, 'R')!.share).toBeCloseTo(0.4, 12);
    expect(r.holders.reduce((s, h) => s + h.share, 0)).toBeCloseTo(1, 12);
    expect(r.truncated + r.trapped).toBeLessThan(1e-11);
  });

  it('says the share came partly round the cycle', () => {
    expect(holder(r, 'P')!.viaCycle).toBe(true);
    expect(holder(r, 'R')!.viaCycle).toBe(false);
  });

  it('Q at 24.7% is just below the 受益所有人 threshold; P and R are over it', () => {
    expect(flagCodes(r, 'Q')).toEqual([]);
    expect(flagCodes(r, 'P')).toEqual(['beneficial_owner']);
    expect(flagCodes(r, 'R')).toEqual(['beneficial_owner']);
  });
});

describe('penetrate: the target inside a cycle', () => {
  // T ← P 50%, A 50%;  A ← T 40%, Q 60%.  u_T(P) = 0.5 + 0.2·u_T(P) = 0.625;  Q = 0.375.
  const r = sut('T', [person('P', 'T', 0.5), entity('A', 'T', 0.5), entity('T', 'A', 0.4), person('Q', 'A', 0.6)]);

  it('solves the holding of the target through itself', () => {
    expect(holder(r, 'P')!.share).toBeCloseTo(0.625, 12);
    expect(holder(r, 'P')!.directShare).toBeCloseTo(0.5, 12);
    expect(holder(r, 'Q')!.share).toBeCloseTo(0.375, 12);
  });

  it('does not take exactly 50% directly for control', () => {
    expect(flagCodes(r, 'P')).toEqual(['beneficial_owner']);
  });
});

describe('penetrate: a closed cross-holding', () => {
  // A and B hold each other wholly: the half of T that A holds reaches no one.
  const r = sut('T', [entity('A', 'T', 0.5), person('P', 'T', 0.5), entity('B', 'A', 1), entity('A', 'B', 1)]);

  it('stops, and reports the half caught in the loop as trapped', () => {
    expect(holder(r, 'P')!.share).toBeCloseTo(0.5, 12);
    expect(r.trapped).toBeCloseTo(0.5, 12);
    expect(r.holders.map((h) => h.key)).toEqual(['P']);
  });
});

describe('penetrate: a 10-level chain', () => {
  // T = E0 ← E1 ← … ← E9 ← P, each link 90%; X_i holds the other 10% of E_i.
  const holdings: Holding[] = [];
  for (let i = 0; i < 10; i++) {
    holdings.push(i < 9 ? entity(`E${i + 1}`, `E${i}`, 0.9) : person('P', 'E9', 0.9));
    holdings.push(person(`X${i}`, `E${i}`, 0.1));
  }

  it('P at the top owns 0.9^10 = 0.3486784401 of T, and controls it through 10 links', () => {
    const r = sut('E0', holdings);
    const p = holder(r, 'P')!;

    expect(p.share).toBeCloseTo(0.3486784401, 12);
    expect(p.paths[0]!.edges).toHaveLength(10);
    expect(flagCodes(r, 'P')).toEqual(['actual_controller', 'beneficial_owner']);
    expect(p.flags[0]!.paths[0]!.edges).toHaveLength(10);
    expect(r.depth).toBe(10);
  });

  it('each X_i owns 0.1·0.9^i', () => {
    const r = sut('E0', holdings);

    for (let i = 0; i < 10; i++) expect(holder(r, `X${i}`)!.share).toBeCloseTo(0.1 * 0.9 ** i, 12);
    expect(r.holders.reduce((s, h) => s + h.share, 0)).toBeCloseTo(1, 12);
  });

  it('with maxDepth 5 stops at E5: 0.9^5 is truncated and P is not reached', () => {
    const r = sut('E0', holdings, { maxDepth: 5 });

    expect(holder(r, 'P')).toBeUndefined();
    expect(r.truncated).toBeCloseTo(0.9 ** 5, 12);
    expect(holder(r, 'X4')!.share).toBeCloseTo(0.1 * 0.9 ** 4, 12);
    expect(holder(r, 'X5')).toBeUndefined();
  });
});

describe('penetrate: data as delivered', () => {
  it('ends the walk at an entity without known holders, as an end-point holder', () => {
    const r = sut('T', [entity('S', 'T', 0.3), person('P', 'T', 0.7)]);

    expect(r.holders.map((h) => [h.key, h.kind, h.share])).toEqual([
      ['P', 'person', 0.7],
      ['S', 'entity', 0.3],
    ]);
    expect(holder(r, 'S')!.flags).toEqual([]);
  });

  it('reports the part of a company no listed holder covers as unknown', () => {
    const r = sut('T', [person('P', 'T', 0.6)]);

    expect(r.unknown).toBeCloseTo(0.4, 12);
  });

  it('scales down a company whose holdings sum above 100%, and says so', () => {
    const r = sut('T', [person('P', 'T', 0.9), person('Q', 'T', 0.6)]);

    expect(r.overSubscribed).toEqual(['T']);
    expect(holder(r, 'P')!.share).toBeCloseTo(0.6, 12);
    expect(holder(r, 'Q')!.share).toBeCloseTo(0.4, 12);
  });
});

// ---- properties --------------------------------------------------------------------------------

const ENTITIES = ['T', 'E1', 'E2', 'E3', 'E4', 'E5'];
const PERSONS = ['P1', 'P2', 'P3', 'P4'];
const shareArb = fc.integer({ min: 1, max: 10_000 }).map((n) => n / 10_000);
const holdingArb = fc.record({
  holder: fc.constantFrom(...ENTITIES, ...PERSONS),
  company: fc.constantFrom(...ENTITIES),
  share: shareArb,
});
const graphArb = fc.array(holdingArb, { maxLength: 30 }).map((hs) =>
  hs.map((h): Holding => ({
    ...h,
    holderKind: PERSONS.includes(h.holder) ? 'person' : 'entity',
  })),
);

describe('penetrate: properties', () => {
  it('never gives a holder more than 100%, nor all holders together', () => {
    fc.assert(
      fc.property(graphArb, (holdings) => {
        const r = sut('T', holdings);
        const total = r.holders.reduce((s, h) => s + h.share, 0);
        for (const h of r.holders) {
          expect(h.share).toBeGreaterThanOrEqual(0);
          expect(h.share).toBeLessThanOrEqual(1 + 1e-9);
        }
        expect(total).toBeLessThanOrEqual(1 + 1e-9);
      }),
      { numRuns: 300 },
    );
  });

  it('accounts for all of the target: holders, unknown, truncated and trapped sum to 100%', () => {
    fc.assert(
      fc.property(graphArb, (holdings) => {
        const r = sut('T', holdings);
        const all = r.holders.reduce((s, h) => s + h.share, 0) + r.unknown + r.truncated + r.trapped;
        expect(all).toBeCloseTo(1, 6);
      }),
      { numRuns: 300 },
    );
  });

  it('equals the direct share for a one-level graph', () => {
    const oneLevel = fc
      .uniqueArray(fc.record({ holder: fc.constantFrom(...PERSONS, 'S1', 'S2'), share: shareArb }), {
        selector: (h) => h.holder,
        maxLength: 6,
      })
      .filter((hs) => hs.reduce((s, h) => s + h.share, 0) <= 1);
    fc.assert(
      fc.property(oneLevel, (hs) => {
        const r = sut(
          'T',
          hs.map((h) => ({ ...h, company: 'T', holderKind: h.holder.startsWith('P') ? 'person' : 'entity' })),
        );
        for (const h of hs) {
          expect(holder(r, h.holder)!.share).toBeCloseTo(h.share, 12);
          expect(holder(r, h.holder)!.directShare).toBeCloseTo(h.share, 12);
        }
        expect(r.holders).toHaveLength(hs.length);
      }),
    );
  });

  it('flags 疑似实际控制人 for at most one person', () => {
    fc.assert(
      fc.property(graphArb, (holdings) => {
        const r = sut('T', holdings);
        expect(r.holders.filter((h) => h.flags.some((f) => f.code === 'actual_controller')).length).toBeLessThanOrEqual(
          1,
        );
      }),
      { numRuns: 300 },
    );
  });
});
