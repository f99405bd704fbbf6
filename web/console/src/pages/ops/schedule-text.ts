/**
 * A year's holiday schedule as an administrator keys it in or uploads it: dates and ranges
 * (2027-02-06~2027-02-12, or 至) separated by spaces, commas or lines; or a file, either JSON
 * ({ holidays, makeupWorkdays }) or one line per date with 休/放假 or 班/上班. Only shape and year
 * are checked here; the calendar's own rules (makeup days on weekends …) are the API's.
 */
export interface ScheduleDraft {
  holidays: string[];
  makeupWorkdays: string[];
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function validDay(d: string): boolean {
  if (!DATE.test(d)) return false;
  const t = new Date(`${d}T00:00:00Z`);
  return !Number.isNaN(t.getTime()) && t.toISOString().slice(0, 10) === d;
}

function nextDay(d: string): string {
  const t = new Date(`${d}T00:00:00Z`);
  t.setUTCDate(t.getUTCDate() + 1);
  return t.toISOString().slice(0, 10);
}

/** Dates and ranges in text, sorted and unique; or the first entry that is not one, in words. */
export function parseDates(text: string, year: number): { ok: true; dates: string[] } | { ok: false; error: string } {
  const out = new Set<string>();
  const tokens = text
    .replace(/\s*(~|～|至|—)\s*/g, '~')
    .split(/[\s,，、;；]+/)
    .filter(Boolean);
  for (const token of tokens) {
    const parts = token.split('~');
    const from = parts[0] ?? '';
    const to = parts[1] ?? from;
    if (parts.length > 2 || !validDay(from) || !validDay(to))
      return { ok: false, error: `“${token}”不是有效日期（应为 YYYY-MM-DD）` };
    if (to < from) return { ok: false, error: `“${token}”的结束日期早于开始日期` };
    for (let d = from; d <= to; d = nextDay(d)) {
      if (Number(d.slice(0, 4)) !== year) return { ok: false, error: `${d} 不在 ${year} 年内` };
      out.add(d);
      if (out.size > 366) return { ok: false, error: '日期过多' };
    }
  }
  return { ok: true, dates: [...out].sort() };
}

/** The contents of an uploaded file, as the two lists. */
export function parseScheduleFile(
  text: string,
  year: number,
): { ok: true; draft: ScheduleDraft } | { ok: false; error: string } {
  const trimmed = text.replace(/^\uFEFF/, '').trim();
  if (trimmed.startsWith('{')) {
    let doc: unknown;
    try {
      doc = JSON.parse(trimmed);
    } catch {
      return { ok: false, error: '文件不是有效的 JSON' };
    }
    const d = doc as { year?: unknown; holidays?: unknown; makeupWorkdays?: unknown };
    if (d.year !== undefined && d.year !== year)
      return { ok: false, error: `文件是 ${String(d.year)} 年的安排，不是 ${year} 年` };
    if (!Array.isArray(d.holidays) || !(d.makeupWorkdays === undefined || Array.isArray(d.makeupWorkdays)))
      return { ok: false, error: 'JSON 应包含 holidays 与 makeupWorkdays 两个日期数组' };
    const holidays = parseDates(d.holidays.map(String).join(' '), year);
    if (!holidays.ok) return holidays;
    const makeup = parseDates(((d.makeupWorkdays as unknown[] | undefined) ?? []).map(String).join(' '), year);
    if (!makeup.ok) return makeup;
    return { ok: true, draft: { holidays: holidays.dates, makeupWorkdays: makeup.dates } };
  }
  const holidays: string[] = [];
  const makeup: string[] = [];
  for (const [i, raw] of trimmed.split(/\r?\n/).entries()) {
    const line = raw.trim();
    if (!line || line.startsWith('#') || /^date|^日期/i.test(line)) continue;
    const m = /^(\S+?)\s*[,，\s]\s*(休|放假|holiday|班|上班|workday)\s*$/i.exec(line);
    if (!m) return { ok: false, error: `第 ${i + 1} 行应为“日期,休”或“日期,班”：${line}` };
    (/^(休|放假|holiday)$/i.test(m[2]!) ? holidays : makeup).push(m[1]!);
  }
  const h = parseDates(holidays.join(' '), year);
  if (!h.ok) return h;
  const w = parseDates(makeup.join(' '), year);
  if (!w.ok) return w;
  return { ok: true, draft: { holidays: h.dates, makeupWorkdays: w.dates } };
}

/** The lists back as the form's text: consecutive days folded into ranges. */
export function formatDates(dates: readonly string[]): string {
  const parts: string[] = [];
  let start: string | null = null;
  let prev: string | null = null;
  for (const d of [...dates].sort()) {
    if (prev !== null && nextDay(prev) === d) {
      prev = d;
      continue;
    }
    if (start !== null) parts.push(start === prev ? start : `${start}~${prev}`);
    start = prev = d;
  }
  if (start !== null) parts.push(start === prev ? start : `${start}~${prev}`);
  return parts.join('\n');
}
