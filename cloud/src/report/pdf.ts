import fs from 'node:fs';
import PDFDocument from 'pdfkit';
import QRCode from 'qrcode';
import { REPORT_SECTION_TITLES, type ReportRecord, type ReportSection, type ReportSections } from '@heihe/shared';

/**
 * The public credit report as a PDF, laid out after the national 公共信用信息报告: a cover with the
 * number, dates, purpose and the verification QR code, then 报告说明 and the numbered chapters. The
 * font is Noto Sans SC from the @expo-google-fonts/noto-sans-sc package (TrueType outlines, SIL
 * OFL), never the host's: pdfkit embeds only the glyphs used, so a report stays some 100 KB.
 */

export interface ReportEntity {
  name: string;
  uscc: string;
  type: string;
  status: string;
  establishedOn: string;
  registeredCapital: string;
  paidInCapital: string;
  legalRepName: string | null;
  industryCode: string;
  regionCode: string;
}

export interface ReportEvaluation {
  grade: string;
  score: number;
  modelVersion: number;
  modelName: string;
  evaluatedAt: string;
  groups: Array<{ name: string; points: number; max: number }>;
}

export interface ReportDocument {
  reportNo: string;
  /** China-time display strings (YYYY年MM月DD日 HH:mm). */
  generatedAt: string;
  validUntil: string;
  /** For the PDF's metadata. */
  generatedAtInstant: Date;
  purpose: string;
  issuer: string;
  verificationCode: string;
  verifyUrl: string;
  verifyPage: string;
  validDays: number;
  entity: ReportEntity;
  evaluation: ReportEvaluation | null;
  sections: ReportSections;
  notice: string;
}

const FONT_REGULAR = require.resolve('@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf');
const FONT_BOLD = require.resolve('@expo-google-fonts/noto-sans-sc/700Bold/NotoSansSC_700Bold.ttf');
let fonts: { regular: Buffer; bold: Buffer } | null = null;
/** Read once per process (10 MB each); pdfkit parses and subsets them per document. */
function fontData() {
  fonts ??= { regular: fs.readFileSync(FONT_REGULAR), bold: fs.readFileSync(FONT_BOLD) };
  return fonts;
}

const PAGE = { width: 595.28, height: 841.89 };
const M = { left: 62, right: 62, top: 78, bottom: 70 };
const CONTENT_W = PAGE.width - M.left - M.right;
const INK = '#1a1a1a';
const MUTED = '#5c5c5c';
const RULE = '#9a9a9a';
const ACCENT = '#a4161a';
const HEAD_BG = '#eef1f5';
const MARK = '#b45309';

type Doc = PDFKit.PDFDocument;

/**
 * Loads the fonts and lays out a line in both, so that the first real report does not pay for
 * reading 20 MB of fonts and warming pdfkit and fontkit (about a second, several under load).
 */
export async function warmUp(): Promise<void> {
  const f = fontData();
  const doc = new PDFDocument({ size: 'A4', margins: M });
  doc.registerFont('R', f.regular);
  doc.registerFont('B', f.bold);
  doc.font('R').fontSize(10).text('公共信用信息报告 0123456789');
  doc.font('B').fontSize(10).text('信用评价 ABCDE');
  const ended = new Promise<void>((resolve, reject) => {
    doc.on('end', () => resolve());
    doc.on('error', reject);
  });
  doc.on('data', () => undefined);
  doc.end();
  await ended;
}

/** The page, margins and colours of the report's layout, for other features' PDFs. */
export const PDF_LAYOUT = { PAGE, M, CONTENT_W, INK, MUTED, RULE, ACCENT } as const;

/**
 * A new A4 document in the report's fonts (Noto Sans SC as 'R' and 'B', embedded and subset to the
 * glyphs used) with buffered pages, for other features' PDFs; `finish` ends it and gives the bytes.
 */
export function openPdf(info: PDFKit.DocumentInfo): { doc: Doc; finish: () => Promise<Buffer> } {
  const f = fontData();
  const doc = new PDFDocument({ size: 'A4', margins: M, bufferPages: true, autoFirstPage: false, info, lang: 'zh-CN' });
  doc.registerFont('R', f.regular);
  doc.registerFont('B', f.bold);
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const ended = new Promise<void>((resolve, reject) => {
    doc.on('end', () => resolve());
    doc.on('error', reject);
  });
  return {
    doc,
    finish: async () => {
      doc.end();
      await ended;
      return Buffer.concat(chunks);
    },
  };
}

