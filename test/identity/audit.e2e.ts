import crypto from 'node:crypto';
import { sealAll } from '../../cloud/src/audit/seal';
import { describeVerification, verifyAuditChain } from '../../cloud/src/audit/verify';
import { testBackends } from '../../cloud/src/testing/test-db';
import { Harness } from '../support/harness';

describe.each(testBackends())('the audit trail of identity events on %s', (backend) => {
  let h: Harness;

  beforeAll(async () => {
    h = await Harness.start(backend);
  }, 120_000);
  afterAll(() => h?.close());

  const actions = async (actorId: string) =>
    (
      await h.db.query<{ action: string }>(`SELECT action FROM audit_log WHERE actor_id = $1 ORDER BY id`, [actorId])
    ).map((r) => r.action);

  it('records sign-in, consent, verification, views of personal data and sign-out', async () => {
    const u = await h.signInAsEnterpriseUser({ enterprise: 0 });
    await h.get('/me', u.auth);
    await h.get(`/entities/${h.enterprises[0].entityId}/evaluation`, u.auth);
    await h.post('/auth/logout', {}, u.auth);

    expect(await actions(String(u.userId))).toEqual([
      'auth.login',
      'privacy.consent',
      'identity.face_start',
      'identity.verify',
      'personal_data.view',
      'evaluation.view',
      'auth.logout',
    ]);
  });

  it('records staff sign-in under the staff identity', async () => {
    const s = await h.signInAsStaff('admin');

    expect(await actions(`admin:${s.username}`)).toEqual(['auth.staff_login']);
  });

  it('records 200 concurrent views of one evaluation, every one sealed into one unbroken chain', async () => {
    const bank = await h.apiClient(['evaluations:read']);
    const entityId = h.enterprises[1].entityId;

    const responses = await Promise.all(
      Array.from({ length: 200 }, () => h.get(`/entities/${entityId}/evaluation`, bank.auth)),
    );

    expect(responses.map((r) => r.status)).toEqual(Array(200).fill(200));
    expect(await sealAll(h.db)).toMatchObject({ busy: false });
    const [views] = await h.db.query<{ rows: number; sealed: number }>(
      `SELECT count(*)::int AS rows, count(s.seq)::int AS sealed
       FROM audit_log a LEFT JOIN audit_seal s ON s.audit_id = a.id
       WHERE a.action = 'evaluation.view' AND a.actor_kind = 'api_client' AND a.actor_id LIKE $1 || ':%'`,
      [String(bank.id)],
    );
    expect(views).toEqual({ rows: 200, sealed: 200 });
    expect(await verifyAuditChain(h.db)).toMatchObject({ ok: true, unsealed: 0 });
  }, 120_000);

  it('keeps one intact chain over everything the API wrote', async () => {
    await sealAll(h.db);
    const v = await verifyAuditChain(h.db);

    expect(v).toMatchObject({ ok: true, anchor: 'genesis', unsealed: 0 });
    expect(v.checked).toBeGreaterThan(5);
    expect(describeVerification(v).exitCode).toBe(0);
  });

  it("refuses the application's own UPDATE and DELETE of audit rows", async () => {
    await expect(
      h.db.query(`UPDATE audit_log SET actor_id = 'someone-else' WHERE action = 'identity.verify'`),
    ).rejects.toThrow(/append-only/);
    await expect(h.db.query(`DELETE FROM audit_log WHERE action = 'auth.login'`)).rejects.toThrow(/append-only/);
  });

  it('refuses a role with ordinary table grants: no UPDATE, DELETE, TRUNCATE or switching the trigger off', async () => {
    const role = `heihe_app_${crypto.randomBytes(4).toString('hex')}`;
    await h.db.query(`CREATE ROLE ${role} NOLOGIN`);
    await h.db.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${role}`);
    const asApp = (sql: string) =>
      h.db.tx(async (q) => {
        await q.query(`SET LOCAL ROLE ${role}`);
        await q.query(sql);
      });
    try {
      await expect(asApp(`UPDATE audit_log SET action = 'x'`)).rejects.toThrow(/append-only/);
      await expect(asApp(`DELETE FROM audit_log`)).rejects.toThrow(/append-only/);
      await expect(asApp(`TRUNCATE audit_log`)).rejects.toThrow(/permission denied/);
      await expect(asApp(`ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only`)).rejects.toThrow(
        /owner|permission/,
      );
      await expect(asApp(`UPDATE audit_seal SET hash = repeat('a', 64)`)).rejects.toThrow(/append-only/);
      await expect(asApp(`DELETE FROM audit_seal`)).rejects.toThrow(/append-only/);
      await expect(asApp(`TRUNCATE audit_seal`)).rejects.toThrow(/permission denied/);
      await expect(asApp(`SELECT audit_log_purge(184)`)).rejects.toThrow(/permission denied/);
    } finally {
      await h.db.query(`REVOKE ALL ON ALL TABLES IN SCHEMA public FROM ${role}`);
      await h.db.query(`DROP ROLE ${role}`);
    }
  });

  it('detects a verification record altered directly in the database (trigger disabled, as a superuser could)', async () => {
    const [victim] = await h.db.query<{ id: string }>(
      `SELECT id::text AS id FROM audit_log WHERE action = 'identity.verify' ORDER BY id LIMIT 1`,
    );
    await h.db.tx(async (q) => {
      await q.query(`ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only`);
      await q.query(`UPDATE audit_log SET actor_id = '999' WHERE id = $1`, [victim!.id]);
      await q.query(`ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only`);
    });

    const v = await verifyAuditChain(h.db);

    expect(v.ok).toBe(false);
    expect(v.break).toMatchObject({ id: victim!.id, reason: 'hash' });
    const out = describeVerification(v);
    expect(out.exitCode).toBe(1);
    expect(out.text).toContain(`#${victim!.id}`);
  });
});
