import { testBackends } from '../../cloud/src/testing/test-db';
import { codeOf, Harness } from '../support/harness';

interface Tokens {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
}

describe.each(testBackends())('WeChat sign-in, tokens and sessions on %s', (backend) => {
  let h: Harness;

  beforeAll(async () => {
    h = await Harness.start(backend);
  }, 120_000);
  afterAll(() => h?.close());

  const login = async (openid = h.newOpenid()) =>
    h.post<Tokens & { user: { id: number; enterprises: unknown[]; privacyConsentRequired: boolean } }>(
      '/auth/wechat/login',
      { code: await h.loginCode(openid) },
    );

  it('exchanges a wx.login code for our own tokens, and never returns the session_key', async () => {
    const res = await login();

    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      tokenType: 'Bearer',
      expiresIn: 600,
      user: { enterprises: [], privacyConsentRequired: true },
    });
    expect(res.text).not.toMatch(/session_?key/i);
    const me = await h.get('/me', { accessToken: res.body.accessToken });
    expect(me.status).toBe(200);
  });

  it('knows a returning user by openid', async () => {
    const openid = h.newOpenid();
    const first = await login(openid);
    const again = await login(openid);

    expect(again.body.user.id).toBe(first.body.user.id);
  });

  it('stores neither the session_key nor the refresh token in clear', async () => {
    const res = await login();

    const rows = await h.db.query<{ token_hash: string }>(`SELECT token_hash FROM auth_session`);
    expect(rows.map((r) => r.token_hash)).not.toContain(res.body.refreshToken);
    const dump = JSON.stringify(await h.db.query(`SELECT * FROM app_user`));
    expect(dump).not.toMatch(/session_?key/i);
  });

  it.each([
    ['an unknown code', 'no-such-code', 400, 'WECHAT_INVALID_CODE'],
    ['WeChat rate limiting (45011)', 'rate-limited', 429, 'WECHAT_RATE_LIMITED'],
    ['a risky user (40226)', 'risky', 403, 'WECHAT_RISKY_USER'],
    ['WeChat busy (-1)', 'busy', 503, 'WECHAT_BUSY'],
  ])('turns %s into a clear error of ours', async (_what, code, status, errorCode) => {
    const res = await h.post('/auth/wechat/login', { code });

    expect(res.status).toBe(status);
    expect(codeOf(res)).toBe(errorCode);
    expect(res.text).not.toContain('errmsg');
    expect(res.text).not.toContain('minute-quota');
  });

  it('refuses a code used twice', async () => {
    const code = await h.loginCode(h.newOpenid());
    expect((await h.post('/auth/wechat/login', { code })).status).toBe(200);

    const again = await h.post('/auth/wechat/login', { code });

    expect(codeOf(again)).toBe('WECHAT_INVALID_CODE');
  });

  it('rotates the refresh token on every use', async () => {
    const { body: first } = await login();

    const r1 = await h.post<Tokens>('/auth/refresh', { refreshToken: first.refreshToken });
    const r2 = await h.post<Tokens>('/auth/refresh', { refreshToken: r1.body.refreshToken });

    expect(r1.status).toBe(200);
    expect(r2.status).toBe(200);
    expect(r1.body.refreshToken).not.toBe(first.refreshToken);
    expect(r2.body.refreshToken).not.toBe(r1.body.refreshToken);
    expect((await h.get('/me/enterprises', { accessToken: r2.body.accessToken })).status).toBe(200);
  });

  /**
   * Session times are the database's (every API process agrees on them), so time passes for a
   * session by moving its rotation back, as if `seconds` had gone by since.
   */
  const rotatedSecondsAgo = (refreshToken: string, seconds: number) =>
    h.db.query(
      `UPDATE auth_session SET rotated_at = now() - make_interval(secs => $2)
       WHERE token_hash = encode(sha256(convert_to($1, 'UTF8')), 'hex')`,
      [refreshToken, seconds],
    );

  it('revokes the whole family when a rotated refresh token is used again after the grace window', async () => {
    const { body: first } = await login();
    const rotated = await h.post<Tokens>('/auth/refresh', { refreshToken: first.refreshToken });
    await rotatedSecondsAgo(first.refreshToken, h.config.REFRESH_REUSE_GRACE_S + 1);

    const reuse = await h.post('/auth/refresh', { refreshToken: first.refreshToken });

    expect(reuse.status).toBe(401);
    expect((await h.post('/auth/refresh', { refreshToken: rotated.body.refreshToken })).status).toBe(401);
    expect((await h.get('/me', { accessToken: rotated.body.accessToken })).status).toBe(401);
    expect((await h.get('/me', { accessToken: first.accessToken })).status).toBe(401);
    const [a] = await h.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM audit_log WHERE action = 'auth.refresh_reuse'`,
    );
    expect(a!.n).toBeGreaterThanOrEqual(1);
  });

  it('gives concurrent refreshes with one token the same successor, and the session stays usable', async () => {
    const { body: first } = await login();

    const all = await Promise.all(
      [0, 1, 2, 3].map(() => h.post<Tokens>('/auth/refresh', { refreshToken: first.refreshToken })),
    );

    expect(all.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    expect(new Set(all.map((r) => r.body.refreshToken)).size).toBe(1);
    for (const r of all) expect((await h.get('/me', { accessToken: r.body.accessToken })).status).toBe(200);
    const next = await h.post<Tokens>('/auth/refresh', { refreshToken: all[0]!.body.refreshToken });
    expect(next.status).toBe(200);
    expect((await h.get('/me', { accessToken: next.body.accessToken })).status).toBe(200);
    const [reuse] = await h.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM audit_log WHERE action = 'auth.refresh_reuse' AND object_id = (
         SELECT family_id FROM auth_session WHERE token_hash = encode(sha256(convert_to($1, 'UTF8')), 'hex'))`,
      [first.refreshToken],
    );
    expect(reuse!.n).toBe(0);
  });

  it('answers a refresh repeated within the grace window with the successor the first one got', async () => {
    const { body: first } = await login();
    const r1 = await h.post<Tokens>('/auth/refresh', { refreshToken: first.refreshToken });
    await rotatedSecondsAgo(first.refreshToken, h.config.REFRESH_REUSE_GRACE_S - 1);

    const again = await h.post<Tokens>('/auth/refresh', { refreshToken: first.refreshToken });

    expect(again.status).toBe(200);
    expect(again.body.refreshToken).toBe(r1.body.refreshToken);
    expect((await h.get('/me', { accessToken: r1.body.accessToken })).status).toBe(200);
  });

  it('treats a repeat within the window as reuse once its successor was spent too', async () => {
    const { body: first } = await login();
    const r1 = await h.post<Tokens>('/auth/refresh', { refreshToken: first.refreshToken });
    const r2 = await h.post<Tokens>('/auth/refresh', { refreshToken: r1.body.refreshToken });

    const repeat = await h.post('/auth/refresh', { refreshToken: first.refreshToken });

    expect(repeat.status).toBe(401);
    expect((await h.get('/me', { accessToken: r2.body.accessToken })).status).toBe(401);
    expect((await h.post('/auth/refresh', { refreshToken: r2.body.refreshToken })).status).toBe(401);
  });

  it('refuses an unknown refresh token', async () => {
    expect((await h.post('/auth/refresh', { refreshToken: 'x'.repeat(43) })).status).toBe(401);
  });

  it('ends a session left idle past the idle timeout', async () => {
    const { body } = await login();
    await h.db.query(
      `UPDATE auth_session SET last_used_at = now() - make_interval(secs => $1 + 5) WHERE family_id IN (SELECT family_id FROM auth_session ORDER BY created_at DESC LIMIT 1)`,
      [h.config.USER_SESSION_IDLE_S],
    );

    expect((await h.post('/auth/refresh', { refreshToken: body.refreshToken })).status).toBe(401);
  });

  it('ends a session at its absolute lifetime, however active', async () => {
    const { body } = await login();
    const r1 = await h.post<Tokens>('/auth/refresh', { refreshToken: body.refreshToken });
    await h.db.query(
      `UPDATE auth_session SET expires_at = now() - interval '1 second' WHERE revoked_at IS NULL AND rotated_at IS NULL AND token_hash = encode(sha256(convert_to($1, 'UTF8')), 'hex')`,
      [r1.body.refreshToken],
    );

    expect((await h.post('/auth/refresh', { refreshToken: r1.body.refreshToken })).status).toBe(401);
    expect((await h.get('/me', { accessToken: r1.body.accessToken })).status).toBe(401);
  });

  it('logs out: the access token and the refresh token stop working at once', async () => {
    const { body } = await login();
    const auth = { accessToken: body.accessToken };

    const out = await h.post('/auth/logout', {}, auth);

    expect(out.status).toBe(200);
    expect((await h.get('/me', auth)).status).toBe(401);
    expect((await h.post('/auth/refresh', { refreshToken: body.refreshToken })).status).toBe(401);
  });

  it('tells the H5 build whether it is a demo and what the privacy version is', async () => {
    const res = await h.get<{ demoMode: boolean; demoLoginCodeUrl: string | null; privacyPolicyVersion: string }>(
      '/auth/options',
    );

    expect(res.body).toEqual({
      demoMode: false,
      demoLoginCodeUrl: null,
      faceVerification: true,
      privacyPolicyVersion: h.config.PRIVACY_POLICY_VERSION,
    });
  });

  it('documents every identity operation in the OpenAPI document', async () => {
    const doc = await h.get<{ paths: Record<string, Record<string, { operationId: string; 'x-callers': string[] }>> }>(
      '/openapi.json',
    );
    const ops = Object.values(doc.body.paths).flatMap((p) => Object.values(p));

    expect(ops.map((o) => o.operationId)).toEqual(
      expect.arrayContaining([
        'loginWithWechat',
        'refreshToken',
        'logout',
        'loginStaff',
        'recordPrivacyConsent',
        'startFaceVerification',
        'verifyIdentity',
        'getMe',
        'listMyEnterprises',
      ]),
    );
    for (const o of ops) expect(o['x-callers'].length).toBeGreaterThan(0);
  });
});