const CHAPTERS = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十'];

export async function renderReportPdf(r: ReportDocument): Promise<{ data: Buffer; pages: number }> {
  const f = fontData();
  const doc = new PDFDocument({
    size: 'A4',
    margins: M,
    bufferPages: true,
    autoFirstPage: false,
    info: {
      Title: `公共信用信息报告 ${r.reportNo}`,
      Author: r.issuer,
      Subject: `${r.entity.name} 公共信用信息报告`,
      Keywords: r.reportNo,
      Creator: '信用中国（黑河）',
      Producer: '信用中国（黑河）',
      CreationDate: r.generatedAtInstant,
      ModDate: r.generatedAtInstant,
    },
    lang: 'zh-CN',
  });
  doc.registerFont('R', f.regular);
  doc.registerFont('B', f.bold);
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const ended = new Promise<void>((resolve, reject) => {
    doc.on('end', () => resolve());
    doc.on('error', reject);
  });

  await cover(doc, r);
  doc.addPage();
  let chapter = 0;
  const next = (title: string, keepWith?: number) => heading(doc, `${CHAPTERS[chapter++]}、${title}`, keepWith);
  // 报告说明 has its page, as in the national report; the chapters start on the next.
  explanation(doc, r);
  doc.addPage();
  next('基础信息');
  basics(doc, r.entity);
  next('信用评价', r.evaluation ? 84 + 24 + r.evaluation.groups.length * 26 : 40);
  evaluation(doc, r);
  next('行政管理信息');
  sub(doc, '（一）行政许可');
  records(
    doc,
    r.sections.administrative.filter((x) => x.kind === 'licence'),
  );
  sub(doc, '（二）行政处罚');
  records(
    doc,
    r.sections.administrative.filter((x) => x.kind === 'penalty' || x.kind === 'safety_violation'),
  );
  sub(doc, '（三）纳税信用');
  records(
    doc,
    r.sections.administrative.filter((x) => x.kind === 'tax_grade'),
  );
  for (const s of ['honesty', 'serious_dishonesty', 'abnormal_operation', 'judicial', 'other'] as ReportSection[]) {
    next(REPORT_SECTION_TITLES[s]);
    records(doc, r.sections[s]);
  }
  next('信用承诺');
  paragraph(
    doc,
    '截至报告生成时间，公共信用信息平台未归集到该主体作出的信用承诺及其履约信息。市场主体在行政审批、信用修复等事项中作出的信用承诺，将依法纳入信用记录。',
  );
  declaration(doc, r);
  const pages = decorate(doc, r);
  doc.end();
  await ended;
  return { data: Buffer.concat(chunks), pages };
}

// ---- Cover ----------------------------------------------------------------------------------------

