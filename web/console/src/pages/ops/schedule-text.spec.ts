import { formatDates, parseDates, parseScheduleFile } from './schedule-text';

describe('a holiday schedule as text', () => {
  it('reads single days and ranges (~ or 至) separated by spaces, commas and lines, sorted and unique', () => {
    expect(parseDates('2027-02-06 至 2027-02-08，2027-01-01\n2027-01-01', 2027)).toEqual({
      ok: true,
      dates: ['2027-01-01', '2027-02-06', '2027-02-07', '2027-02-08'],
    });
  });

  it('names the entry that is not a date, a range backwards, or a day of another year', () => {
    expect(parseDates('2027-02-30', 2027)).toEqual({ ok: false, error: '“2027-02-30”不是有效日期（应为 YYYY-MM-DD）' });
    expect(parseDates('2027-02-08~2027-02-06', 2027)).toEqual({
      ok: false,
      error: '“2027-02-08~2027-02-06”的结束日期早于开始日期',
    });
    expect(parseDates('2026-12-31~2027-01-01', 2027)).toEqual({ ok: false, error: '2026-12-31 不在 2027 年内' });
  });

  it('reads a JSON file, refusing one of another year', () => {
    const file = JSON.stringify({
      year: 2027,
      holidays: ['2027-01-01', '2027-02-06~2027-02-07'],
      makeupWorkdays: ['2027-02-20'],
    });
    expect(parseScheduleFile(file, 2027)).toEqual({
      ok: true,
      draft: { holidays: ['2027-01-01', '2027-02-06', '2027-02-07'], makeupWorkdays: ['2027-02-20'] },
    });
    expect(parseScheduleFile(file, 2028)).toEqual({ ok: false, error: '文件是 2027 年的安排，不是 2028 年' });
    expect(parseScheduleFile('{"holidays": 3}', 2027).ok).toBe(false);
  });

  it('reads a line-per-date file with 休 and 班 (a header and a BOM skipped), naming a bad line', () => {
    const csv = '\uFEFF日期,类型\n2027-01-01,休\n2027-02-20,班\n2027-02-06 放假\n';
    expect(parseScheduleFile(csv, 2027)).toEqual({
      ok: true,
      draft: { holidays: ['2027-01-01', '2027-02-06'], makeupWorkdays: ['2027-02-20'] },
    });
    expect(parseScheduleFile('2027-01-01,休\n2027-01-02', 2027)).toEqual({
      ok: false,
      error: '第 2 行应为“日期,休”或“日期,班”：2027-01-02',
    });
  });

  it('writes the lists back with consecutive days folded into ranges', () => {
    expect(formatDates(['2027-02-07', '2027-01-01', '2027-02-06', '2027-02-08', '2027-02-10'])).toBe(
      '2027-01-01\n2027-02-06~2027-02-08\n2027-02-10',
    );
  });
});
