import { Injectable } from '@nestjs/common';
import { actorLabel, AppError, ErrorCodes, INVEST_NOTICE, type TargetCheck } from '@heihe/shared';
import type { Principal } from '../auth';
import { chinaDate, chinaDateTime } from '../common/china-time';
import { Clock } from '../common/clock';
import { Database } from '../db/database';
import { ensureSpace, heading, keyValues, openPdf, paragraph, PDF_LAYOUT, table, type Column } from '../report';
import { checkNumber } from './checks.service';
import { auditList } from './lists-support';

const { PAGE, M, CONTENT_W, INK, MUTED, RULE, ACCENT } = PDF_LAYOUT;
const ROLE = { legal_representative: '法定代表人', director: '董事', supervisor: '监事', manager: '高级管理人员' };
const RELATION = { shareholder: '股东', investee: '被投资企业', key_person: '主要人员任职' };
const pct = (x: number) => `${(Math.round(x * 10000) / 100).toFixed(2)}%`;
const CHAPTERS = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十'];

/**
 * A stored check as a PDF (issue 16, item 7), in the credit report's fonts and layout (the report
 * module's public helpers): the summary, the evaluation, red flags, ultimate holders, risk findings,
 * the related set, key people and outbound investments, each page with the number and the notice.
 */
export async function checkPdf(c: TargetCheck): Promise<Buffer> {
  const { doc, finish } = openPdf({
    Title: `招商对象信用核查报告 ${c.number}`,
    Author: '黑河市信用+精准招商',
    Subject: `${c.name} 招商对象信用核查报告`,
    Keywords: c.number,
    Creator: '黑河市信用+精准招商',
    Producer: '黑河市信用+精准招商',
    CreationDate: new Date(c.createdAt),
    ModDate: new Date(c.createdAt),
  });
  let n = 0;
  // The report's tables move whole to the next page when they fit on one: the heading goes with
  // them (with the first row of a longer one), so no heading is left alone at a page's foot.
  const usable = PAGE.height - M.top - M.bottom;
  const tableHeight = (columns: Column[], rows: string[][]) => {
    doc.font('R').fontSize(9);
    const heights = rows.map(
      (row) =>
        Math.max(
          ...row.map((cell, i) => doc.heightOfString(cell || ' ', { width: columns[i]!.width - 10, lineGap: 1.5 })),
        ) + 10,
    );
    const whole = 24 + heights.reduce((a, b) => a + b, 0);
    return whole <= usable ? whole : 24 + (heights[0] ?? 0);
  };
  const chapter = (t: string, columns?: Column[], rows?: string[][]) =>
    heading(doc, `${CHAPTERS[n++]}、${t}`, columns && rows?.length ? tableHeight(columns, rows) : 40);
  doc.addPage();
  doc
    .font('B')
    .fontSize(22)
    .fillColor(INK)
    .text('招商对象信用核查报告', M.left, M.top, { width: CONTENT_W, align: 'center' });
  doc.moveDown(0.3);
  doc.font('R').fontSize(11).fillColor(MUTED).text(`核查编号：${c.number}`, { width: CONTENT_W, align: 'center' });
  doc.moveDown(0.4);
  doc.font('R').fontSize(10.5).fillColor(ACCENT).text(INVEST_NOTICE, { width: CONTENT_W, align: 'center' });
  doc.moveDown(0.8);
  doc.x = M.left;

  chapter('核查概要');
  keyValues(doc, [
    [['核查对象', c.name]],
    [['统一社会信用代码', c.uscc]],
    [
      ['数据时点', chinaDateTime(new Date(c.asOf))],
      ['评分模型', c.modelVersion ? `第 ${c.modelVersion} 版` : '—'],
    ],
    [
      ['信用等级', c.grade ? `${c.grade} 级（${c.score} 分）` : '未评价'],
      ['公示期内风险', `${c.findings} 条`],
    ],
    [
      ['穿透层级', `${c.depth} 层`],
      ['关联范围', `${c.radius} 层，${c.risks.related.length} 家`],
    ],
    [['核查人', actorLabel(c.createdBy)]],
    [['核查事由', c.purpose]],
  ]);

  const section = (
    title: string,
    columns: Column[],
    rows: string[][],
    empty: string,
    opts: { markColumn?: number } = {},
  ) => {
    chapter(title, columns, rows);
    if (rows.length) table(doc, columns, rows, opts);
    else paragraph(doc, empty, { color: MUTED });
  };
  const w = (x: number) => CONTENT_W * x;

  section(
    '信用评价',
    [
      { title: '评价维度', width: w(0.5) },
      { title: '得分', width: w(0.25), align: 'center' },
      { title: '满分', width: w(0.25), align: 'center' },
    ],
    (c.evaluation?.groups ?? []).map((g) => [g.name, String(g.points), String(g.max)]),
    '该主体在数据时点尚无信用评价。',
  );

  section(
    '红旗预警',
    [
      { title: '预警', width: w(0.16) },
      { title: '原因', width: w(0.36) },
      { title: '阈值', width: w(0.24) },
      { title: '证据', width: w(0.24) },
    ],
    c.risks.redFlags.map((f) => [
      f.label,
      f.reason,
      `${f.threshold.name}\n= ${f.threshold.value}\n观测值 ${Math.round(f.observed * 1000) / 1000}`,
      f.evidence.join('\n'),
    ]),
    '未触发红旗预警。',
  );

  const names = new Map(c.ownership.nodes.map((x) => [x.key, x.name]));
  section(
    '股权穿透：最终持有人',
    [
      { title: '持有人', width: w(0.12) },
      { title: '证件号（脱敏）', width: w(0.2) },
      { title: '累计持股', width: w(0.12), align: 'right' },
      { title: '标记', width: w(0.2) },
      { title: '路径', width: w(0.36) },
    ],
    c.ownership.holders.map((h) => [
      h.name,
      h.idNumberMasked ?? '—',
      pct(h.share),
      h.flags.map((f) => f.label).join('\n') || '—',
      h.paths
        .slice(0, 3)
        .map((p) =>
          [
            names.get(p.edges[0]?.from ?? '') ?? '',
            ...p.edges.map((e) => `${pct(e.share)}→${names.get(e.to) ?? e.to}`),
          ].join(' '),
        )
        .join('\n'),
    ]),
    '未登记股东信息。',
    { markColumn: 3 },
  );

  section(
    '公示期内风险记录',
    [
      { title: '类别', width: w(0.16) },
      { title: '主体', width: w(0.22) },
      { title: '内容', width: w(0.3) },
      { title: '发生日', width: w(0.13), align: 'center' },
      { title: '标注', width: w(0.19), align: 'center' },
    ],
    c.risks.findings.map((f) => [
      f.label,
      `${f.entityName}${f.distance ? `（关联 ${f.distance} 层）` : ''}`,
      f.summary ?? '—',
      f.occurredOn,
      [f.underObjection ? '异议中' : null, f.windowEnds ? `公示至 ${f.windowEnds}` : '在列期间']
        .filter(Boolean)
        .join('\n'),
    ]),
    '目标及关联主体在公示期内无风险记录。',
    { markColumn: 4 },
  );
  const ex = c.risks.excluded;
  paragraph(
    doc,
    `依信用修复规定不计入：已修复 ${ex.repaired} 条、已撤销 ${ex.revoked} 条、超过公示期 ${ex.expired} 条、未生效或已失效 ${ex.notInForce} 条。`,
    { color: MUTED, size: 9.5 },
  );

  section(
    '关联主体',
    [
      { title: '层级', width: w(0.08), align: 'center' },
      { title: '主体', width: w(0.3) },
      { title: '关联方式', width: w(0.32) },
      { title: '等级', width: w(0.1), align: 'center' },
      { title: '风险', width: w(0.2) },
    ],
    c.risks.related.map((r) => [
      String(r.distance),
      r.name,
      r.via
        ? `${RELATION[r.via.relation]}${r.via.person ? `（${r.via.person}）` : ''}，经由${r.via.fromName}`
        : '核查对象',
      r.grade ?? '—',
      r.risk.byCategory.map((x) => `${x.label} ${x.count}`).join('\n') || '—',
    ]),
    '无关联主体。',
  );
  if (c.risks.truncated) paragraph(doc, '关联主体超过上限，外层未列全。', { color: MUTED, size: 9.5 });

  const roles = (rs: Array<keyof typeof ROLE>) => rs.map((r) => ROLE[r]).join('、');
  section(
    '主要人员',
    [
      { title: '人员', width: w(0.11) },
      { title: '证件号（脱敏）', width: w(0.2) },
      { title: '本企业职务', width: w(0.16) },
      { title: '其他企业', width: w(0.27) },
      { title: '任职 / 持股', width: w(0.17) },
      { title: '等级', width: w(0.09), align: 'center' },
    ],
    c.people.persons.flatMap((p) => [
      ...p.posts.map((x) => [p.name, p.idNumberMasked, roles(p.roles), x.name, `任${roles(x.roles)}`, x.grade ?? '—']),
      ...p.holdings.map((x) => [
        p.name,
        p.idNumberMasked,
        roles(p.roles),
        x.name,
        `持股 ${pct(x.ratio)}`,
        x.grade ?? '—',
      ]),
    ]),
    '主要人员无其他任职或投资。',
  );

  section(
    '对外投资',
    [
      { title: '层级', width: w(0.08), align: 'center' },
      { title: '被投资企业', width: w(0.42) },
      { title: '持股', width: w(0.14), align: 'right' },
      { title: '状态', width: w(0.18), align: 'center' },
      { title: '等级', width: w(0.18), align: 'center' },
    ],
    c.investments.items.map((i) => [String(i.level), i.investeeName, pct(i.ratio), i.status ?? '—', i.grade ?? '—']),
    '无对外投资。',
  );

  ensureSpace(doc, 60);
  doc.moveDown(0.6);
  paragraph(doc, `特别提示：本报告为招商对象信用核查的时点快照，${INVEST_NOTICE}。`, { color: ACCENT });

  // Footer on every page: the number, the notice and the page.
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    const fy = PAGE.height - 48;
    doc
      .moveTo(M.left, fy - 8)
      .lineTo(PAGE.width - M.right, fy - 8)
      .lineWidth(0.6)
      .strokeColor(RULE)
      .stroke();
    doc.font('R').fontSize(8.5).fillColor(MUTED);
    doc.text(`${c.number}  ${INVEST_NOTICE}`, M.left, fy, { width: CONTENT_W * 0.8, lineBreak: false });
    doc.text(`第 ${i - range.start + 1} 页 / 共 ${range.count} 页`, M.left + CONTENT_W * 0.8, fy, {
      width: CONTENT_W * 0.2,
      align: 'right',
      lineBreak: false,
    });
    doc.page.margins.bottom = bottom;
  }
  return finish();
}

