import ExcelJS from 'exceljs';
import { makeIdNumber, type KeyPeople, type RiskScan, type TargetCheck } from '@heihe/shared';
import { chinaDate } from '../../cloud/src/common/china-time';
import { IngestRun } from '../../cloud/src/ingest';
import { investDemoRows, investDemoUscc } from '../../cloud/src/seed/generator';
import { testBackends } from '../../cloud/src/testing/test-db';
import { expectStatus, Harness, type StaffSession } from '../support/harness';

jest.setTimeout(120_000);

const SRC = 'invest-checks-e2e';

/**
 * Fixtures beside the demo structure: a namesake of 赵德胜 (same name, another ID number) who
 * represents a company of his own, which must never appear as 赵德胜's; a record under objection
 * on 恒通实业 (E) is made by the test through the database, as a filed objection would.
 */
function namesakeRows(today: string): Record<string, unknown>[] {
  const uscc = investDemoUscc(300);
  return [
    {
      type: 'registration',
      sourceSystem: SRC,
      sourceId: `${uscc}-REG`,
      uscc,
      name: '黑河同名人员测试有限公司',
      entityType: '有限责任公司',
      establishedOn: `${Number(today.slice(0, 4)) - 4}-05-01`,
      registeredCapital: 1e6,
      paidInCapital: 1e6,
      industryCode: 'F5121',
      regionCode: '231102',
      legalRepName: '赵德胜',
      legalRepIdNumber: makeIdNumber('23118119900101771'),
    },
    {
      type: 'record',
      sourceSystem: SRC,
      sourceId: `${uscc}-DIS`,
      uscc,
      kind: 'dishonesty_listing',
      occurredOn: `${Number(today.slice(0, 4)) - 1}-06-01`,
    },
  ];
}

