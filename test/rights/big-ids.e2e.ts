import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { makeIdNumber, type EvaluationResponse, type ObjectionView, type ReviewQueue } from '@heihe/shared';
import { testBackends } from '../../cloud/src/testing/test-db';
import { bucketMismatches } from '../support/buckets';
import { codeOf, expectStatus, Harness, type EnterpriseUser, type StaffSession } from '../support/harness';
import { daysAgo, upload } from './support/api';
import { aJpeg } from './support/fixtures';

/** Past int4 (2^31 − 1): where the national record count puts the sequences (ADR 0023). */
const PAST_INT4 = 2 ** 31 + 1_000;

/**
 * Record and version ids past 2^31, end to end: delivered through ingestion, scored by a cycle (the
 * binary COPY read), shown in the evaluation, disputed through the API, queued, upheld and re-scored
 * (the raw "as of" read). With int4 ids the sequences cannot even be set there.
 */
describe.each(testBackends())('record ids past 2^31 on %s', (backend) => {
  let h: Harness;
  let dir: string;
  let user: EnterpriseUser;
  let other: EnterpriseUser;
  let reviewer: StaffSession;
  let admin: StaffSession;
  let entityId: number;
  let uscc: string;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'heihe-evidence-'));
    h = await Harness.start(backend, { env: { OUTBOX_RELAY_ENABLED: 'false', EVIDENCE_DIR: dir } });
    [user, other, reviewer, admin] = await Promise.all([
      h.signInAsEnterpriseUser({ enterprise: 0 }),
      h.signInAsEnterpriseUser({ enterprise: 1 }),
      h.signInAsStaff('reviewer'),
      h.signInAsStaff('admin'),
    ]);
    entityId = h.enterprises[0].entityId;
    uscc = h.enterprises[0].uscc;
    await h.db.query(`SELECT setval('credit_record_id_seq', $1), setval('credit_record_version_id_seq', $1)`, [
      PAST_INT4,
    ]);
  }, 120_000);
  afterAll(async () => {
    await h?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  const evaluation = async () => (await h.get<EvaluationResponse>(`/entities/${entityId}/evaluation`, user.auth)).body;

  it('ingests, scores in a cycle, and takes an objection through the API on a record whose ids are past 2^31', async () => {
    const ingestKey = (await h.apiClient(['ingest'], { kind: 'data_source' })).auth;
    const delivered = await h.post<{ rejected: number }>(
      '/ingest/records',
      {
        rows: [
          {
            type: 'record',
            sourceSystem: 'big-ids-e2e',
            sourceId: `${uscc}-P1`,
            uscc,
            kind: 'penalty',
            severity: 'general',
            occurredOn: daysAgo(20),
            summary: '黑市监罚〔2026〕2147号',
          },
        ],
      },
      ingestKey,
    );
    expectStatus(delivered, 200, 'ingestRecords');
    expect(delivered.body.rejected).toBe(0);
    const [ids] = await h.db.query<{ record: string; version: string }>(
      `SELECT r.id::text AS record, v.id::text AS version FROM credit_record r
         JOIN credit_record_version v ON v.record_id = r.id WHERE r.source_system = 'big-ids-e2e'`,
    );
    const recordId = Number(ids!.record);
    expect(recordId).toBeGreaterThan(2 ** 31);
    expect(Number(ids!.version)).toBeGreaterThan(2 ** 31);

    // The cycle reads the versions with a binary COPY: the record id is an int8 there.
    const cycle = await h.runCycle(admin.auth);
    expect([200, 202]).toContain(cycle.status);
    const scored = await evaluation();
    expect(scored).toMatchObject({ trigger: 'cycle', reproduced: true });
    expect(scored.records.find((r) => r.recordId === recordId)).toMatchObject({ counts: true, status: 'active' });
    expect(scored.indicators.some((i) => i.effects.some((f) => f.recordId === recordId))).toBe(true);

    const ev = await upload(
      h,
      `/entities/${entityId}/evidence`,
      [{ name: 'file', filename: '复议决定书.jpg', contentType: 'image/jpeg', data: aJpeg() }],
      user.auth,
    );
    expectStatus(ev, 201, 'uploadEvidence');
    const objection = {
      entityId,
      recordId,
      ground: 'wrong',
      statement: '该处罚已被复议机关撤销，附复议决定书。',
      evidenceIds: [(ev.body as { id: string }).id],
    };
    // Another enterprise's user cannot dispute it (the record and the entity are not theirs to see);
    // an id past 2^53 is not an id.
    expect(
      (await h.post('/objections', { ...objection, entityId: h.enterprises[1].entityId }, other.auth)).status,
    ).toBe(404);
    expect((await h.post('/objections', objection, other.auth)).status).toBe(404);
    const tooBig = await h.post('/objections', { ...objection, recordId: 2 ** 53 }, user.auth);
    expect([tooBig.status, codeOf(tooBig)]).toEqual([400, 'VALIDATION_FAILED']);

    const filed = await h.post<ObjectionView>('/objections', objection, user.auth);
    expectStatus(filed, 201, 'createObjection');
    expect(filed.body.record).toMatchObject({ recordId, statusLabel: '异议中' });
    expect((await evaluation()).records.find((r) => r.recordId === recordId)).toMatchObject({ underObjection: true });

    const queue = await h.get<ReviewQueue>('/review/queue?kind=objection', reviewer.auth);
    expectStatus(queue, 200, 'listReviewQueue');
    expect(queue.body.items.find((i) => i.id === filed.body.id)?.subject).toContain('黑市监罚〔2026〕2147号');

    expectStatus(
      await h.post(`/objections/${filed.body.id}/decision`, { action: 'accept' }, reviewer.auth),
      200,
      'decideObjection accept',
    );
    const upheld = await h.post<ObjectionView>(
      `/objections/${filed.body.id}/decision`,
      { action: 'uphold', reason: '经核查，该处罚已被复议撤销。', correction: { action: 'revoke' } },
      reviewer.auth,
    );
    expectStatus(upheld, 200, 'decideObjection uphold');
    expect(upheld.body.outcome.scoreAfter).toBeGreaterThan(upheld.body.outcome.scoreBefore!);
    expect((await evaluation()).records.find((r) => r.recordId === recordId)).toMatchObject({
      status: 'revoked',
      counts: false,
    });
    const history = await h.get<{ recordId: number; items: Array<{ version: number; status: string }> }>(
      `/review/records/${recordId}/versions`,
      reviewer.auth,
    );
    expectStatus(history, 200, 'listRecordVersions');
    expect(history.body.recordId).toBe(recordId);
    expect(history.body.items.map((v) => [v.version, v.status])).toEqual([
      [1, 'active'],
      [2, 'under_objection'],
      [3, 'revoked'],
    ]);
  }, 240_000);

  it("keeps every record, version, evaluation, score and relation in its entity's bucket (ADR 0025)", async () => {
    // Records, versions, evaluations and scores were written above by ingestion, the cycle's COPY,
    // the correction's new versions and the re-score; the relations are delivered here.
    const ingestKey = (await h.apiClient(['ingest'], { kind: 'data_source' })).auth;
    const keyed = (type: string, n: number) => ({
      type,
      sourceSystem: 'big-ids-e2e',
      sourceId: `${uscc}-${type}-${n}`,
      uscc,
    });
    const relations = await h.post<{ rejected: number }>(
      '/ingest/records',
      {
        rows: [
          { ...keyed('shareholder', 1), holderName: '黑河某投资有限公司', ratio: 0.4, amount: 400000 },
          {
            ...keyed('investment', 1),
            investeeUscc: h.enterprises[1].uscc,
            investeeName: '被投企业',
            ratio: 0.2,
            amount: 200000,
          },
          { ...keyed('financing', 1), round: 'A轮', amount: 5000000, occurredOn: daysAgo(100), investors: '某基金' },
          { ...keyed('key_person', 1), role: 'director', name: '张董事', idNumber: makeIdNumber('23110219800101123') },
        ],
      },
      ingestKey,
    );
    expectStatus(relations, 200, 'ingestRecords');
    expect(relations.body.rejected).toBe(0);
    for (const [table, n] of Object.entries(await bucketMismatches(h.db))) {
      expect([table, n.rows > 0, n.wrong]).toEqual([table, true, 0]);
    }
    // The foreign key (entity_id, bucket) refuses a record filed under another bucket.
    const [e] = await h.db.query<{ bucket: number }>('SELECT bucket FROM entity WHERE id = $1', [entityId]);
    await expect(
      h.db.query(
        `INSERT INTO credit_record (entity_id, bucket, kind, source_system, source_id) VALUES ($1, $2, 'penalty', 'big-ids-e2e', 'wrong-bucket')`,
        [entityId, (e!.bucket + 1) % 4096],
      ),
    ).rejects.toThrow(/credit_record_entity_id_bucket_fkey/);
  });
});