async function cover(doc: Doc, r: ReportDocument): Promise<void> {
  doc.addPage();
  const cx = M.left;
  doc.font('R').fontSize(11).fillColor(MUTED).text('信用中国（黑河）', cx, 70, { width: CONTENT_W, align: 'center' });
  doc.font('B').fontSize(30).fillColor(INK).text('公共信用信息报告', cx, 118, {
    width: CONTENT_W,
    align: 'center',
    characterSpacing: 4,
  });
  doc.font('R').fontSize(14).fillColor(INK).text('（市场主体版）', cx, 166, { width: CONTENT_W, align: 'center' });
  doc
    .moveTo(cx + 90, 202)
    .lineTo(PAGE.width - M.right - 90, 202)
    .lineWidth(1.5)
    .strokeColor(ACCENT)
    .stroke();

  doc.font('B').fontSize(18).fillColor(INK).text(r.entity.name, cx, 232, { width: CONTENT_W, align: 'center' });
  const nameBottom = doc.y;
  doc
    .font('R')
    .fontSize(12)
    .fillColor(MUTED)
    .text(`统一社会信用代码：${r.entity.uscc}`, cx, nameBottom + 8, {
      width: CONTENT_W,
      align: 'center',
    });

  const rows: Array<[string, string]> = [
    ['报告编号', r.reportNo],
    ['生成时间', r.generatedAt],
    ['有效期至', r.validUntil],
    ['报告用途', r.purpose],
    ['出具机构', r.issuer],
  ];
  const boxX = cx + 40;
  const boxW = CONTENT_W - 80;
  let y = Math.max(doc.y + 34, 320);
  doc.lineWidth(0.6).strokeColor(RULE);
  for (const [k, v] of rows) {
    doc.font('R').fontSize(12);
    const h = Math.max(28, doc.heightOfString(v, { width: boxW - 120 }) + 14);
    doc.rect(boxX, y, boxW, h).stroke();
    doc.rect(boxX, y, 96, h).fillAndStroke(HEAD_BG, RULE);
    doc
      .fillColor(INK)
      .font('B')
      .fontSize(12)
      .text(k, boxX, y + (h - 17) / 2, { width: 96, align: 'center' });
    doc
      .font('R')
      .fontSize(12)
      .text(v, boxX + 110, y + 7, { width: boxW - 120 });
    y += h;
  }

  // Verification block: QR code (vector modules, crisp at any zoom) and the code in groups.
  const qy = Math.max(y + 40, 560);
  const qsize = 118;
  drawQr(doc, r.verifyUrl, boxX, qy, qsize);
  const tx = boxX + qsize + 22;
  const tw = boxW - qsize - 22;
  doc.font('B').fontSize(13).fillColor(INK).text('报告验证', tx, qy);
  doc
    .font('R')
    .fontSize(10.5)
    .fillColor(MUTED)
    .text('验证码', tx, qy + 24);
  doc
    .font('B')
    .fontSize(15)
    .fillColor(INK)
    .text(r.verificationCode, tx, qy + 40, { width: tw, characterSpacing: 0.5 });
  doc
    .font('R')
    .fontSize(9.5)
    .fillColor(MUTED)
    .text(
      `扫描二维码，或访问 ${r.verifyPage} 输入报告编号和验证码，核验本报告的真实性；也可上传本报告 PDF 文件，核验文件是否被修改。`,
      tx,
      qy + 66,
      { width: tw, lineGap: 2 },
    );

  doc
    .font('R')
    .fontSize(10)
    .fillColor(ACCENT)
    .text(`本报告信用评价结果${r.notice}。`, cx, PAGE.height - 128, { width: CONTENT_W, align: 'center' });
}

function drawQr(doc: Doc, text: string, x: number, y: number, size: number): void {
  const qr = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const n = qr.modules.size;
  const quiet = 2;
  const cell = size / (n + quiet * 2);
  doc.rect(x, y, size, size).fill('#ffffff');
  doc.fillColor('#000000');
  for (let row = 0; row < n; row++)
    for (let col = 0; col < n; col++)
      if (qr.modules.get(row, col)) doc.rect(x + (col + quiet) * cell, y + (row + quiet) * cell, cell, cell);
  doc.fill('#000000');
  doc.lineWidth(0.5).strokeColor(RULE).rect(x, y, size, size).stroke();
}

// ---- Body -----------------------------------------------------------------------------------------

export function ensureSpace(doc: Doc, h: number): void {
  if (doc.y + h > PAGE.height - M.bottom) doc.addPage();
}

/** A chapter heading, kept on a page with `keepWith` points of what follows it. */
export function heading(doc: Doc, title: string, keepWith = 80): void {
  ensureSpace(doc, 50 + keepWith);
  doc.moveDown(0.8);
  const y = doc.y;
  doc.rect(M.left, y + 3, 4, 16).fill(ACCENT);
  doc
    .font('B')
    .fontSize(15)
    .fillColor(INK)
    .text(title, M.left + 12, y, { width: CONTENT_W - 12 });
  doc.moveDown(0.5);
  doc.x = M.left;
}

/** A section heading, kept on a page with a table's header and first row (or the 暂无 line). */
export function sub(doc: Doc, title: string): void {
  ensureSpace(doc, 110);
  doc.moveDown(0.3);
  doc.font('B').fontSize(12).fillColor(INK).text(title, M.left, doc.y, { width: CONTENT_W });
  doc.moveDown(0.3);
}