describe.each(testBackends())('investment check reports on %s', (backend) => {
  let h: Harness;
  let officer: StaffSession;
  const target = investDemoUscc(0);
  const idOf = new Map<string, number>();
  let targetId: number;

  beforeAll(async () => {
    h = await Harness.start(backend);
    officer = await h.signInAsStaff('investment_officer');
    const today = chinaDate(new Date());
    const run = await IngestRun.start(h.db, h.vault, SRC, { chunkSize: 500 });
    let line = 0;
    for (const raw of [...investDemoRows(today), ...namesakeRows(today)]) await run.push({ line: ++line, raw });
    const report = await run.finish();
    if (report.rejected) throw new Error(JSON.stringify(report.errors));
    for (const r of await h.db.query<{ id: number; uscc: string }>(`SELECT id, uscc FROM entity`))
      idOf.set(r.uscc, r.id);
    targetId = idOf.get(target)!;
    // E's penalty is under objection (as decideObjection's filing leaves it).
    await h.db.query(
      `UPDATE credit_record_version SET status = 'under_objection'
       WHERE entity_id = $1 AND kind = 'penalty' AND superseded_at IS NULL`,
      [idOf.get(investDemoUscc(5))],
    );
  });
  afterAll(() => h?.close());

  const get = <T>(path: string) => h.get<T>(path, officer.auth);

  describe('getKeyPeople', () => {
    it('lists the legal representative, directors and supervisor with their other posts and holdings, each graded with a risk summary', async () => {
      const r = await get<KeyPeople>(`/invest/entities/${targetId}/people?purpose=${encodeURIComponent('洽谈前核查')}`);

      expectStatus(r, 200, 'getKeyPeople');
      expect(r.body.persons.map((p) => [p.name, p.roles])).toEqual([
        ['赵德胜', ['legal_representative', 'director']],
        ['钱玉兰', ['director']],
        ['周海燕', ['supervisor']],
      ]);
      const zhao = r.body.persons[0]!;
      expect(zhao.posts.map((c) => c.name).sort()).toEqual(
        ['黑河瑷珲农业投资有限公司', '黑河界江粮油贸易有限公司', '黑河兴边控股有限公司', '黑河鑫源商贸有限公司'].sort(),
      );
      expect(zhao.posts.find((c) => c.name === '黑河兴边控股有限公司')!.roles).toEqual([
        'legal_representative',
        'director',
      ]);
      const xinyuan = zhao.posts.find((c) => c.name === '黑河鑫源商贸有限公司')!;
      expect(xinyuan.grade).toMatch(/^[A-E]$/);
      expect(xinyuan.risk.byCategory.map((c) => [c.category, c.count])).toEqual([
        ['dishonest_executed', 1],
        ['tax_arrears', 1],
        ['loan_default', 1],
      ]);
      expect(zhao.holdings.map((c) => [c.name, c.ratio])).toEqual([
        ['黑河兴边控股有限公司', 0.8],
        ['黑河鑫源商贸有限公司', 0.6],
      ]);
      expect(r.body.persons.find((p) => p.name === '周海燕')!.holdings.map((c) => c.name)).toEqual([
        '黑河鑫源商贸有限公司',
      ]);
      expect(r.body.notice).toBe('供招商决策参考，不作为失信惩戒的直接依据');
    });

    it('matches persons by keyed ID hash: a namesake with another ID number and his company stay out', async () => {
      const r = await get<KeyPeople>(`/invest/entities/${targetId}/people`);
      const all = r.body.persons.flatMap((p) => [...p.posts, ...p.holdings].map((c) => c.name));

      expect(all).not.toContain('黑河同名人员测试有限公司');
    });

    it('shows only masked ID numbers', async () => {
      const r = await get<KeyPeople>(`/invest/entities/${targetId}/people`);
      const full = makeIdNumber('23110219720315201');

      expect(r.body.persons[0]!.idNumberMasked).toMatch(/^\d{6}\*+\d{2,4}[\dX]?$|\*/);
      expect(JSON.stringify(r.body)).not.toContain(full);
      expect(JSON.stringify(r.body)).not.toContain(full.slice(6, 14));
    });

    it('audits the view: who, which target, why', async () => {
      const rows = await h.db.query<{ actor_id: string; entity_id: number; detail: { purpose: string } }>(
        `SELECT actor_id, entity_id, detail FROM audit_log WHERE action = 'invest.people.view' ORDER BY id`,
      );

      expect(rows[0]).toMatchObject({
        actor_id: `investment_officer:${officer.username}`,
        entity_id: targetId,
        detail: { purpose: '洽谈前核查' },
      });
    });
  });

  describe('scanRisks', () => {
    it('walks the related set by radius: holders and investees at 1, their holders and key persons’ other companies at 2', async () => {
      const one = await get<RiskScan>(`/invest/entities/${targetId}/risks?radius=1`);
      const two = await get<RiskScan>(`/invest/entities/${targetId}/risks?radius=2`);

      expectStatus(one, 200, 'scanRisks');
      const names = (s: RiskScan, d: number) =>
        s.related
          .filter((r) => r.distance === d)
          .map((r) => r.name)
          .sort();
      expect(names(one.body, 0)).toEqual(['黑河北疆大豆科技有限公司']);
      // Holders A and B, and 赵德胜's other companies (C, F) through his posts.
      expect(names(one.body, 1)).toEqual(
        [
          '黑河瑷珲农业投资有限公司',
          '黑河界江粮油贸易有限公司',
          '黑河兴边控股有限公司',
          '黑河鑫源商贸有限公司',
          '黑河中俄经贸发展有限公司',
        ].sort(),
      );
      expect(names(two.body, 2)).toEqual(['黑河恒通实业有限公司']);
      const f = one.body.related.find((r) => r.name === '黑河鑫源商贸有限公司')!;
      expect(f.via).toMatchObject({ relation: 'key_person', fromEntityId: targetId, person: '赵德胜' });
      expect(one.body.related.map((r) => r.name)).not.toContain('黑河同名人员测试有限公司');
    });

    it('counts records in their publicity window, leaves the revoked one out, and marks the one under objection', async () => {
      const r = await get<RiskScan>(`/invest/entities/${targetId}/risks?radius=2`);

      expect(r.body.findings.map((f) => [f.entityName, f.category, f.underObjection])).toEqual([
        ['黑河鑫源商贸有限公司', 'dishonest_executed', false],
        ['黑河恒通实业有限公司', 'abnormal_operation', false],
        ['黑河恒通实业有限公司', 'penalty_general', true],
        ['黑河鑫源商贸有限公司', 'tax_arrears', false],
        ['黑河鑫源商贸有限公司', 'loan_default', false],
      ]);
      expect(r.body.excluded).toEqual({ repaired: 0, revoked: 1, expired: 0, notInForce: 0 });
      expect(r.body.summary).toMatchObject({ total: 5, underObjection: 1 });
      const penalty = r.body.findings.find((f) => f.category === 'penalty_general')!;
      expect(penalty.windowEnds).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(penalty.documentNo).toContain('黑市监罚');
    });

    it('leaves a repaired record out', async () => {
      const e = idOf.get(investDemoUscc(6))!;
      await h.db.query(
        `UPDATE credit_record_version SET status = 'repaired'
         WHERE entity_id = $1 AND kind = 'arrears' AND superseded_at IS NULL`,
        [e],
      );
      try {
        const r = await get<RiskScan>(`/invest/entities/${targetId}/risks?radius=2`);

        expect(r.body.findings.map((f) => f.category)).not.toContain('tax_arrears');
        expect(r.body.excluded.repaired).toBe(1);
      } finally {
        await h.db.query(
          `UPDATE credit_record_version SET status = 'active'
           WHERE entity_id = $1 AND kind = 'arrears' AND superseded_at IS NULL`,
          [e],
        );
      }
    });

    it('raises red flags with the threshold each crossed and its evidence', async () => {
      const r = await get<RiskScan>(`/invest/entities/${targetId}/risks?radius=2`);
      const flag = (code: string) => r.body.redFlags.find((f) => f.code === code);

      expect(flag('young_holder')).toMatchObject({
        label: '股东新近设立',
        threshold: { name: 'youngHolderDays', value: 730 },
      });
      expect(flag('young_holder')!.evidence[0]).toContain('黑河恒通实业有限公司');
      expect(flag('young_holder')!.evidence[0]).toContain('→ 黑河北疆大豆科技有限公司');
      expect(flag('financing_unregistered')).toMatchObject({
        threshold: { name: 'financingGraceDays', value: 90 },
        observed: 1,
      });
      expect(flag('financing_unregistered')!.evidence[0]).toContain('A轮');
      // Paid-in is 80% of registered: far above the 20% threshold.
      expect(flag('paid_in_low')).toBeUndefined();
    });

    it('refuses a radius outside 1-3 with the reason', async () => {
      const r = await get<{ code: string; message: string }>(`/invest/entities/${targetId}/risks?radius=9`);

      expect(r.status).toBe(400);
      expect(JSON.stringify(r.body)).toContain('关联范围应为 1 到 3 层');
    });
  });

  describe('runTargetCheck, getTargetCheck, listTargetChecks', () => {
    let first: TargetCheck;

    it('stores a numbered snapshot with every section, the evaluation and the notice', async () => {
      const r = await h.post<TargetCheck>(
        '/invest/checks',
        { entityId: targetId, purpose: '大豆深加工项目入园前核查' },
        officer.auth,
      );

      expectStatus(r, 201, 'runTargetCheck');
      first = r.body;
      expect(first.number).toMatch(/^ZSHC-\d{8}-\d{6}$/);
      expect(first).toMatchObject({
        entityId: targetId,
        name: '黑河北疆大豆科技有限公司',
        purpose: '大豆深加工项目入园前核查',
        createdBy: `investment_officer:${officer.username}`,
        notice: '供招商决策参考，不作为失信惩戒的直接依据',
      });
      expect(first.flags).toEqual(
        expect.arrayContaining(['actual_controller', 'beneficial_owner', 'young_holder', 'financing_unregistered']),
      );
      expect(first.evaluation).toMatchObject({ grade: first.grade, total: first.score });
      expect(first.evaluation!.groups.reduce((s, g) => s + g.points, 0)).toBe(first.score);
      expect(first.ownership.holders.find((x) => x.name === '赵德胜')!.flags.map((f) => f.code)).toContain(
        'actual_controller',
      );
      expect(first.people.persons.length).toBe(3);
      expect(first.risks.findings.length).toBe(first.findings);
      expect(first.financings).toEqual([expect.objectContaining({ round: 'A轮', amount: 1.2e7 })]);
    });

    it('does not change when the data changes later; a rerun makes a new one', async () => {
      const f = idOf.get(investDemoUscc(6))!;
      await h.db.query(
        `UPDATE credit_record_version SET status = 'revoked'
         WHERE entity_id = $1 AND kind = 'loan_default' AND superseded_at IS NULL`,
        [f],
      );
      const stored = await get<TargetCheck>(`/invest/checks/${first.checkId}`);
      const rerun = await h.post<TargetCheck>('/invest/checks', { entityId: targetId, purpose: '复核' }, officer.auth);

      expectStatus(stored, 200, 'getTargetCheck');
      expect(stored.body).toEqual(first);
      expect(rerun.body.checkId).toBeGreaterThan(first.checkId);
      expect(rerun.body.findings).toBe(first.findings - 1);
    });

    it('refuses to change or delete a stored check in the database itself', async () => {
      await expect(h.db.query(`UPDATE target_check SET purpose = 'x' WHERE id = $1`, [first.checkId])).rejects.toThrow(
        /immutable/,
      );
      await expect(h.db.query(`DELETE FROM target_check WHERE id = $1`, [first.checkId])).rejects.toThrow(/immutable/);
    });

    it('lists checks newest first, by target, with keyset pages', async () => {
      const page1 = await get<{ items: Array<{ checkId: number; number: string }>; nextBefore: number | null }>(
        `/invest/checks?entityId=${targetId}&limit=1`,
      );
      const page2 = await get<{ items: Array<{ checkId: number }>; nextBefore: number | null }>(
        `/invest/checks?entityId=${targetId}&limit=1&before=${page1.body.nextBefore}`,
      );

      expectStatus(page1, 200, 'listTargetChecks');
      expect(page1.body.items[0]!.checkId).toBeGreaterThan(first.checkId);
      expect(page2.body.items.map((i) => i.checkId)).toEqual([first.checkId]);
      expect(page2.body.nextBefore).toBeNull();
    });

    it('exports the stored check to Excel: a summary and a sheet per section, each with the notice', async () => {
      const res = await fetch(`${h.baseUrl}/invest/checks/${first.checkId}/xlsx`, {
        headers: { authorization: `Bearer ${officer.auth.accessToken}` },
      });

      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toContain('spreadsheetml');
      expect(decodeURIComponent(res.headers.get('content-disposition')!)).toContain(`核查报告-${first.number}`);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(Buffer.from(await res.arrayBuffer()) as unknown as ArrayBuffer);
      expect(wb.worksheets.map((w) => w.name)).toEqual([
        '概要',
        '红旗预警',
        '风险记录',
        '关联主体',
        '最终持有人',
        '主要人员',
        '对外投资',
        '信用评价',
      ]);
      const summary = wb.getWorksheet('概要')!;
      expect(summary.getRow(1).values).toEqual([undefined, '核查编号', first.number]);
      expect(summary.getColumn(2).values).toContain('供招商决策参考，不作为失信惩戒的直接依据');
      expect(summary.getColumn(2).values).toContain(`${officer.username}（招商专员）`);
      const findings = wb.getWorksheet('风险记录')!;
      expect(findings.rowCount).toBe(1 + first.findings + 2);
      const people = JSON.stringify(wb.getWorksheet('主要人员')!.getSheetValues());
      expect(people).toContain('2311');
      expect(people).not.toContain(makeIdNumber('23110219720315201'));
      const audit = await h.db.query(
        `SELECT 1 FROM audit_log WHERE action = 'invest.check.export' AND object_id = $1`,
        [String(first.checkId)],
      );
      expect(audit).toHaveLength(1);
    });

    it('audits the check: who, which target, why', async () => {
      const rows = await h.db.query<{
        actor_id: string;
        entity_id: number;
        object_id: string;
        detail: { purpose: string };
      }>(`SELECT actor_id, entity_id, object_id, detail FROM audit_log WHERE action = 'invest.check.run' ORDER BY id`);

      expect(rows[0]).toMatchObject({
        actor_id: `investment_officer:${officer.username}`,
        entity_id: targetId,
        object_id: String(first.checkId),
        detail: { purpose: '大豆深加工项目入园前核查' },
      });
    });

    it('answers an unknown check and an unknown target with 404, and a check without purpose with 400', async () => {
      expect((await get(`/invest/checks/99999`)).status).toBe(404);
      expect((await h.post('/invest/checks', { entityId: 999999, purpose: '核查' }, officer.auth)).status).toBe(404);
      const r = await h.post('/invest/checks', { entityId: targetId }, officer.auth);
      expect(r.status).toBe(400);
      expect(JSON.stringify(r.body)).toContain('核查事由');
    });
  });

  it('refuses every other role', async () => {
    const [reviewer, user, bank] = await Promise.all([
      h.signInAsStaff('reviewer'),
      h.signInAsEnterpriseUser({ enterprise: 0 }),
      h.apiClient(['evaluations:read']),
    ]);
    for (const auth of [reviewer.auth, user.auth, bank.auth]) {
      for (const path of [
        `/invest/entities/${targetId}/people`,
        `/invest/entities/${targetId}/risks`,
        '/invest/checks',
        '/invest/checks/1',
        '/invest/checks/1/xlsx',
      ])
        expect([path, (await h.get(path, auth)).status]).toEqual([path, 403]);
      expect((await h.post('/invest/checks', { entityId: targetId, purpose: '核查' }, auth)).status).toBe(403);
    }
  });
});
