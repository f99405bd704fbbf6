/**
 * GB/T 4754-2017 (国民经济行业分类) code shapes, for the key-chain mapping administrators edit: a
 * section letter (门类 A–T), optionally followed by a division (大类, two digits), a group (中类,
 * three) or a class (小类, four). The division must lie in its section's range, so `A13` (13 is
 * manufacturing, section C) is refused although it is well formed.
 */
export const GBT4754_SECTIONS: Record<string, readonly [number, number]> = {
  A: [1, 5],
  B: [6, 12],
  C: [13, 43],
  D: [44, 46],
  E: [47, 50],
  F: [51, 52],
  G: [53, 60],
  H: [61, 62],
  I: [63, 65],
  J: [66, 69],
  K: [70, 70],
  L: [71, 72],
  M: [73, 75],
  N: [76, 79],
  O: [80, 82],
  P: [83, 83],
  Q: [84, 85],
  R: [86, 90],
  S: [91, 97],
  T: [98, 98],
};

/** null when the prefix is a well-formed GB/T 4754-2017 section, division, group or class; else why not. */
export function industryPrefixProblem(prefix: string): string | null {
  const m = /^([A-Z])(\d*)$/.exec(prefix);
  if (!m) return `“${prefix}”不是国民经济行业分类代码：应为门类字母加 0、2、3 或 4 位数字，如 C、C13、C133、C1331`;
  const range = GBT4754_SECTIONS[m[1]!];
  if (!range) return `“${prefix}”的门类字母应为 A 到 T`;
  const digits = m[2]!;
  if (![0, 2, 3, 4].includes(digits.length))
    return `“${prefix}”的数字部分应为 2 位（大类）、3 位（中类）或 4 位（小类）`;
  if (digits.length) {
    const division = Number(digits.slice(0, 2));
    if (division < range[0] || division > range[1])
      return `“${prefix}”的大类 ${digits.slice(0, 2)} 不属于门类 ${m[1]}（${String(range[0]).padStart(2, '0')}–${String(range[1]).padStart(2, '0')}）`;
  }
  return null;
}
