import { sealAll } from '../../cloud/src/audit';
import { testBackends } from '../../cloud/src/testing/test-db';
import {
  codeOf,
  expectStatus,
  Harness,
  type ApiClientHandle,
  type EnterpriseUser,
  type HttpResult,
  type StaffSession,
} from '../support/harness';

interface Staff {
  id: number;
  username: string;
  state: string;
  lockedUntil: string | null;
  disabledAt: string | null;
}
interface Credentials {
  account: Staff;
  password: string | null;
  totpSecret: string;
  otpauthUri: string;
}
interface Client {
  id: number;
  name: string;
  scopes: string[];
  revokedAt: string | null;
}
interface AuditPage {
  items: Array<{
    id: string;
    actorId: string | null;
    action: string;
    objectType: string;
    objectId: string | null;
    sealed: boolean;
  }>;
  nextBefore: string | null;
}

const department = {
  name: '黑河市市场监督管理局',
  kind: 'department',
  scopes: ['results:feed', 'evaluations:read'],
  purpose: '双随机抽查按信用等级确定比例',
  legalBasis: '《黑河市公共信用综合评价办法》第十二条',
  regionPrefix: '2311',
  industryPrefix: 'C',
};

describe.each(testBackends())('operations (staff, API clients, the audit trail) on %s', (backend) => {
  let h: Harness;
  let admin: StaffSession;
  let reviewer: StaffSession;
  let officer: StaffSession;
  let user: EnterpriseUser;
  let bank: ApiClientHandle;

  beforeAll(async () => {
    h = await Harness.start(backend, { env: { OUTBOX_RELAY_ENABLED: 'false' } });
    [admin, reviewer, officer, user, bank] = await Promise.all([
      h.signInAsStaff('admin'),
      h.signInAsStaff('reviewer'),
      h.signInAsStaff('investment_officer'),
      h.signInAsEnterpriseUser({ enterprise: 0 }),
      h.apiClient(['evaluations:read']),
    ]);
  }, 180_000);
  afterAll(async () => {
    await h?.close();
  });

  const login = (username: string, password: string, secret: string, offset = 0) =>
    h.post('/auth/staff/login', { username, password, totp: h.totpNow(secret, offset) });
  const audited = (action: string, objectId: string) =>
    h.db.query<{ actor_id: string; detail: Record<string, unknown> }>(
      `SELECT actor_id, detail FROM audit_log WHERE action = $1 AND object_id = $2`,
      [action, objectId],
    );

  it('creates a staff account whose password and TOTP (shown once) sign in, audited; a taken name is refused', async () => {
    const created = await h.post<Credentials>(
      '/staff-accounts',
      { username: 'li.reviewer', displayName: '李审核', role: 'reviewer' },
      admin.auth,
    );
    expectStatus(created, 201, 'createStaffAccount');
    const c = created.body;
    expect(c.account).toMatchObject({ username: 'li.reviewer', role: 'reviewer', state: 'active' });
    expect(c.otpauthUri).toContain(c.totpSecret);
    expect(c.password).toMatch(/^[\w-]{16}$/);
    expectStatus(await login('li.reviewer', c.password!, c.totpSecret), 200, 'loginStaff with the shown credentials');
    expect(await audited('staff.create', String(c.account.id))).toEqual([
      { actor_id: `admin:${admin.username}`, detail: { username: 'li.reviewer', role: 'reviewer' } },
    ]);
    const list = await h.get<{ items: Staff[] }>('/staff-accounts', admin.auth);
    expect(list.body.items.map((s) => s.username)).toContain('li.reviewer');
    expect(list.text).not.toContain(c.totpSecret);

    const again = await h.post(
      '/staff-accounts',
      { username: 'li.reviewer', displayName: '李二', role: 'admin' },
      admin.auth,
    );
    expect([again.status, codeOf(again)]).toEqual([409, 'USERNAME_TAKEN']);
    const bad = await h.post('/staff-accounts', { username: 'Li Si', displayName: '李四', role: 'admin' }, admin.auth);
    expect([bad.status, codeOf(bad)]).toEqual([400, 'VALIDATION_FAILED']);
  });

  it('locks an account (its session ends, sign-in refused), unlocks it; never one’s own', async () => {
    const victim = await h.signInAsStaff('reviewer');
    expectStatus(await h.get('/review/queue', victim.auth), 200, 'reviewer queue before the lock');

    const locked = await h.post<Staff>(`/staff-accounts/${victim.staffId}/lock`, {}, admin.auth);
    expectStatus(locked, 200, 'lockStaffAccount');
    expect(locked.body).toMatchObject({ state: 'locked', disabledAt: expect.any(String) });
    expect((await h.get('/review/queue', victim.auth)).status).toBe(401);
    await h.awayFromStepEdge();
    expect((await login(victim.username, victim.password, victim.totpSecret, 1)).status).toBe(401);
    const twice = await h.post(`/staff-accounts/${victim.staffId}/lock`, {}, admin.auth);
    expect([twice.status, codeOf(twice)]).toEqual([409, 'ACCOUNT_STATE']);
    const self = await h.post(`/staff-accounts/${admin.staffId}/lock`, {}, admin.auth);
    expect([self.status, codeOf(self)]).toEqual([409, 'ACCOUNT_STATE']);
    expect((await audited('staff.lock', String(victim.staffId)))[0]?.detail).toEqual({ sessionsEnded: 1 });

    const unlocked = await h.post<Staff>(`/staff-accounts/${victim.staffId}/unlock`, {}, admin.auth);
    expectStatus(unlocked, 200, 'unlockStaffAccount');
    expect(unlocked.body).toMatchObject({ state: 'active', disabledAt: null });
    expectStatus(await login(victim.username, victim.password, victim.totpSecret, 1), 200, 'sign-in after unlock');
    const notLocked = await h.post(`/staff-accounts/${victim.staffId}/unlock`, {}, admin.auth);
    expect([notLocked.status, codeOf(notLocked)]).toEqual([409, 'ACCOUNT_STATE']);
    expect(await audited('staff.unlock', String(victim.staffId))).toHaveLength(1);
    const missing = await h.post(`/staff-accounts/999999/lock`, {}, admin.auth);
    expect([missing.status, codeOf(missing)]).toEqual([404, 'NOT_FOUND']);
  });

  it('resets a TOTP: the old secret stops, the new one (shown once) signs in, and a lockout is lifted', async () => {
    const victim = await h.signInAsStaff('reviewer');
    await h.db.query(
      `UPDATE staff_account SET failed_logins = 5, locked_until = now() + interval '1 hour' WHERE id = $1`,
      [victim.staffId],
    );
    const listed = await h.get<{ items: Staff[] }>('/staff-accounts', admin.auth);
    expect(listed.body.items.find((s) => s.id === victim.staffId)).toMatchObject({ state: 'locked_out' });

    const reset = await h.post<Credentials>(`/staff-accounts/${victim.staffId}/totp-reset`, {}, admin.auth);
    expectStatus(reset, 200, 'resetStaffTotp');
    expect(reset.body).toMatchObject({ password: null, account: { state: 'active', lockedUntil: null } });
    expect(reset.body.totpSecret).not.toBe(victim.totpSecret);
    await h.awayFromStepEdge();
    expect((await login(victim.username, victim.password, victim.totpSecret, 1)).status).toBe(401);
    expectStatus(await login(victim.username, victim.password, reset.body.totpSecret, 1), 200, 'sign-in, new TOTP');
    expect(await audited('staff.reset_totp', String(victim.staffId))).toHaveLength(1);
  });

  it('registers an API client whose key (shown once) works in its scope; rotates and disables it, audited', async () => {
    const noBasis = await h.post('/api-clients', { ...department, legalBasis: '' }, admin.auth);
    expect([noBasis.status, codeOf(noBasis)]).toEqual([400, 'VALIDATION_FAILED']);
    const unknownScope = await h.post('/api-clients', { ...department, scopes: ['everything'] }, admin.auth);
    expect(unknownScope.status).toBe(400);

    const created = await h.post<{ client: Client; apiKey: string }>('/api-clients', department, admin.auth);
    expectStatus(created, 201, 'createApiClient');
    const { client, apiKey } = created.body;
    expect(client).toMatchObject({ name: department.name, scopes: department.scopes, revokedAt: null });
    const entityId = h.enterprises[0].entityId;
    expectStatus(await h.get(`/entities/${entityId}/evaluation`, { apiKey }), 200, 'the new key in its scope');
    expect((await h.get('/staff-accounts', { apiKey })).status).toBe(403);
    const listed = await h.get<{ items: Client[] }>('/api-clients', admin.auth);
    expect(listed.body.items.find((c) => c.id === client.id)).toMatchObject({ purpose: department.purpose });
    expect(listed.text).not.toContain(apiKey);
    expect((await audited('api_client.create', String(client.id)))[0]?.detail).toMatchObject({
      scopes: department.scopes,
      legalBasis: department.legalBasis,
    });

    const rotated = await h.post<{ client: Client; apiKey: string }>(
      `/api-clients/${client.id}/rotate-key`,
      {},
      admin.auth,
    );
    expectStatus(rotated, 200, 'rotateApiClientKey');
    expect(rotated.body.apiKey).not.toBe(apiKey);
    expect((await h.get(`/entities/${entityId}/evaluation`, { apiKey })).status).toBe(401);
    expectStatus(await h.get(`/entities/${entityId}/evaluation`, { apiKey: rotated.body.apiKey }), 200, 'rotated key');

    const disabled = await h.post<Client>(`/api-clients/${client.id}/disable`, {}, admin.auth);
    expectStatus(disabled, 200, 'disableApiClient');
    expect(disabled.body.revokedAt).not.toBeNull();
    expect((await h.get(`/entities/${entityId}/evaluation`, { apiKey: rotated.body.apiKey })).status).toBe(401);
    const rotateDisabled = await h.post(`/api-clients/${client.id}/rotate-key`, {}, admin.auth);
    expect([rotateDisabled.status, codeOf(rotateDisabled)]).toEqual([409, 'ACCOUNT_STATE']);
    expect(await audited('api_client.rotate_key', String(client.id))).toHaveLength(1);
    expect(await audited('api_client.revoke', String(client.id))).toHaveLength(1);
  });

  it('searches the audit trail by actor, object and action, in keyset pages, and audits the search', async () => {
    const byActor = await h.get<AuditPage>(`/audit-log?actor=${admin.username}&action=staff.`, admin.auth);
    expectStatus(byActor, 200, 'searchAuditLog');
    const actions = byActor.body.items.map((i) => i.action);
    expect(actions).toEqual(expect.arrayContaining(['staff.create', 'staff.lock', 'staff.unlock', 'staff.reset_totp']));
    expect(
      byActor.body.items.every((i) => i.actorId === `admin:${admin.username}` && i.action.startsWith('staff.')),
    ).toBe(true);
    const ids = byActor.body.items.map((i) => BigInt(i.id));
    expect([...ids].sort((a, b) => (a > b ? -1 : 1))).toEqual(ids);

    const seen: string[] = [];
    let before: string | null = null;
    do {
      const page: HttpResult<AuditPage> = await h.get<AuditPage>(
        `/audit-log?actor=${admin.username}&action=staff.&limit=2${before ? `&before=${before}` : ''}`,
        admin.auth,
      );
      expectStatus(page, 200, 'a keyset page');
      seen.push(...page.body.items.map((i) => i.id));
      before = page.body.nextBefore;
    } while (before);
    expect(seen).toEqual(byActor.body.items.map((i) => i.id));

    const [created] = byActor.body.items.filter((i) => i.action === 'staff.create');
    const byObject = await h.get<AuditPage>(
      `/audit-log?objectType=staff_account&objectId=${created!.objectId}`,
      admin.auth,
    );
    expect(byObject.body.items.map((i) => i.action)).toContain('staff.create');
    expect(byObject.body.items.every((i) => i.objectId === created!.objectId)).toBe(true);

    const searches = await h.db.query<{ detail: { filters: Record<string, unknown>; returned: number } }>(
      `SELECT detail FROM audit_log WHERE action = 'audit.search' AND actor_id = $1 ORDER BY id`,
      [`admin:${admin.username}`],
    );
    expect(searches[0]?.detail).toEqual({
      filters: { actor: admin.username, action: 'staff.' },
      returned: byActor.body.items.length,
    });
  });

  it('reports the chain verified once sealed, counting every row, and audits the check', async () => {
    await sealAll(h.db, { timeoutMs: 5000 });
    const [rows] = await h.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_log`);

    const sut = await h.get<{
      ok: boolean;
      checked: number;
      unsealed: number;
      anchor: string;
      summary: string;
      break: unknown;
    }>('/audit-log/verification', admin.auth);

    expectStatus(sut, 200, 'getAuditChainStatus');
    expect(sut.body).toMatchObject({ ok: true, break: null });
    // Sealed rows verified plus rows still waiting (other suites' transactions may hold the horizon back).
    expect(sut.body.checked + sut.body.unsealed).toBe(rows!.n);
    expect(sut.body.summary).toMatch(sut.body.checked ? /^审计链完整/ : /^审计日志为空/);
    const page = await h.get<AuditPage>('/audit-log?action=audit.verify', admin.auth);
    expect(page.body.items[0]).toMatchObject({ actorId: `admin:${admin.username}`, sealed: false });
  }, 60_000);

  it('refuses every operation to a reviewer, an investment officer, an enterprise user and a bank', async () => {
    const calls: Array<[string, string, unknown?]> = [
      ['GET', '/staff-accounts'],
      ['POST', '/staff-accounts', { username: 'x.intruder', displayName: '越权', role: 'admin' }],
      ['POST', `/staff-accounts/${admin.staffId}/totp-reset`],
      ['POST', `/staff-accounts/${admin.staffId}/lock`],
      ['POST', `/staff-accounts/${admin.staffId}/unlock`],
      ['GET', '/api-clients'],
      ['POST', '/api-clients', department],
      ['POST', `/api-clients/${bank.id}/disable`],
      ['POST', `/api-clients/${bank.id}/rotate-key`],
      ['GET', '/audit-log'],
      ['GET', '/audit-log/verification'],
      ['POST', '/calendar/schedules/2027/preview', { holidays: ['2027-01-01'], makeupWorkdays: [] }],
    ];
    const refused: string[] = [];
    for (const [who, auth] of [
      ['reviewer', reviewer.auth],
      ['officer', officer.auth],
      ['user', user.auth],
      ['bank', bank.auth],
    ] as const)
      for (const [method, path, body] of calls) {
        const r = await h.http(method, path, { auth, body });
        if (r.status !== 403) refused.push(`${who} ${method} ${path} → ${r.status}`);
      }
    expect(refused).toEqual([]);
    // Nothing changed: the bank's key still works, the admin is not locked.
    expectStatus(await h.get(`/entities/${h.enterprises[0].entityId}/evaluation`, bank.auth), 200, 'bank key intact');
    expectStatus(await h.get('/staff-accounts', admin.auth), 200, 'admin intact');
  });
});
