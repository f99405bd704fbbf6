import crypto from 'node:crypto';
import { createStaffAccount } from '../../cloud/src/auth/accounts';
import type { StaffRole } from '../../cloud/src/auth/principal';
import { SecretBox } from '../../cloud/src/common/secret-box';
import { testBackends } from '../../cloud/src/testing/test-db';
import { codeOf, Harness } from '../support/harness';

describe.each(testBackends())('staff sign-in with password and TOTP on %s', (backend) => {
  let h: Harness;
  let n = 0;

  beforeAll(async () => {
    h = await Harness.start(backend, { env: { STAFF_MAX_FAILED_LOGINS: '3' } });
  }, 120_000);
  afterAll(() => h?.close());

  async function account(role: StaffRole = 'reviewer') {
    const username = `staff-${++n}`;
    const password = `Pa55-${n}-word`;
    const s = await createStaffAccount(h.db, new SecretBox(h.config.TOTP_ENCRYPTION_KEY), {
      username,
      displayName: '测试',
      role,
      password,
      scrypt: { log2N: 12, r: 8, p: 1 },
    });
    return { ...s, password };
  }

  const login = (body: Record<string, unknown>) =>
    h.post<{ accessToken: string; refreshToken: string; staff: { role: string } }>('/auth/staff/login', body);

  it('signs in with the password and the current TOTP code', async () => {
    const a = await account('admin');

    const res = await login({ username: a.username, password: a.password, totp: h.totpNow(a.totpSecret) });

    expect(res.status).toBe(200);
    expect(res.body.staff).toMatchObject({ username: a.username, role: 'admin' });
  });

  it('requires the TOTP code for every role', async () => {
    for (const role of ['reviewer', 'admin', 'investment_officer'] as const) {
      const a = await account(role);
      const res = await login({ username: a.username, password: a.password });
      expect(res.status).toBe(400);
      expect(codeOf(res)).toBe('VALIDATION_FAILED');
    }
  });

  it('answers a wrong password, a wrong code and an unknown account alike', async () => {
    const a = await account();

    const wrongPassword = await login({ username: a.username, password: 'nope', totp: h.totpNow(a.totpSecret) });
    const wrongCode = await login({ username: a.username, password: a.password, totp: h.totpNow(a.totpSecret, 5) });
    const unknown = await login({ username: 'no-such-person', password: a.password, totp: h.totpNow(a.totpSecret) });

    for (const r of [wrongPassword, wrongCode, unknown]) expect(r.status).toBe(401);
    expect(new Set([wrongPassword, wrongCode, unknown].map((r) => r.text)).size).toBe(1);
  });

  it('accepts the previous code (clock drift) but not one two steps old', async () => {
    const a = await account();
    const b = await account();
    await h.awayFromStepEdge();

    expect(
      (await login({ username: a.username, password: a.password, totp: h.totpNow(a.totpSecret, -1) })).status,
    ).toBe(200);
    expect(
      (await login({ username: b.username, password: b.password, totp: h.totpNow(b.totpSecret, -2) })).status,
    ).toBe(401);
  });

  it('refuses a TOTP code that already signed someone in', async () => {
    const a = await account();
    const code = h.totpNow(a.totpSecret);
    expect((await login({ username: a.username, password: a.password, totp: code })).status).toBe(200);

    expect((await login({ username: a.username, password: a.password, totp: code })).status).toBe(401);
  });

  it('locks the account after repeated failures, then refuses even the right credentials', async () => {
    const a = await account();
    for (let i = 0; i < 3; i++) await login({ username: a.username, password: 'wrong', totp: h.totpNow(a.totpSecret) });

    const res = await login({ username: a.username, password: a.password, totp: h.totpNow(a.totpSecret) });

    expect(res.status).toBe(429);
    const [row] = await h.db.query<{ locked: boolean }>(
      `SELECT locked_until > now() AS locked FROM staff_account WHERE username = $1`,
      [a.username],
    );
    expect(row!.locked).toBe(true);
  });

  it('refuses a disabled account, and ends its sessions', async () => {
    const s = await h.signInAsStaff('reviewer');
    await h.db.query(`UPDATE staff_account SET disabled_at = now() WHERE id = $1`, [s.staffId]);

    expect((await h.get('/models', s.auth)).status).toBe(401);
    expect((await h.post('/auth/refresh', { refreshToken: s.refreshToken })).status).toBe(401);
  });

  it('admits a role only to the endpoints that declare it', async () => {
    const reviewer = await h.signInAsStaff('reviewer');
    const officer = await h.signInAsStaff('investment_officer');
    const admin = await h.signInAsStaff('admin');

    expect((await h.get('/models', reviewer.auth)).status).toBe(200);
    expect((await h.get('/models', officer.auth)).status).toBe(403);
    expect((await h.get('/statistics/grades', officer.auth)).status).toBe(200);
    const draft = { name: 'x', definition: {} };
    expect(codeOf(await h.post('/models', draft, reviewer.auth))).toBe('FORBIDDEN');
    expect(codeOf(await h.post('/models', draft, admin.auth))).not.toBe('FORBIDDEN');
  });

  it('keeps staff out of enterprise-only endpoints', async () => {
    const admin = await h.signInAsStaff('admin');

    expect((await h.get('/me', admin.auth)).status).toBe(403);
    expect((await h.post('/identity/verifications', h.elements(0), admin.auth)).status).toBe(403);
  });

  it('refreshes and logs out staff sessions like user sessions', async () => {
    const s = await h.signInAsStaff('admin');
    const r = await h.post<{ accessToken: string }>('/auth/refresh', { refreshToken: s.refreshToken });
    expect(r.status).toBe(200);

    expect((await h.post('/auth/logout', {}, { accessToken: r.body.accessToken })).status).toBe(200);
    expect((await h.get('/models', { accessToken: r.body.accessToken })).status).toBe(401);
  });

  it('stores the TOTP secret sealed, never in clear', async () => {
    const a = await account();

    const [row] = await h.db.query<{ cipher: string; hash: string }>(
      `SELECT totp_secret_cipher AS cipher, password_hash AS hash FROM staff_account WHERE id = $1`,
      [a.id],
    );
    expect(row!.cipher).not.toContain(a.totpSecret);
    expect(row!.cipher).toMatch(/^v2:[0-9a-f]{8}:/);
    expect(row!.hash).not.toContain(a.password);
    expect(new SecretBox(h.config.TOTP_ENCRYPTION_KEY).open(row!.cipher)).toBe(a.totpSecret);
  });

  it('signs in with a TOTP secret stored before ciphertexts had key ids', async () => {
    const a = await account();
    const iv = crypto.randomBytes(12);
    const c = crypto.createCipheriv('aes-256-gcm', Buffer.from(h.config.TOTP_ENCRYPTION_KEY, 'hex'), iv);
    const body = Buffer.concat([c.update(a.totpSecret, 'utf8'), c.final()]);
    const legacy = `v1:${Buffer.concat([iv, c.getAuthTag(), body]).toString('base64')}`;
    await h.db.query(`UPDATE staff_account SET totp_secret_cipher = $1 WHERE id = $2`, [legacy, a.id]);

    const res = await login({ username: a.username, password: a.password, totp: h.totpNow(a.totpSecret) });

    expect(res.status).toBe(200);
  });

  it('audits sign-ins and failed attempts', async () => {
    const a = await account();
    await login({ username: a.username, password: 'wrong', totp: h.totpNow(a.totpSecret) });
    await login({ username: a.username, password: a.password, totp: h.totpNow(a.totpSecret) });

    const rows = await h.db.query<{ action: string; detail: { reason?: string } }>(
      `SELECT action, detail FROM audit_log WHERE object_type = 'staff_account' AND object_id = $1 ORDER BY id`,
      [String(a.id)],
    );
    expect(rows.map((r) => r.action)).toEqual(['auth.staff_login_failed', 'auth.staff_login']);
    expect(rows[0]!.detail.reason).toBe('password');
  });
});
