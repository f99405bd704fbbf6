import { parkCheckInputs } from './park-check.service';
import { diffOf, filterText } from './screenings.service';

describe('parkCheckInputs', () => {
  it('reads codes per line and per cell, skips a header and keeps a line with no code as one row', () => {
    const text =
      '\uFEFF统一社会信用代码,名称\r\n91231102MA1AAAAA1X,北疆豆业\n\n91231102MA1BBBBB2Y；91231102MA1CCCCC3Z\n黑河某某公司\n  12345  ';
    expect(parkCheckInputs(text)).toEqual([
      '91231102MA1AAAAA1X',
      '91231102MA1BBBBB2Y',
      '91231102MA1CCCCC3Z',
      '黑河某某公司',
      '12345',
    ]);
  });

  it('takes a first line that is a code as a code, not a header', () => {
    expect(parkCheckInputs('91231102MA1AAAAA1X\n91231102MA1BBBBB2Y')).toHaveLength(2);
  });
});

describe('diffOf', () => {
  const e = (entityId: number, grade: 'A' | 'B' | 'C', score = 800) => ({
    entityId,
    uscc: `U${entityId}`,
    name: `企业${entityId}`,
    grade,
    score,
  });

  it('names what was added, removed and regraded, and nothing for an unchanged run', () => {
    const before = [e(1, 'A'), e(2, 'B'), e(3, 'B')];
    const after = [e(1, 'A', 810), e(3, 'C', 700), e(4, 'B')];
    expect(diffOf(before, after)).toEqual({
      added: [e(4, 'B')],
      removed: [e(2, 'B')],
      gradeChanged: [{ ...e(3, 'C', 700), fromGrade: 'B', fromScore: 800 }],
    });
    expect(diffOf(after, after)).toEqual({ added: [], removed: [], gradeChanged: [] });
  });
});

describe('filterText', () => {
  it('puts the filter in words, with the chain by name', () => {
    expect(
      filterText({ chain: 'soybean', minGrade: 'B', creditGate: true, grades: ['A', 'B'], minScore: 700 }, (c) =>
        c === 'soybean' ? '大豆全产业链' : undefined,
      ),
    ).toBe('产业链：大豆全产业链；等级：A、B；最低等级：B；信用门槛：无严重失信；分数：700–不限');
  });
});
