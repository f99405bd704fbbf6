import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { PersonalDataExport, UserMessageList, WithdrawPrivacyConsentResult } from '@heihe/shared';
import { testBackends } from '../../cloud/src/testing/test-db';
import { codeOf, expectStatus, Harness, type EnterpriseUser, type StaffSession } from '../support/harness';
import { daysAgo, deliverPenalties, upload } from '../rights/support/api';
import { aJpeg } from '../rights/support/fixtures';

interface AuditRow {
  action: string;
  actor_id: string;
  object_id: string;
}

/**
 * The user's side of their data (issue 19): the in-app messages list (every notice, whether or not a
 * WeChat subscribe message went out; read and unread; each linking to its page), the export of
 * their own personal data, unbinding an enterprise and withdrawing the privacy consent, each audited.
 */
describe.each(testBackends())('messages and my data on %s', (backend) => {
  let h: Harness;
  let dir: string;
  let userA: EnterpriseUser;
  let userB: EnterpriseUser;
  let reviewer: StaffSession;
  let admin: StaffSession;
  let entityA: number;
  let entityB: number;
  let recA: Record<string, number>;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'heihe-my-data-'));
    h = await Harness.start(backend, { env: { OUTBOX_RELAY_ENABLED: 'false', EVIDENCE_DIR: dir } });
    [userA, userB, reviewer, admin] = await Promise.all([
      h.signInAsEnterpriseUser({ enterprise: 0 }),
      h.signInAsEnterpriseUser({ enterprise: 1 }),
      h.signInAsStaff('reviewer'),
      h.signInAsStaff('admin'),
    ]);
    entityA = h.enterprises[0].entityId;
    entityB = h.enterprises[1].entityId;
    const status = await h.get<{ problems: string[] }>('/calendar/schedules', admin.auth);
    for (const p of status.body.problems) {
      const year = Number(/^(\d{4})/.exec(p)![1]);
      expectStatus(
        await h.http('PUT', `/calendar/schedules/${year}`, {
          auth: admin.auth,
          body: { holidays: [`${year}-01-01`], makeupWorkdays: [] },
        }),
        200,
        'loadCalendarSchedule',
      );
    }
    recA = await deliverPenalties(h, h.enterprises[0].uscc, entityA, [
      { key: 'RECENT', occurredOn: daysAgo(20), severity: 'general', summary: '黑市监罚〔2026〕201号' },
    ]);
  }, 180_000);
  afterAll(async () => {
    await h?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  const audits = (action: string) =>
    h.db.query<AuditRow>(`SELECT action, actor_id, object_id FROM audit_log WHERE action = $1 ORDER BY id`, [action]);

  it('keeps every notice in the messages list, unread first, each linking to its application; only the caller’s own', async () => {
    const up = await upload(
      h,
      `/entities/${entityA}/evidence`,
      [{ name: 'file', filename: '复议决定书.jpg', contentType: 'image/jpeg', data: aJpeg() }],
      userA.auth,
    );
    expectStatus(up, 201, 'uploadEvidence');
    const filed = await h.post<{ id: number }>(
      '/objections',
      {
        entityId: entityA,
        recordId: recA.RECENT,
        ground: 'authority_mismatch',
        statement: '处罚决定已被认定机关撤销，公示信息与认定机关不一致。',
        evidenceIds: [(up.body as unknown as { id: number }).id],
      },
      userA.auth,
    );
    expectStatus(filed, 201, 'createObjection');
    const id = filed.body.id;
    const decide = (body: unknown) => h.post(`/objections/${id}/decision`, body, reviewer.auth);
    expectStatus(await decide({ action: 'accept' }), 200, 'accept');
    expectStatus(await decide({ action: 'return', reason: '请补充复议决定书的盖章页。' }), 200, 'return');

    // No subscribe message was accepted, so none went to WeChat; the in-app list has both notices.
    const list = await h.get<UserMessageList>('/me/messages', userA.auth);
    expectStatus(list, 200, 'listMyMessages');
    expect(list.body.unread).toBe(2);
    expect(list.body.items.map((m) => [m.title, m.body, m.readAt])).toEqual([
      ['信用异议：待补正材料', '请按要求补正材料后重新提交：请补充复议决定书的盖章页。', null],
      ['信用异议：已受理，核查中', '信用工作机构已受理，将在办理期限内作出决定，请留意后续消息。', null],
    ]);
    expect(list.body.items[0]).toMatchObject({
      entityId: entityA,
      entityName: h.enterprises[0].name,
      link: { kind: 'application', applicationKind: 'objection', id },
    });
    const outbox = await h.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM outbox WHERE destination = $1`, [
      `wechat:${userA.userId}`,
    ]);
    expect(outbox[0]!.n).toBe(0);

    // User B sees none of them, and cannot mark A's as read.
    const other = await h.get<UserMessageList>('/me/messages', userB.auth);
    expect([other.body.items.length, other.body.unread]).toEqual([0, 0]);
    const intruder = await h.post(`/me/messages/${list.body.items[0]!.id}/read`, {}, userB.auth);
    expect([intruder.status, codeOf(intruder)]).toEqual([404, 'NOT_FOUND']);
    expect((await h.post(`/me/messages/${list.body.items[0]!.id}/read`, {}, reviewer.auth)).status).toBe(403);

    const read = await h.post<{ readAt: string | null }>(`/me/messages/${list.body.items[0]!.id}/read`, {}, userA.auth);
    expectStatus(read, 200, 'markMessageRead');
    expect(read.body.readAt).not.toBeNull();
    const unread = await h.get<UserMessageList>('/me/messages?unread=true', userA.auth);
    expect([unread.body.unread, unread.body.items.map((m) => m.title)]).toEqual([1, ['信用异议：已受理，核查中']]);
    const all = await h.post<{ marked: number }>('/me/messages/read-all', {}, userA.auth);
    expect(all.body.marked).toBe(1);
    expect((await h.get<UserMessageList>('/me/messages', userA.auth)).body.unread).toBe(0);

    const bad = await h.get('/me/messages?before=x', userA.auth);
    expect([bad.status, codeOf(bad)]).toEqual([400, 'VALIDATION_FAILED']);
  });

  it('pages the list 20 at a time, newest first', async () => {
    await h.db.prisma.userMessage.createMany({
      data: Array.from({ length: 25 }, (_, i) => ({
        userId: userB.userId,
        entityId: entityB,
        messageKey: `grade.changed:test-${i}`,
        topic: 'grade.changed',
        title: '信用等级变化',
        body: `第 ${i} 条`,
        linkKind: 'evaluation',
        createdAt: new Date(Date.now() - (25 - i) * 1000),
      })),
    });
    const first = await h.get<UserMessageList>('/me/messages', userB.auth);
    expect([first.body.items.length, first.body.items[0]!.body, first.body.unread]).toEqual([20, '第 24 条', 25]);
    const second = await h.get<UserMessageList>(`/me/messages?before=${first.body.nextBefore}`, userB.auth);
    expect([second.body.items.map((m) => m.body), second.body.nextBefore]).toEqual([
      ['第 4 条', '第 3 条', '第 2 条', '第 1 条', '第 0 条'],
      null,
    ]);
  });

  it('exports the user’s own personal data, masked, and audits the export', async () => {
    const sut = await h.get<PersonalDataExport>('/me/personal-data', userA.auth);
    expectStatus(sut, 200, 'exportMyPersonalData');
    expect(sut.body.format).toBe('heihe-credit-personal-data/1');
    expect(sut.body.me.bindings.map((b) => [b.entityId, b.status, b.revokedReason])).toEqual([
      [entityA, 'active', null],
    ]);
    expect(sut.body.me.bindings[0]!.verifiedAs.idNumber).toMatch(/^\d{4}\*{10}\w{4}$/);
    expect(sut.body.applications).toEqual([
      expect.objectContaining({ kind: 'objection', entityId: entityA, status: 'returned' }),
    ]);
    expect(sut.body.messages).toHaveLength(2);
    // Only A's: B's 25 messages and B's binding are not in it.
    expect(JSON.stringify(sut.body)).not.toContain(h.enterprises[1].uscc);
    const rows = await audits('personal_data.export');
    expect(rows.map((r) => [r.actor_id, r.object_id])).toEqual([[String(userA.userId), String(userA.userId)]]);
    expect((await h.get('/me/personal-data', reviewer.auth)).status).toBe(403);
  });

  it('unbinds an enterprise at once: the same token no longer reaches it, and its messages leave the list', async () => {
    const before = await h.get(`/entities/${entityB}/evaluation`, userB.auth);
    expectStatus(before, 200, 'getEntityEvaluation before');
    // Someone else's binding is not the caller's to end.
    const intruder = await h.http('DELETE', `/me/enterprises/${entityB}`, { auth: userA.auth });
    expect([intruder.status, codeOf(intruder)]).toEqual([404, 'NOT_FOUND']);

    const sut = await h.http<{ entityId: number; unboundAt: string }>('DELETE', `/me/enterprises/${entityB}`, {
      auth: userB.auth,
    });
    expectStatus(sut, 200, 'unbindEnterprise');
    expect(sut.body.entityId).toBe(entityB);
    const after = await h.get(`/entities/${entityB}/evaluation`, userB.auth);
    expect([403, 404]).toContain(after.status);
    expect((await h.get<UserMessageList>('/me/messages', userB.auth)).body.items).toEqual([]);
    const again = await h.http('DELETE', `/me/enterprises/${entityB}`, { auth: userB.auth });
    expect([again.status, codeOf(again)]).toEqual([404, 'NOT_FOUND']);
    const me = await h.get<{ bindings: Array<{ status: string; revokedReason: string | null }> }>('/me', userB.auth);
    expect(me.body.bindings.map((b) => [b.status, b.revokedReason])).toEqual([['revoked', 'unbound']]);
    const rows = await audits('identity.unbind');
    expect(rows.map((r) => [r.actor_id, r.object_id])).toEqual([[String(userB.userId), String(entityB)]]);
    // Binding again takes a new identity verification, which works.
    const rebound = await h.verify(userB.auth, h.elements(1));
    expect(rebound.status).toBe(200);
    expectStatus(await h.get(`/entities/${entityB}/evaluation`, userB.auth), 200, 'after verifying again');
  });

  it('withdraws the privacy consent: every binding ends, verification needs a new consent, audited', async () => {
    const sut = await h.post<WithdrawPrivacyConsentResult>('/me/privacy-consent/withdraw', {}, userA.auth);
    expectStatus(sut, 200, 'withdrawPrivacyConsent');
    expect(sut.body.unbound.map((e) => e.entityId)).toEqual([entityA]);
    expect((await h.get(`/entities/${entityA}/evaluation`, userA.auth)).status).toBeGreaterThanOrEqual(403);
    const me = await h.get<{
      privacyConsent: { version: string | null; withdrawnAt: string | null; upToDate: boolean };
      bindings: Array<{ revokedReason: string | null }>;
    }>('/me', userA.auth);
    expect(me.body.privacyConsent).toMatchObject({ version: null, withdrawnAt: sut.body.withdrawnAt, upToDate: false });
    expect(me.body.bindings.map((b) => b.revokedReason)).toEqual(['consent_withdrawn']);
    const verify = await h.verify(userA.auth, h.elements(0));
    expect([verify.status, codeOf(verify)]).toEqual([403, 'CONSENT_REQUIRED']);
    const twice = await h.post('/me/privacy-consent/withdraw', {}, userA.auth);
    expect([twice.status, codeOf(twice)]).toEqual([409, 'CONFLICT']);
    expect((await audits('privacy.withdraw')).map((r) => r.actor_id)).toEqual([String(userA.userId)]);
  });

  it('says in the message what an upheld objection did to the score', async () => {
    const recB = await deliverPenalties(h, h.enterprises[1].uscc, entityB, [
      { key: 'B1', occurredOn: daysAgo(15), severity: 'general', summary: '黑市监罚〔2026〕202号' },
    ]);
    const up = await upload(
      h,
      `/entities/${entityB}/evidence`,
      [{ name: 'file', filename: '撤销决定书.jpg', contentType: 'image/jpeg', data: aJpeg() }],
      userB.auth,
    );
    expectStatus(up, 201, 'uploadEvidence');
    const filed = await h.post<{ id: number }>(
      '/objections',
      {
        entityId: entityB,
        recordId: recB.B1,
        ground: 'wrong',
        statement: '该处罚决定已由作出机关撤销，请撤销该记录。',
        evidenceIds: [(up.body as unknown as { id: number }).id],
      },
      userB.auth,
    );
    expectStatus(filed, 201, 'createObjection');
    const decide = (body: unknown) => h.post(`/objections/${filed.body.id}/decision`, body, reviewer.auth);
    expectStatus(await decide({ action: 'accept' }), 200, 'accept');
    const upheld = await decide({
      action: 'uphold',
      reason: '作出机关已撤销该处罚决定',
      correction: { action: 'revoke' },
    });
    expectStatus(upheld, 200, 'uphold');
    const { scoreBefore, scoreAfter } = (upheld.body as { outcome: { scoreBefore: number; scoreAfter: number } })
      .outcome;
    expect(scoreAfter).toBeGreaterThan(scoreBefore);

    const list = await h.get<UserMessageList>('/me/messages', userB.auth);
    expect(list.body.items[0]).toMatchObject({
      title: '信用异议：异议成立',
      body: expect.stringContaining(`作出机关已撤销该处罚决定。信用分 ${scoreBefore} → ${scoreAfter} 分`),
      link: { kind: 'application', applicationKind: 'objection', id: filed.body.id },
    });
  });
});