/** Reads a stored check and renders it; the export is audited (who, which target, the check's purpose). */
@Injectable()
export class CheckPdfService {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
  ) {}

  async export(checkId: number, who: Principal): Promise<{ number: string; name: string; data: Buffer }> {
    const r = await this.db.prisma.targetCheck.findUnique({ where: { id: checkId } });
    if (!r) throw new AppError(ErrorCodes.NOT_FOUND, '核查报告不存在');
    const snapshot = (typeof r.snapshot === 'string' ? JSON.parse(r.snapshot) : r.snapshot) as Omit<
      TargetCheck,
      | 'checkId'
      | 'number'
      | 'entityId'
      | 'uscc'
      | 'name'
      | 'createdAt'
      | 'createdBy'
      | 'purpose'
      | 'modelVersion'
      | 'grade'
      | 'score'
      | 'flags'
      | 'findings'
      | 'notice'
    >;
    const number = checkNumber(r.id, r.createdAt);
    const check: TargetCheck = {
      ...snapshot,
      checkId: r.id,
      number,
      entityId: r.entityId,
      uscc: r.uscc,
      name: r.name,
      createdAt: r.createdAt.toISOString(),
      createdBy: r.createdBy,
      purpose: r.purpose,
      modelVersion: r.modelVersion,
      grade: (r.grade ?? null) as TargetCheck['grade'],
      score: r.score,
      flags: r.flags,
      findings: r.findings,
      notice: INVEST_NOTICE,
    };
    const data = await checkPdf(check);
    await auditList(this.db, this.clock.now(), who, {
      action: 'invest.check.export',
      objectType: 'target_check',
      objectId: String(r.id),
      entityId: r.entityId,
      purpose: r.purpose,
      detail: { number, format: 'pdf', day: chinaDate(this.clock.now()) },
    });
    return { number, name: r.name, data };
  }
}
