import { GBT4754_SECTIONS, industryPrefixProblem } from './industry';

describe('industryPrefixProblem (GB/T 4754-2017 shapes)', () => {
  it.each(['A', 'C', 'C13', 'C133', 'C1331', 'A0121', 'B06', 'T98', 'K70', 'S97'])('accepts %s', (p) =>
    expect(industryPrefixProblem(p)).toBeNull(),
  );

  it.each([
    ['A13', '不属于门类 A'],
    ['C12', '不属于门类 C'],
    ['C1', '2 位'],
    ['C13311', '2 位'],
    ['U01', 'A 到 T'],
    ['c13', '不是国民经济行业分类代码'],
    ['13', '不是国民经济行业分类代码'],
    ['', '不是国民经济行业分类代码'],
  ])('refuses %s, saying why', (p, why) => expect(industryPrefixProblem(p)).toContain(why));

  it('has every division 01–98 in exactly one section, the sections in order', () => {
    const owner = new Map<number, string>();
    for (const [s, [lo, hi]] of Object.entries(GBT4754_SECTIONS))
      for (let d = lo; d <= hi; d++) {
        expect(owner.has(d)).toBe(false);
        owner.set(d, s);
      }
    expect([...owner.keys()].sort((a, b) => a - b)).toEqual(Array.from({ length: 98 }, (_, i) => i + 1));
  });
});