export function paragraph(doc: Doc, text: string, opts: { color?: string; size?: number } = {}): void {
  doc
    .font('R')
    .fontSize(opts.size ?? 10.5)
    .fillColor(opts.color ?? INK);
  ensureSpace(doc, doc.heightOfString(text, { width: CONTENT_W, lineGap: 3 }) + 4);
  doc.text(text, M.left, doc.y, { width: CONTENT_W, lineGap: 3, align: 'justify' });
  doc.moveDown(0.35);
}

/** A numbered paragraph with a hanging indent. */
function numbered(doc: Doc, n: number, text: string): void {
  const indent = 18;
  doc.font('R').fontSize(10.5).fillColor(INK);
  ensureSpace(doc, doc.heightOfString(text, { width: CONTENT_W - indent, lineGap: 3 }) + 4);
  const y = doc.y;
  doc.text(`${n}.`, M.left, y, { width: indent, lineBreak: false });
  doc.text(text, M.left + indent, y, { width: CONTENT_W - indent, lineGap: 3 });
  doc.moveDown(0.35);
  doc.x = M.left;
}

function explanation(doc: Doc, r: ReportDocument): void {
  doc.font('B').fontSize(17).fillColor(INK).text('报告说明', M.left, doc.y, { width: CONTENT_W, align: 'center' });
  doc.moveDown(0.8);
  const model = r.evaluation ? `（第 ${r.evaluation.modelVersion} 版）` : '';
  const items = [
    `本报告由${r.issuer}依据截至报告生成时间归集的公共信用信息生成，信息来源于行政机关、司法机关、公共服务单位的依法报送，以及经核实的市场主体自主申报信息。`,
    '依据《失信行为纠正后的信用信息修复管理办法》（国家发展改革委令第36号），已完成信用修复的失信信息、公示期届满的信息，以及经异议核查予以撤销的信息，不在本报告中展示。',
    '标注“异议处理中”的信息，市场主体已提出异议，正在核查处理；标注“已更正”的信息，已依据异议核查结果更正。',
    `信用评价结果由黑河市公共信用综合评价模型${model}按动态循环评分法计算，满分 1000 分，分为 A、B、C、D、E 五个等级。评价结果${r.notice}。`,
    `本报告自生成之日起 ${r.validDays} 日内有效，报告内容以核验结果为准。报告文件的任何改动都将导致文件核验不通过。`,
    '市场主体对报告内容有异议的，可通过“黑河信用”小程序或信用中国（黑河）网站提出异议申请。',
  ];
  items.forEach((t, i) => numbered(doc, i + 1, t));
}

export interface Column {
  title: string;
  width: number;
  align?: 'left' | 'center' | 'right';
}

/** A bordered table; long rows wrap, the header row repeats on every page the table crosses. */
export function table(
  doc: Doc,
  columns: Column[],
  rows: string[][],
  opts: { markColumn?: number; keepWith?: number } = {},
): void {
  const pad = 5;
  const size = 9;
  const headerHeight = 24;
  const drawHeader = () => {
    let x = M.left;
    const y = doc.y;
    doc.lineWidth(0.5).strokeColor(RULE);
    for (const c of columns) {
      doc.rect(x, y, c.width, headerHeight).fillAndStroke(HEAD_BG, RULE);
      doc
        .font('B')
        .fontSize(size)
        .fillColor(INK)
        .text(c.title, x + pad, y + 6, { width: c.width - pad * 2, align: 'center' });
      x += c.width;
    }
    doc.y = y + headerHeight;
  };
  doc.font('R').fontSize(size);
  const heights = rows.map(
    (row) =>
      Math.max(
        ...row.map((cell, i) => doc.heightOfString(cell || ' ', { width: columns[i]!.width - pad * 2, lineGap: 1.5 })),
      ) +
      pad * 2,
  );
  // A table that fits on one page is kept on one page; a longer one starts with at least a row.
  const whole = headerHeight + heights.reduce((a, b) => a + b, 0);
  ensureSpace(
    doc,
    whole <= PAGE.height - M.top - M.bottom ? whole + (opts.keepWith ?? 0) : headerHeight + (heights[0] ?? 0),
  );
  drawHeader();
  rows.forEach((row, r) => {
    const h = heights[r]!;
    if (doc.y + h > PAGE.height - M.bottom) {
      doc.addPage();
      drawHeader();
    }
    let x = M.left;
    const y = doc.y;
    row.forEach((cell, i) => {
      const c = columns[i]!;
      doc.lineWidth(0.5).strokeColor(RULE).rect(x, y, c.width, h).stroke();
      const marked = i === opts.markColumn && cell !== '—';
      doc
        .font(marked ? 'B' : 'R')
        .fontSize(size)
        .fillColor(marked ? MARK : INK)
        .text(cell, x + pad, y + pad, { width: c.width - pad * 2, align: c.align ?? 'left', lineGap: 1.5 });
      x += c.width;
    });
    doc.y = y + h;
  });
  doc.x = M.left;
  doc.moveDown(0.6);
}

