import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { EvaluationResponse, ObjectionView, RepairApplicationView } from '@heihe/shared';
import { z } from 'zod';
import { evaluationHistorySchema } from '@heihe/shared';
import { testBackends } from '../../cloud/src/testing/test-db';
import { codeOf, expectStatus, Harness, type EnterpriseUser, type StaffSession } from '../support/harness';
import { daysAgo, upload } from './support/api';
import { aJpeg } from './support/fixtures';

type History = z.infer<typeof evaluationHistorySchema>;

/** The day before the same date a year later (29 February has none: 28 February, less a day). */
function lastDayOfTwelveMonths(day: string): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const last = new Date(Date.UTC(y + 1, m, 0)).getUTCDate();
  const end = Date.UTC(y + 1, m - 1, Math.min(d, last));
  return new Date(end - 86_400_000).toISOString().slice(0, 10);
}
type RecordView = EvaluationResponse['records'][number];

/**
 * What the mini program's record page and trend chart read: a record in full as 信用中国 shows it
 * (delivered through ingestion), the application in progress about it, a returned application
 * resubmitted with a rewritten statement, and what moved each point of the history.
 */
describe.each(testBackends())('records as the enterprise reads them on %s', (backend) => {
  let h: Harness;
  let dir: string;
  let user: EnterpriseUser;
  let reviewer: StaffSession;
  let entityId: number;
  let uscc: string;
  let ingestKey: { apiKey: string };

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'heihe-evidence-'));
    h = await Harness.start(backend, { env: { OUTBOX_RELAY_ENABLED: 'false', EVIDENCE_DIR: dir } });
    [user, reviewer] = await Promise.all([h.signInAsEnterpriseUser({ enterprise: 0 }), h.signInAsStaff('reviewer')]);
    entityId = h.enterprises[0].entityId;
    uscc = h.enterprises[0].uscc;
    ingestKey = (await h.apiClient(['ingest'], { kind: 'data_source' })).auth;
  }, 120_000);
  afterAll(async () => {
    await h?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const penalty = (key: string, occurredOn: string, extra: Record<string, unknown> = {}) => ({
    type: 'record',
    sourceSystem: 'record-view-e2e',
    sourceId: `${uscc}-${key}`,
    uscc,
    kind: 'penalty',
    severity: 'general',
    occurredOn,
    ...extra,
  });
  async function deliver(rows: unknown[]): Promise<Record<string, number>> {
    const res = await h.post<{ rejected: number }>('/ingest/records', { rows }, ingestKey);
    expectStatus(res, 200, 'ingestRecords');
    expect(res.body.rejected).toBe(0);
    const ids = await h.db.query<{ source_id: string; id: number }>(
      `SELECT source_id, id FROM credit_record WHERE source_system = 'record-view-e2e' AND entity_id = $1`,
      [entityId],
    );
    return Object.fromEntries(ids.map((r) => [r.source_id.slice(uscc.length + 1), Number(r.id)]));
  }
  const record = async (recordId: number): Promise<RecordView> => {
    const res = await h.get<EvaluationResponse>(`/entities/${entityId}/evaluation`, user.auth);
    expectStatus(res, 200, 'getEntityEvaluation');
    return res.body.records.find((r) => r.recordId === recordId)!;
  };
  const evidenceId = async (filename: string) => {
    const r = await upload(
      h,
      `/entities/${entityId}/evidence`,
      [{ name: 'file', filename, contentType: 'image/jpeg', data: aJpeg() }],
      user.auth,
    );
    expectStatus(r, 201, 'uploadEvidence');
    return (r.body as { id: string }).id;
  };

  it('shows what the source delivered: authority, document number, content, legal basis, publicity end', async () => {
    const ids = await deliver([
      penalty('FULL', daysAgo(30), {
        validTo: '2099-12-31',
        documentNo: '黑市监罚〔2026〕88号',
        authority: '黑河市市场监督管理局',
        summary: '未按规定标明商品价格',
        content: '警告，并处罚款人民币 2000 元',
        legalBasis: '《明码标价和禁止价格欺诈规定》第二十一条',
      }),
      penalty('BARE', daysAgo(31)),
    ]);

    expect(await record(ids.FULL!)).toMatchObject({
      kind: 'penalty',
      summary: '未按规定标明商品价格',
      documentNo: '黑市监罚〔2026〕88号',
      authority: '黑河市市场监督管理局',
      content: '警告，并处罚款人民币 2000 元',
      legalBasis: '《明码标价和禁止价格欺诈规定》第二十一条',
      validTo: '2099-12-31',
      // A general penalty is published for 12 months under model v1 (decay.general.zeroMonths).
      publicUntil: lastDayOfTwelveMonths(daysAgo(30)),
      openApplication: null,
    });
    expect(await record(ids.BARE!)).toMatchObject({
      publicUntil: lastDayOfTwelveMonths(daysAgo(31)),
      summary: null,
      documentNo: null,
      authority: null,
      content: null,
      legalBasis: null,
    });
  });

  it('says which records moved each point of the history, and by how much', async () => {
    const before = await h.get<History>(`/entities/${entityId}/evaluations`, user.auth);
    const ids = await deliver([penalty('TREND', daysAgo(10), { severity: 'serious', summary: '超标排放大气污染物' })]);

    const res = await h.get<History>(`/entities/${entityId}/evaluations`, user.auth);

    expectStatus(res, 200, 'listEvaluationHistory');
    const [latest, previous] = res.body.items;
    expect(latest!.delta).toBe(latest!.total - previous!.total);
    expect(latest!.delta).toBeLessThan(0);
    expect(latest!.modelChanged).toBe(false);
    expect(latest!.changes).toEqual([
      expect.objectContaining({
        recordId: ids.TREND,
        kind: 'penalty',
        kindLabel: '行政处罚',
        summary: '超标排放大气污染物',
        occurredOn: daysAgo(10),
      }),
    ]);
    // The record's own points as the evaluation explains them; a floor or cap of its indicator may
    // take back part of them (a rule line, no record), so the delta can be smaller.
    const ev = (await h.get<EvaluationResponse>(`/entities/${entityId}/evaluation`, user.auth)).body;
    const own = ev.indicators.flatMap((i) => i.effects).filter((f) => f.recordId === ids.TREND);
    expect(latest!.changes[0]!.points).toBe(own.reduce((sum, f) => sum + f.points, 0));
    expect(latest!.changes[0]!.points).toBeLessThanOrEqual(latest!.delta!);
    // The oldest evaluation has nothing before it.
    const oldest = res.body.items[res.body.items.length - 1]!;
    expect(before.body.items.length + 1).toBe(res.body.items.length);
    expect(oldest).toMatchObject({ delta: null, changes: [] });
  });

  it('names the objection in progress on its record until it is decided, and takes a resubmission with a rewritten statement', async () => {
    const ids = await deliver([penalty('OBJ', daysAgo(20), { summary: '虚假宣传' })]);
    const filed = await h.post<ObjectionView>(
      '/objections',
      {
        entityId,
        recordId: ids.OBJ,
        ground: 'wrong',
        statement: '该处罚决定已被复议机关撤销，附复议决定书。',
        evidenceIds: [await evidenceId('复议决定书.jpg')],
      },
      user.auth,
    );
    expectStatus(filed, 201, 'createObjection');
    const id = filed.body.id;
    expect((await record(ids.OBJ!)).openApplication).toEqual({
      kind: 'objection',
      id,
      status: 'submitted',
      statusLabel: '已提交，待受理',
    });
    // A second application about the same record is refused, as the record said it would be.
    const second = await h.post(
      '/objections',
      {
        entityId,
        recordId: ids.OBJ,
        ground: 'wrong',
        statement: '再次提出异议，请予撤销该记录。',
        evidenceIds: [await evidenceId('b.jpg')],
      },
      user.auth,
    );
    expect(codeOf(second)).toBe('APPLICATION_OPEN');

    const decide = (body: unknown) => h.post<ObjectionView>(`/objections/${id}/decision`, body, reviewer.auth);
    expectStatus(await decide({ action: 'return', reason: '请补充复议决定书全文的照片。' }), 200, 'return');
    expect((await record(ids.OBJ!)).openApplication).toMatchObject({ status: 'returned', statusLabel: '待补正材料' });

    const rewritten = '该处罚决定已被黑河市人民政府复议撤销，现补充复议决定书全文。';
    const resubmitted = await h.post<ObjectionView>(
      `/objections/${id}/resubmission`,
      { note: '已补充复议决定书全文', statement: rewritten, evidenceIds: [await evidenceId('全文.jpg')] },
      user.auth,
    );
    expectStatus(resubmitted, 200, 'resubmitObjection');
    expect(resubmitted.body).toMatchObject({ status: 'submitted', statement: rewritten });
    expect(resubmitted.body.evidence).toHaveLength(2);
    expect(resubmitted.body.deadline).toMatchObject({ workingDaysLeft: 7, urgency: 'normal' });
    expect(resubmitted.body.events.map((e) => e.note)).toContain('补正材料：已补充复议决定书全文');

    expectStatus(await decide({ action: 'accept' }), 200, 'accept');
    expectStatus(await decide({ action: 'reject', reason: '复议决定书与本处罚无关。' }), 200, 'reject');
    expect((await record(ids.OBJ!)).openApplication).toBeNull();
  });

  it('names the repair application in progress on its record, which no new evaluation announces', async () => {
    const ids = await deliver([penalty('REP', daysAgo(150), { summary: '未按规定公示年度报告' })]);
    const eligibility = await h.get<{ eligible: boolean }>(
      `/entities/${entityId}/records/${ids.REP}/repair-eligibility`,
      user.auth,
    );
    expect(eligibility.body.eligible).toBe(true);
    const filed = await h.post<RepairApplicationView>(
      '/repair-applications',
      {
        entityId,
        recordId: ids.REP,
        statement: '已缴清罚款并完成整改，承诺今后依法公示年度报告。',
        materials: [
          { evidenceId: await evidenceId('承诺书.jpg'), type: 'commitment_letter' },
          { evidenceId: await evidenceId('缴款凭证.jpg'), type: 'fulfilment_proof' },
        ],
      },
      user.auth,
    );
    expectStatus(filed, 201, 'createRepairApplication');

    expect((await record(ids.REP!)).openApplication).toEqual({
      kind: 'repair',
      id: filed.body.id,
      status: 'submitted',
      statusLabel: '已提交，待受理',
    });
    // A resubmission without a statement keeps the one filed.
    expectStatus(
      await h.post(
        `/repair-applications/${filed.body.id}/decision`,
        { action: 'return', reason: '请补充缴款凭证原件照片。' },
        reviewer.auth,
      ),
      200,
      'return',
    );
    const resubmitted = await h.post<RepairApplicationView>(
      `/repair-applications/${filed.body.id}/resubmission`,
      { note: '已补充缴款凭证', materials: [{ evidenceId: await evidenceId('原件.jpg'), type: 'fulfilment_proof' }] },
      user.auth,
    );
    expectStatus(resubmitted, 200, 'resubmitRepairApplication');
    expect(resubmitted.body.statement).toBe('已缴清罚款并完成整改，承诺今后依法公示年度报告。');
  });
});
