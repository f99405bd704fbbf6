import ExcelJS from 'exceljs';
import { actorLabel, type TargetCheck } from '@heihe/shared';

const ROLE = { legal_representative: '法定代表人', director: '董事', supervisor: '监事', manager: '高级管理人员' };
const RELATION = { shareholder: '股东', investee: '被投资企业', key_person: '主要人员任职' };
const FLAG: Record<string, string> = {
  actual_controller: '疑似实际控制人',
  beneficial_owner: '受益所有人',
  paid_in_low: '实缴资本远低于注册资本',
  young_holder: '股东新近设立',
  low_grade_related: '关联方低等级较多',
  financing_unregistered: '融资后无登记变更',
};
const pct = (x: number) => Math.round(x * 10000) / 10000;

/**
 * A stored check as an Excel workbook: a summary sheet (number, target, as-of, model, grade,
 * purpose, flags, the notice) and one sheet per section, every sheet ending with the notice.
 */
export async function checkWorkbook(c: TargetCheck): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = '黑河市信用+精准招商';
  wb.created = new Date(c.createdAt);
  const sheet = (name: string, header: string[], rows: Array<Array<string | number | null>>, widths: number[]) => {
    const ws = wb.addWorksheet(name);
    ws.addRow(header).font = { bold: true };
    for (const r of rows) ws.addRow(r);
    ws.addRow([]);
    ws.addRow([c.notice]).font = { italic: true, color: { argb: 'FF6B7280' } };
    widths.forEach((w, i) => (ws.getColumn(i + 1).width = w));
    ws.views = [{ state: 'frozen', ySplit: 1 }];
    return ws;
  };
  const ws = wb.addWorksheet('概要');
  for (const [k, v] of [
    ['核查编号', c.number],
    ['核查对象', c.name],
    ['统一社会信用代码', c.uscc],
    ['数据时点', c.asOf],
    ['核查人', actorLabel(c.createdBy)],
    ['核查事由', c.purpose],
    ['评分模型版本', c.modelVersion ?? '—'],
    ['信用等级', c.grade ? `${c.grade} 级（${c.score} 分）` : '未评价'],
    ['预警', c.flags.map((f) => FLAG[f] ?? f).join('、') || '无'],
    ['公示期内风险记录', c.findings],
    ['关联范围', `${c.radius} 层，${c.risks.related.length} 家`],
    ['穿透层级', c.depth],
    ['说明', c.notice],
  ] as const)
    ws.addRow([k, v]).getCell(1).font = { bold: true };
  ws.getColumn(1).width = 20;
  ws.getColumn(2).width = 80;

  sheet(
    '红旗预警',
    ['预警', '原因', '阈值设置', '阈值', '观测值', '证据'],
    c.risks.redFlags.map((f) => [
      f.label,
      f.reason,
      f.threshold.name,
      f.threshold.value,
      f.observed,
      f.evidence.join('\n'),
    ]),
    [22, 60, 24, 10, 10, 80],
  );
  sheet(
    '风险记录',
    ['类别', '异议中', '主体', '关联层级', '内容', '机关', '文号', '发生日', '公示截止'],
    c.risks.findings.map((f) => [
      f.label,
      f.underObjection ? '是' : '',
      f.entityName,
      f.distance,
      f.summary,
      f.authority,
      f.documentNo,
      f.occurredOn,
      f.windowEnds ?? '在列期间',
    ]),
    [18, 8, 30, 10, 40, 26, 26, 12, 12],
  );
  sheet(
    '关联主体',
    ['层级', '主体', '统一社会信用代码', '关联方式', '经由', '等级', '分数', '风险摘要'],
    c.risks.related.map((r) => [
      r.distance,
      r.name,
      r.uscc,
      r.via ? `${RELATION[r.via.relation]}${r.via.person ? `（${r.via.person}）` : ''}` : '目标',
      r.via?.fromName ?? '',
      r.grade,
      r.score,
      r.risk.byCategory.map((x) => `${x.label} ${x.count}`).join('、'),
    ]),
    [8, 32, 22, 22, 32, 8, 8, 40],
  );
  const names = new Map(c.ownership.nodes.map((n) => [n.key, n.name]));
  sheet(
    '最终持有人',
    ['持有人', '类型', '证件号（脱敏）', '累计持股', '直接持股', '标记', '路径'],
    c.ownership.holders.map((h) => [
      h.name,
      h.kind === 'person' ? '自然人' : h.kind === 'entity' ? '企业' : '外部主体',
      h.idNumberMasked,
      pct(h.share),
      pct(h.directShare),
      h.flags.map((f) => f.label).join('、'),
      h.paths
        .map((p) =>
          [
            names.get(p.edges[0]?.from ?? '') ?? '',
            ...p.edges.map((e) => `${pct(e.share) * 100}% → ${names.get(e.to) ?? e.to}`),
          ].join(' '),
        )
        .join('\n'),
    ]),
    [16, 8, 20, 10, 10, 26, 90],
  );
  sheet(
    '主要人员',
    ['人员', '证件号（脱敏）', '本企业职务', '关系', '企业', '职务 / 持股', '等级', '风险摘要'],
    c.people.persons.flatMap((p) => [
      ...p.posts.map((x) => [
        p.name,
        p.idNumberMasked,
        p.roles.map((r) => ROLE[r]).join('、'),
        '任职',
        x.name,
        x.roles.map((r) => ROLE[r]).join('、'),
        x.grade,
        x.risk.byCategory.map((y) => `${y.label} ${y.count}`).join('、'),
      ]),
      ...p.holdings.map((x) => [
        p.name,
        p.idNumberMasked,
        p.roles.map((r) => ROLE[r]).join('、'),
        '持股',
        x.name,
        `${pct(x.ratio) * 100}%`,
        x.grade,
        x.risk.byCategory.map((y) => `${y.label} ${y.count}`).join('、'),
      ]),
    ]),
    [10, 20, 18, 8, 32, 18, 8, 40],
  );
  sheet(
    '对外投资',
    ['层级', '被投资企业', '统一社会信用代码', '持股', '出资额（元）', '状态', '等级'],
    c.investments.items.map((i) => [
      i.level,
      i.investeeName,
      i.investeeUscc,
      pct(i.ratio),
      i.amount,
      i.status,
      i.grade,
    ]),
    [8, 32, 22, 10, 16, 10, 8],
  );
  sheet(
    '信用评价',
    ['指标', '名称', '维度', '得分', '满分'],
    (c.evaluation?.indicators ?? []).map((i) => [i.code, i.name, i.group, i.points, i.max]),
    [10, 30, 12, 10, 10],
  );
  return Buffer.from(await wb.xlsx.writeBuffer());
}