/** Rows of one or two label–value pairs; a row of one spans the width. */
export function keyValues(doc: Doc, rows: Array<Array<[string, string]>>): void {
  const keyW = 104;
  const size = 10;
  const pad = 6;
  for (const row of rows) {
    const valW = CONTENT_W / row.length - keyW;
    doc.font('R').fontSize(size);
    const h = Math.max(26, ...row.map(([, v]) => doc.heightOfString(v, { width: valW - pad * 2 }) + pad * 2));
    ensureSpace(doc, h);
    const y = doc.y;
    row.forEach(([k, v], j) => {
      const x = M.left + j * (keyW + valW);
      doc.lineWidth(0.5);
      doc.rect(x, y, keyW, h).fillAndStroke(HEAD_BG, RULE);
      doc.rect(x + keyW, y, valW, h).stroke(RULE);
      doc
        .font('B')
        .fontSize(size)
        .fillColor(INK)
        .text(k, x + pad, y + (h - 14) / 2, { width: keyW - pad * 2, align: 'center' });
      doc
        .font('R')
        .fontSize(size)
        .fillColor(INK)
        .text(v, x + keyW + pad, y + pad, { width: valW - pad * 2 });
    });
    doc.y = y + h;
  }
  doc.x = M.left;
  doc.moveDown(0.6);
}

function basics(doc: Doc, e: ReportEntity): void {
  keyValues(doc, [
    [['主体名称', e.name]],
    [['统一社会信用代码', e.uscc]],
    [
      ['法定代表人', e.legalRepName ?? '—'],
      ['主体类型', e.type],
    ],
    [
      ['成立日期', e.establishedOn],
      ['登记状态', e.status],
    ],
    [
      ['注册资本', e.registeredCapital],
      ['实缴资本', e.paidInCapital],
    ],
    [
      ['行业代码', e.industryCode],
      ['行政区划代码', e.regionCode],
    ],
  ]);
}

function evaluation(doc: Doc, r: ReportDocument): void {
  const ev = r.evaluation;
  if (!ev) {
    paragraph(doc, '该主体尚无信用评价结果。');
    return;
  }
  ensureSpace(doc, 84 + 24 + ev.groups.length * 26 + 30);
  const y = doc.y;
  doc.lineWidth(0.8).strokeColor(ACCENT).rect(M.left, y, 92, 72).stroke();
  doc
    .font('R')
    .fontSize(9.5)
    .fillColor(MUTED)
    .text('信用等级', M.left, y + 8, { width: 92, align: 'center' });
  doc
    .font('B')
    .fontSize(30)
    .fillColor(ACCENT)
    .text(ev.grade, M.left, y + 22, { width: 92, align: 'center' });
  const tx = M.left + 110;
  const lines: Array<[string, string]> = [
    ['综合得分', `${ev.score} 分（满分 1000 分）`],
    ['评价模型', `${ev.modelName}（第 ${ev.modelVersion} 版）`],
    ['评价时间', ev.evaluatedAt],
  ];
  lines.forEach(([k, v], i) => {
    doc
      .font('B')
      .fontSize(10.5)
      .fillColor(INK)
      .text(`${k}：`, tx, y + 6 + i * 22, { continued: true })
      .font('R')
      .text(v);
  });
  doc.x = M.left;
  doc.y = y + 84;
  table(
    doc,
    [
      { title: '评价维度', width: CONTENT_W * 0.5 },
      { title: '得分', width: CONTENT_W * 0.25, align: 'center' },
      { title: '满分', width: CONTENT_W * 0.25, align: 'center' },
    ],
    ev.groups.map((g) => [g.name, String(g.points), String(g.max)]),
  );
  paragraph(doc, `注：信用评价结果${r.notice}。`, { color: MUTED, size: 9.5 });
}

