import crypto from 'node:crypto';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPORT_NO_PATTERN, RESULT_NOTICE, type CreatedCreditReport, type CreditReport } from '@heihe/shared';
import { REPO_ROOT } from '../../cloud/src/config/config';
import { Ingestor } from '../../cloud/src/ingest/ingestor';
import { currentVersion, writeVersion, type VersionChange } from '../../cloud/src/review/record-versions';
import { Scorer } from '../../cloud/src/scoring/scorer';
import { requireService } from '../../cloud/src/testing/services';
import { testBackends } from '../../cloud/src/testing/test-db';
import { chinaDate } from '../../cloud/src/common/china-time';
import { upload } from '../rights/support/api';
import { codeOf, expectStatus, Harness, type EnterpriseUser, type SeededEnterprise } from '../support/harness';

const ARTIFACTS = path.join(REPO_ROOT, 'test', 'artifacts', 'report');
const daysAgo = (n: number) => chinaDate(new Date(Date.now() - n * 86_400_000));
const zbarInstalled = (() => {
  try {
    execFileSync('zbarimg', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
const readsQr = requireService('zbar', zbarInstalled, 'the QR code check of the credit report');

/** The per-IP allowance this suite runs with; the rate-limit test spends what is left of it. */
const VERIFY_PER_MINUTE = 15;

/** Records through the ordinary ingestion path; returns record ids by key. */
async function deliver(h: Harness, e: SeededEnterprise, rows: Array<Record<string, unknown> & { key: string }>) {
  const ingestor = new Ingestor(h.db, h.vault);
  const batch = await ingestor.startBatch('report-e2e');
  const res = await ingestor.applyChunk(
    batch,
    rows.map(({ key, ...r }, i) => ({
      line: i + 1,
      raw: { type: 'record', sourceSystem: 'report-e2e', sourceId: `${e.uscc}-${key}`, uscc: e.uscc, ...r },
    })),
  );
  await ingestor.finishBatch(batch, 'done');
  if (res.rejected) throw new Error(JSON.stringify(res.errors));
  const ids = await h.db.prisma.creditRecord.findMany({
    where: { sourceSystem: 'report-e2e', sourceId: { in: rows.map((r) => `${e.uscc}-${r.key}`) } },
    select: { id: true, sourceId: true },
  });
  return new Map(ids.map((r) => [r.sourceId.slice(e.uscc.length + 1), Number(r.id)]));
}

/** A new version of a record, as the objection and repair workflows write one. */
async function rewrite(h: Harness, entityId: number, recordId: number, change: VersionChange, reason: string) {
  await h.db.tx(async (sql) => {
    const cur = await currentVersion(sql, entityId, recordId, { lock: true });
    await writeVersion(sql, cur, change, reason, new Date());
  });
}

/** The PDF's text in reading order (each table cell a block, so a wrapped cell reads whole). */
function pdfText(file: string): string {
  return execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' });
}

/** Every page as a PNG in test/artifacts/report/<name>-<n>.png; returns the paths. */
function pdfPages(file: string, name: string): string[] {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  for (const f of fs.readdirSync(ARTIFACTS)) if (f.startsWith(`${name}-`)) fs.rmSync(path.join(ARTIFACTS, f));
  execFileSync('pdftoppm', ['-r', '110', '-png', file, path.join(ARTIFACTS, name)]);
  return fs
    .readdirSync(ARTIFACTS)
    .filter((f) => f.startsWith(`${name}-`) && f.endsWith('.png'))
    .sort()
    .map((f) => path.join(ARTIFACTS, f));
}

describe.each(testBackends())('the public credit report on %s', (backend) => {
  jest.setTimeout(60_000);
  let h: Harness;
  let a: SeededEnterprise;
  let userA: EnterpriseUser;
  let userB: EnterpriseUser;
  let report: CreatedCreditReport;
  let pdf: Buffer;
  let pdfFile: string;
  let tmp: string;

  beforeAll(async () => {
    h = await Harness.start(backend, { env: { REPORT_VERIFY_PER_MINUTE: String(VERIFY_PER_MINUTE) } });
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'heihe-report-e2e-'));
    [a] = h.enterprises;
    [userA, userB] = await Promise.all([
      h.signInAsEnterpriseUser({ enterprise: 0 }),
      h.signInAsEnterpriseUser({ enterprise: 1 }),
    ]);
    const ids = await deliver(h, a, [
      {
        key: 'P-OBJ',
        kind: 'penalty',
        severity: 'general',
        occurredOn: daysAgo(40),
        summary: '未按规定期限公示年度报告',
        documentNo: '黑市监罚〔2026〕101号',
        authority: '黑河市市场监督管理局',
      },
      {
        key: 'P-FIX',
        kind: 'penalty',
        severity: 'general',
        occurredOn: daysAgo(60),
        summary: '超范围经营（原记载）',
        documentNo: '黑市监罚〔2026〕102号',
        authority: '黑河市市场监督管理局',
      },
      {
        key: 'P-REP',
        kind: 'penalty',
        severity: 'general',
        occurredOn: daysAgo(200),
        summary: '已修复的处罚甲乙丙',
        documentNo: '黑市监罚〔2026〕103号',
        authority: '黑河市市场监督管理局',
      },
      {
        key: 'P-OLD',
        kind: 'penalty',
        severity: 'general',
        occurredOn: daysAgo(500),
        summary: '公示期届满的处罚丁戊己',
        documentNo: '黑市监罚〔2025〕9号',
        authority: '黑河市市场监督管理局',
      },
      {
        key: 'H-1',
        kind: 'honour',
        category: 'provincial',
        occurredOn: daysAgo(300),
        summary: '黑龙江省守合同重信用企业',
        authority: '黑龙江省市场监督管理局',
      },
      {
        key: 'L-1',
        kind: 'licence',
        occurredOn: daysAgo(900),
        summary: '食品经营许可证',
        documentNo: 'JY12311000012345',
        authority: '黑河市行政审批局',
      },
    ]);
    await rewrite(h, a.entityId, ids.get('P-OBJ')!, { status: 'under_objection' }, 'objection_filed');
    await rewrite(
      h,
      a.entityId,
      ids.get('P-FIX')!,
      { severity: 'minor', summary: '超范围经营（更正后）', status: 'active' },
      'objection_upheld',
    );
    await rewrite(h, a.entityId, ids.get('P-REP')!, { status: 'repaired' }, 'repair_approved');
    await new Scorer(h.db).rescore([a.entityId, h.enterprises[1].entityId], 'report-e2e');

    const created = await h.post<CreatedCreditReport>(
      '/credit-reports',
      { entityId: a.entityId, purpose: '银行贷款申请（信易贷）' },
      userA.auth,
    );
    expectStatus(created, 201, 'createCreditReport');
    report = created.body;
    const file = await fetch(`${h.baseUrl}/credit-reports/${report.id}/file`, {
      headers: { authorization: `Bearer ${userA.accessToken}` },
    });
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toBe('application/pdf');
    pdf = Buffer.from(await file.arrayBuffer());
    pdfFile = path.join(tmp, 'report.pdf');
    fs.writeFileSync(pdfFile, pdf);
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    fs.copyFileSync(pdfFile, path.join(ARTIFACTS, `report-${backend}.pdf`));
  }, 180_000);
  afterAll(async () => {
    await h?.close();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('issues a numbered report with its grade, a 100-bit code and the QR address, and a PDF matching its SHA-256', async () => {
    const score = await h.db.prisma.entityScore.findFirst({ where: { entityId: a.entityId } });

    expect(report.reportNo).toMatch(REPORT_NO_PATTERN);
    expect(report.verificationCode).toMatch(/^([0-9A-HJKMNP-TV-Z]{5}-){3}[0-9A-HJKMNP-TV-Z]{5}$/);
    expect(report).toMatchObject({
      entityId: a.entityId,
      enterpriseName: a.name,
      uscc: a.uscc,
      purpose: '银行贷款申请（信易贷）',
      requestedBy: 'enterprise',
      expired: false,
      notice: RESULT_NOTICE,
      summary: { grade: score!.grade, score: score!.total, modelVersion: score!.modelVersion },
    });
    // The demo data's own licences and tax grades are shown too; this suite adds a licence and two penalties.
    const [demo] = await h.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM credit_record_version v JOIN credit_record r ON r.id = v.record_id
       WHERE v.entity_id = $1 AND v.superseded_at IS NULL AND v.kind IN ('licence', 'tax_grade')
         AND v.status = 'active' AND r.source_system <> 'report-e2e' AND (v.valid_to IS NULL OR v.valid_to > CURRENT_DATE)`,
      [a.entityId],
    );
    expect(report.summary.records).toMatchObject({ administrative: 3 + demo!.n, honesty: 1, serious_dishonesty: 0 });
    expect(report.verifyUrl).toBe(
      `http://localhost:${h.config.PORT}/site/verify?no=${report.reportNo}&code=${report.verificationCode.replace(/-/g, '')}`,
    );
    expect(Date.parse(report.validUntil) - Date.parse(report.generatedAt)).toBe(30 * 86_400_000);
    expect(crypto.createHash('sha256').update(pdf).digest('hex')).toBe(report.sha256);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
  });

  it('prints the name, grade, marks and notice, and neither the repaired record nor one past its publicity window', () => {
    const text = pdfText(pdfFile);
    const flat = text.replace(/\s+/g, '');

    expect(flat).toContain(a.name);
    expect(flat).toContain(a.uscc);
    expect(flat).toContain(report.reportNo);
    expect(flat).toContain(report.verificationCode);
    expect(flat).toContain(`综合得分：${report.summary.score}分`);
    expect(flat).toContain(`信用等级${report.summary.grade}综合得分`);
    expect(flat).toContain('异议处理中');
    expect(flat).toContain('已更正');
    expect(flat).toContain('超范围经营（更正后）');
    expect(flat).not.toContain('（原记载）');
    expect(flat).toContain(RESULT_NOTICE);
    expect(flat).toContain('黑龙江省守合同重信用企业');
    expect(flat).toContain('食品经营许可证');
    for (const chapter of [
      '报告说明',
      '基础信息',
      '信用评价',
      '行政管理信息',
      '诚实守信信息',
      '严重失信主体名单信息',
      '经营异常名录信息',
      '司法信息',
      '信用承诺',
    ])
      expect(flat).toContain(chapter);
    expect(flat).not.toContain('已修复的处罚甲乙丙');
    expect(flat).not.toContain('公示期届满的处罚丁戊己');
    expect(flat).toMatch(/第1页共\d+页/);
  });

  it('puts the report number and the page number on every page, embeds a subset of its own CJK font, and renders to PNG', () => {
    const pages = pdfText(pdfFile)
      .split('\f')
      .filter((p) => p.trim());
    const fonts = execFileSync('pdffonts', [pdfFile], { encoding: 'utf8' });
    const pngs = pdfPages(pdfFile, `page-${backend}`);

    expect(pages.length).toBe(report.pages);
    pages.forEach((p, i) => {
      expect(p).toContain(`报告编号：${report.reportNo}`);
      expect(p.replace(/\s+/g, '')).toContain(`第${i + 1}页共${pages.length}页`);
    });
    // Every font is an embedded subset of Noto Sans SC (name prefixed ABCDEF+), none the host's.
    const rows = fonts.split('\n').slice(2).filter(Boolean);
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) expect(row).toMatch(/^[A-Z]{6}\+NotoSansSC-\S+ .* yes yes /);
    expect(pdf.length).toBeLessThan(400_000);
    expect(pngs.length).toBe(report.pages);
  });

  (readsQr ? it : it.skip)("carries a QR code on the cover that reads as the verification page's address", () => {
    const [cover] = pdfPages(pdfFile, `page-${backend}`);
    const read = execFileSync('zbarimg', ['-q', '--raw', cover!], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();

    expect(read).toBe(report.verifyUrl);
  });

  it('verifies by number and code as typed, and answers a wrong number or code alike, without saying which', async () => {
    const typed = report.verificationCode.toLowerCase().replace(/-/g, ' ');
    const ok = await h.post<Record<string, unknown>>('/credit-reports/verification', {
      reportNo: report.reportNo.toLowerCase(),
      code: typed,
    });
    const wrongCode = await h.post('/credit-reports/verification', {
      reportNo: report.reportNo,
      code: 'ABCDE-FGHJK-MNPQR-STVWX',
    });
    const wrongNo = await h.post('/credit-reports/verification', {
      reportNo: report.reportNo.replace(/.$/, (c) => (c === '0' ? '1' : '0')),
      code: report.verificationCode,
    });
    const garbage = await h.post('/credit-reports/verification', { reportNo: 'x', code: 'y' });

    expect(ok.status).toBe(200);
    expect(ok.body).toEqual({
      authentic: true,
      reportNo: report.reportNo,
      generatedAt: report.generatedAt,
      validUntil: report.validUntil,
      expired: false,
      enterpriseName: a.name,
      uscc: a.uscc,
      purpose: report.purpose,
      summary: report.summary,
      sha256: report.sha256,
      notice: RESULT_NOTICE,
    });
    expect(ok.text).not.toContain(a.legalRep.name);
    for (const r of [wrongCode, wrongNo, garbage]) {
      expect(r.status).toBe(404);
      expect(codeOf(r)).toBe('NOT_FOUND');
    }
    expect(wrongNo.body).toEqual(wrongCode.body);
    expect(garbage.body).toEqual(wrongCode.body);
  });

  it('verifies the PDF as issued and refuses it with one byte changed', async () => {
    const changed = Buffer.from(pdf);
    const at = changed.indexOf('/Title');
    changed[at + 1] = changed[at + 1]! ^ 0x20;

    const ok = await upload(
      h,
      '/credit-reports/verification/file',
      [{ name: 'file', filename: 'r.pdf', contentType: 'application/pdf', data: pdf }],
      null,
    );
    const bad = await upload(
      h,
      '/credit-reports/verification/file',
      [{ name: 'file', filename: 'r.pdf', contentType: 'application/pdf', data: changed }],
      null,
    );

    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ authentic: true, reportNo: report.reportNo, sha256: report.sha256 });
    expect(bad.status).toBe(404);
    expect(codeOf(bad)).toBe('NOT_FOUND');
    expect(String((bad.body as { error: { message: string } }).error.message)).toMatch(/修改/);
  });

  it('audits creation and download, and every staff view', async () => {
    const reviewer = await h.signInAsStaff('reviewer');
    expectStatus(await h.get(`/credit-reports/${report.id}`, reviewer.auth), 200, 'getCreditReport');
    expectStatus(await h.get(`/credit-reports?entityId=${a.entityId}`, reviewer.auth), 200, 'listCreditReports');
    expectStatus(await h.get(`/credit-reports/${report.id}`, userA.auth), 200, 'getCreditReport');

    const rows = await h.db.query<{ action: string; actor_kind: string; n: number }>(
      `SELECT action, actor_kind, count(*)::int AS n FROM audit_log
       WHERE action LIKE 'credit_report.%' AND (object_id = $1 OR action = 'credit_report.list')
       GROUP BY action, actor_kind ORDER BY action`,
      [String(report.id)],
    );

    expect(rows).toEqual([
      { action: 'credit_report.create', actor_kind: 'user', n: 1 },
      { action: 'credit_report.download', actor_kind: 'user', n: 1 },
      { action: 'credit_report.list', actor_kind: 'staff', n: 1 },
      { action: 'credit_report.view', actor_kind: 'staff', n: 1 },
    ]);
  });

  it('lets staff issue a report for any entity with a purpose, and makes a new report each time', async () => {
    const admin = await h.signInAsStaff('admin');
    const officer = await h.signInAsStaff('investment_officer');
    const first = await h.post<CreatedCreditReport>(
      '/credit-reports',
      { entityId: h.enterprises[1].entityId, purpose: '园区入驻审核' },
      admin.auth,
    );
    const second = await h.post<CreatedCreditReport>(
      '/credit-reports',
      { entityId: h.enterprises[1].entityId, purpose: '园区入驻审核' },
      admin.auth,
    );
    const byOfficer = await h.post('/credit-reports', { entityId: a.entityId, purpose: '招商核查' }, officer.auth);
    const noPurpose = await h.post('/credit-reports', { entityId: a.entityId, purpose: ' ' }, userA.auth);

    expectStatus(first, 201, 'createCreditReport');
    expect(first.body.requestedBy).toBe('staff');
    expect(second.body.reportNo).not.toBe(first.body.reportNo);
    expect(second.body.dataHash).toBe(first.body.dataHash);
    expect(byOfficer.status).toBe(403);
    expect(noPurpose.status).toBe(400);
  });

  it("keeps another enterprise out: it cannot issue, get, download or list someone else's reports", async () => {
    const mine = await h.post<CreatedCreditReport>(
      '/credit-reports',
      { entityId: h.enterprises[1].entityId, purpose: '招投标' },
      userB.auth,
    );
    const issueForA = await h.post('/credit-reports', { entityId: a.entityId, purpose: '冒名申请' }, userB.auth);
    const get = await h.get(`/credit-reports/${report.id}`, userB.auth);
    const download = await h.get(`/credit-reports/${report.id}/file`, userB.auth);
    const listAll = await h.get<{ items: CreditReport[] }>('/credit-reports', userB.auth);
    const listA = await h.get<{ items: CreditReport[] }>(`/credit-reports?entityId=${a.entityId}`, userB.auth);
    const bank = await h.apiClient(['evaluations:read']);

    expectStatus(mine, 201, 'createCreditReport');
    expect(issueForA.status).toBe(404);
    expect(get.status).toBe(404);
    expect(download.status).toBe(404);
    expect(listAll.body.items.map((r) => r.entityId)).toEqual([
      h.enterprises[1].entityId,
      h.enterprises[1].entityId,
      h.enterprises[1].entityId,
    ]);
    expect(listA.body.items).toEqual([]);
    expect((await h.get(`/credit-reports/${report.id}`, bank.auth)).status).toBe(403);
  });

  it('keeps an issued report unchanged: the row refuses update and delete', async () => {
    await expect(h.db.query(`UPDATE credit_report SET purpose = 'x' WHERE id = $1`, [report.id])).rejects.toThrow(
      /immutable/,
    );
    await expect(h.db.query(`DELETE FROM credit_report WHERE id = $1`, [report.id])).rejects.toThrow(/immutable/);
  });

  it('limits verifications per IP with 429 RATE_LIMITED, before reading an upload', async () => {
    const statuses: number[] = [];
    let limited: Awaited<ReturnType<Harness['post']>> | null = null;
    for (let i = 0; i <= VERIFY_PER_MINUTE && !limited; i++) {
      const r = await h.post('/credit-reports/verification', {
        reportNo: report.reportNo,
        code: report.verificationCode,
      });
      statuses.push(r.status);
      if (r.status === 429) limited = r;
    }
    const upload429 = await upload(
      h,
      '/credit-reports/verification/file',
      [{ name: 'file', filename: 'r.pdf', data: pdf }],
      null,
    );

    expect(limited).not.toBeNull();
    expect(codeOf(limited!)).toBe('RATE_LIMITED');
    expect(statuses.filter((s) => s !== 429).every((s) => s === 200)).toBe(true);
    expect(upload429.status).toBe(429);
  });
});
