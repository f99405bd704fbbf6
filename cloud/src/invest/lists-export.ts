import ExcelJS from 'exceljs';
import { actorLabel, INVEST_NOTICE, type ParkCheck, type SavedScreening, type ScreeningRun } from '@heihe/shared';
import { chinaDate } from '../common/china-time';

type Plain = Omit<ScreeningRun['items'][number], 'chains'>;

function sheetOf(
  wb: ExcelJS.Workbook,
  name: string,
  header: string[],
  rows: Array<Array<string | number | null>>,
  widths: number[],
) {
  const ws = wb.addWorksheet(name);
  ws.addRow(header).font = { bold: true };
  for (const r of rows) ws.addRow(r);
  ws.addRow([]);
  ws.addRow([INVEST_NOTICE]).font = { italic: true, color: { argb: 'FF6B7280' } };
  widths.forEach((w, i) => (ws.getColumn(i + 1).width = w));
  ws.views = [{ state: 'frozen', ySplit: 1 }];
  return ws;
}

function summarySheet(wb: ExcelJS.Workbook, rows: Array<[string, string | number]>) {
  const ws = wb.addWorksheet('概要');
  for (const [k, v] of [...rows, ['说明', INVEST_NOTICE] as [string, string]])
    ws.addRow([k, v]).getCell(1).font = { bold: true };
  ws.getColumn(1).width = 20;
  ws.getColumn(2).width = 90;
}

/**
 * A saved screening's last run as a workbook: a summary (name, filter in words, purpose, run time),
 * the entities in rank order, and the diff with the run before; every sheet ends with the notice.
 */
export async function screeningWorkbook(x: {
  screening: SavedScreening;
  items: Plain[];
  diff: ScreeningRun['diff'];
  exportedAt: Date;
  exportedBy: string;
}): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = '黑河市信用+精准招商';
  wb.created = x.exportedAt;
  const s = x.screening;
  summarySheet(wb, [
    ['清单名称', s.name],
    ['筛选条件', s.filterText],
    ['筛选事由', s.purpose],
    ['最近运行', s.lastRunAt ?? '—'],
    ['运行次数', s.runs],
    ['企业数', x.items.length],
    [
      '较上次变化',
      x.diff
        ? `新增 ${x.diff.added.length}，移出 ${x.diff.removed.length}，等级变化 ${x.diff.gradeChanged.length}`
        : '首次运行，无对比',
    ],
    ['导出时间', x.exportedAt.toISOString()],
    ['导出人', x.exportedBy],
  ]);
  sheetOf(
    wb,
    '企业清单',
    ['排名', '企业名称', '统一社会信用代码', '信用等级', '信用分'],
    x.items.map((e, i) => [i + 1, e.name, e.uscc, e.grade, e.score]),
    [8, 36, 22, 10, 10],
  );
  const d = x.diff ?? { added: [], removed: [], gradeChanged: [] };
  sheetOf(
    wb,
    '较上次变化',
    ['变化', '企业名称', '统一社会信用代码', '原等级', '现等级', '现分数'],
    [
      ...d.added.map((e) => ['新增', e.name, e.uscc, '', e.grade, e.score]),
      ...d.removed.map((e) => ['移出', e.name, e.uscc, e.grade, '', '']),
      ...d.gradeChanged.map((e) => ['等级变化', e.name, e.uscc, e.fromGrade, e.grade, e.score]),
    ],
    [10, 36, 22, 10, 10, 10],
  );
  return Buffer.from(await wb.xlsx.writeBuffer());
}

const FAILURE_ORDER = [
  'malformed',
  'checksum',
  'duplicate',
  'not_found',
  'not_active',
  'ungraded',
  'grade_below',
  'serious_dishonesty',
];

/** An 入园 check as a workbook: the summary, every row with its result, and the failures alone. */
export async function parkCheckWorkbook(c: ParkCheck): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = '黑河市信用+精准招商';
  wb.created = new Date(c.createdAt);
  summarySheet(wb, [
    ['核查编号', c.number],
    ['园区', c.park || '—'],
    ['核查事由', c.purpose],
    ['核查人', actorLabel(c.createdBy)],
    ['核查时间', `${chinaDate(new Date(c.createdAt))}（${c.createdAt}）`],
    ['信用门槛', `登记存续、信用等级不低于 ${c.minGrade} 级、公示期内无严重失信`],
    ['代码数', c.total],
    ['通过', c.passed],
    ['未通过或需核查', c.failed],
  ]);
  const row = (r: ParkCheck['rows'][number]) => [
    r.line,
    r.input,
    r.checksumOk === false ? '校验位不符' : r.checksumOk ? '通过' : '格式不符',
    r.name ?? '',
    r.grade ?? '',
    r.score,
    r.gatePassed ? '通过' : '未通过',
    r.flags.map((f) => `${f.label} ${f.count}`).join('、') + (r.underObjection ? `（异议中 ${r.underObjection}）` : ''),
    r.failures.map((f) => f.message).join('；'),
  ];
  const header = [
    '序号',
    '统一社会信用代码',
    '代码校验',
    '企业名称',
    '等级',
    '分数',
    '信用门槛',
    '公示期内风险',
    '问题',
  ];
  const widths = [6, 22, 12, 32, 6, 8, 10, 34, 50];
  sheetOf(wb, '核查结果', header, c.rows.map(row), widths);
  sheetOf(
    wb,
    '问题清单',
    header,
    c.rows
      .filter((r) => r.failures.length)
      .sort(
        (a, b) =>
          FAILURE_ORDER.indexOf(a.failures[0]!.code) - FAILURE_ORDER.indexOf(b.failures[0]!.code) || a.line - b.line,
      )
      .map(row),
    widths,
  );
  return Buffer.from(await wb.xlsx.writeBuffer());
}