function records(doc: Doc, list: ReportRecord[]): void {
  if (!list.length) {
    paragraph(doc, '暂无相关信息。', { color: MUTED });
    return;
  }
  const w = CONTENT_W;
  table(
    doc,
    [
      { title: '序号', width: w * 0.07, align: 'center' },
      { title: '类别', width: w * 0.17 },
      { title: '内容', width: w * 0.33 },
      { title: '认定机关', width: w * 0.16 },
      { title: '日期', width: w * 0.14, align: 'center' },
      { title: '标注', width: w * 0.13, align: 'center' },
    ],
    list.map((x, i) => [
      String(i + 1),
      x.detail ? `${x.kindLabel}\n（${x.detail}）` : x.kindLabel,
      [x.summary, x.documentNo && x.documentNo !== x.summary ? `文书号：${x.documentNo}` : null]
        .filter(Boolean)
        .join('\n') || '—',
      x.authority ?? '—',
      x.validTo ? `${x.occurredOn}\n公示至\n${x.validTo}` : x.occurredOn,
      x.marks.join('\n') || '—',
    ]),
    { markColumn: 5 },
  );
}

function declaration(doc: Doc, r: ReportDocument): void {
  ensureSpace(doc, 120);
  doc.moveDown(1);
  const y = doc.y;
  doc.lineWidth(0.8).strokeColor(ACCENT).rect(M.left, y, CONTENT_W, 64).stroke();
  doc
    .font('B')
    .fontSize(11)
    .fillColor(ACCENT)
    .text('特别提示', M.left + 12, y + 10, { width: CONTENT_W - 24 });
  doc
    .font('R')
    .fontSize(10)
    .fillColor(INK)
    .text(
      `本报告中的信用评价结果${r.notice}。报告信息仅反映截至生成时间归集的公共信用信息，使用者应结合报告用途审慎使用。`,
      M.left + 12,
      y + 28,
      { width: CONTENT_W - 24, lineGap: 2 },
    );
  doc.y = y + 74;
  doc
    .font('R')
    .fontSize(10)
    .fillColor(MUTED)
    .text('（报告正文结束）', M.left, doc.y, { width: CONTENT_W, align: 'center' });
}

/** The running header (from page 2) and the footer with the report number and page numbers, on every page. */
function decorate(doc: Doc, r: ReportDocument): number {
  const range = doc.bufferedPageRange();
  const total = range.count;
  for (let i = range.start; i < range.start + total; i++) {
    doc.switchToPage(i);
    // Writing in the margins must not open a new page.
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    if (i > range.start) {
      doc.font('R').fontSize(9).fillColor(MUTED);
      doc.text('公共信用信息报告（市场主体版）', M.left, 44, { width: CONTENT_W / 2, lineBreak: false });
      doc.text(r.entity.name, M.left + CONTENT_W / 2, 44, { width: CONTENT_W / 2, align: 'right', lineBreak: false });
      doc
        .moveTo(M.left, 60)
        .lineTo(PAGE.width - M.right, 60)
        .lineWidth(0.6)
        .strokeColor(RULE)
        .stroke();
    }
    const fy = PAGE.height - 48;
    doc
      .moveTo(M.left, fy - 8)
      .lineTo(PAGE.width - M.right, fy - 8)
      .lineWidth(0.6)
      .strokeColor(RULE)
      .stroke();
    doc.font('R').fontSize(9).fillColor(MUTED);
    doc.text(`报告编号：${r.reportNo}`, M.left, fy, { width: CONTENT_W / 2, lineBreak: false });
    doc.text(`第 ${i - range.start + 1} 页  共 ${total} 页`, M.left + CONTENT_W / 2, fy, {
      width: CONTENT_W / 2,
      align: 'right',
      lineBreak: false,
    });
    doc.page.margins.bottom = bottom;
  }
  return total;
}
