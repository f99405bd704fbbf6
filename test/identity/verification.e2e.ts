import { makeIdNumber, makeUscc } from '@heihe/shared';
import { IngestRun } from '../../cloud/src/ingest/ingest-run';
import { testBackends } from '../../cloud/src/testing/test-db';
import { codeOf, Harness, type Auth } from '../support/harness';

/** A registration row for a test enterprise, as the provincial platform delivers it. */
function registration(uscc: string, name: string, rep: { name: string; idNumber: string }) {
  return {
    type: 'registration',
    sourceSystem: 'e2e',
    sourceId: `REG-${uscc}`,
    uscc,
    name,
    entityType: '有限责任公司',
    status: 'active',
    establishedOn: '2018-06-01',
    registeredCapital: 1_000_000,
    paidInCapital: 1_000_000,
    industryCode: 'F5124',
    regionCode: '231102',
    legalRepName: rep.name,
    legalRepIdNumber: rep.idNumber,
  };
}

async function ingest(h: Harness, ...rows: unknown[]): Promise<void> {
  const run = await IngestRun.start(h.db, h.vault, 'e2e', { chunkSize: 100 });
  let line = 0;
  for (const raw of rows) await run.push({ line: ++line, raw });
  const r = await run.finish();
  if (r.rejected) throw new Error(JSON.stringify(r.errors));
}

async function entityId(h: Harness, uscc: string): Promise<number> {
  const [e] = await h.db.query<{ id: number }>(`SELECT id FROM entity WHERE uscc = $1`, [uscc]);
  return e!.id;
}

interface Binding {
  entityId: number;
  uscc: string;
  method: string;
}

describe.each(testBackends())('identity verification with 人脸核身 on %s', (backend) => {
  let h: Harness;

  beforeAll(async () => {
    h = await Harness.start(backend);
  }, 120_000);
  afterAll(() => h?.close());

  const consented = () => h.signInAsEnterpriseUser({ verify: false });

  it('refuses verification before the privacy terms are accepted', async () => {
    const u = await h.signInAsEnterpriseUser({ consent: false });

    const start = await h.post('/identity/face-verifications', h.elements(0), u.auth);
    const verify = await h.post('/identity/verifications', h.elements(0), u.auth);

    expect(start.status).toBe(403);
    expect(codeOf(start)).toBe('CONSENT_REQUIRED');
    expect(codeOf(verify)).toBe('CONSENT_REQUIRED');
    expect((await h.get<{ items: unknown[] }>('/me/enterprises', u.auth)).body.items).toEqual([]);
  });

  it('records consent with the current version, and refuses an outdated one', async () => {
    const u = await h.signInAsEnterpriseUser({ consent: false });

    const old = await h.post('/me/privacy-consent', { version: '2020-01-01' }, u.auth);
    const current = await h.post('/me/privacy-consent', { version: h.config.PRIVACY_POLICY_VERSION }, u.auth);

    expect(old.status).toBe(409);
    expect(current.status).toBe(200);
    expect(current.body).toMatchObject({ version: h.config.PRIVACY_POLICY_VERSION, upToDate: true });
    const [row] = await h.db.query<{ v: string }>(`SELECT privacy_consent_version AS v FROM app_user WHERE id = $1`, [
      u.userId,
    ]);
    expect(row!.v).toBe(h.config.PRIVACY_POLICY_VERSION);
  });

  it('binds the legal representative after the three elements and a passed face check', async () => {
    const u = await consented();

    const start = await h.post<{ verifyId: string; verifyToken: string }>(
      '/identity/face-verifications',
      h.elements(0),
      u.auth,
    );
    const done = await h.post<Binding>(
      '/identity/verifications',
      { ...h.elements(0), verifyToken: start.body.verifyToken },
      u.auth,
    );

    expect(start.status).toBe(200);
    expect(start.body.verifyId).toEqual(expect.any(String));
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({
      entityId: h.enterprises[0].entityId,
      uscc: h.enterprises[0].uscc,
      method: 'three_elements_face',
    });
    const mine = await h.get<{ items: Binding[] }>('/me/enterprises', u.auth);
    expect(mine.body.items.map((b) => b.entityId)).toEqual([h.enterprises[0].entityId]);
    expect((await h.get(`/entities/${h.enterprises[0].entityId}/evaluation`, u.auth)).status).toBe(200);
    expect((await h.get(`/entities/${h.enterprises[1].entityId}/evaluation`, u.auth)).status).toBe(404);
  });

  it('accepts the elements as typed on a phone: spaced name, lowercase code', async () => {
    const u = await consented();
    const e = h.enterprises[1];

    const res = await h.verify(
      u.auth,
      h.elements(1, { name: ` ${[...e.legalRep.name].join(' ')} `, uscc: e.uscc.toLowerCase() }),
    );

    expect(res.status).toBe(200);
  });

  it('requires the face check when the deployment has it', async () => {
    const u = await consented();

    const res = await h.post('/identity/verifications', h.elements(0), u.auth);

    expect(res.status).toBe(400);
    expect((await h.get<{ items: unknown[] }>('/me/enterprises', u.auth)).body.items).toEqual([]);
  });

  it('refuses when the face check does not pass, and says what to do', async () => {
    const u = await consented();
    await fetch(`${h.fake.url}/__fake/face`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ openid: u.openid, result: 'fail' }),
    });

    const res = await h.verify(u.auth, h.elements(0));

    expect(res.status).toBe(403);
    expect(codeOf(res)).toBe('FACE_VERIFY_FAILED');
    expect((await h.get<{ items: unknown[] }>('/me/enterprises', u.auth)).body.items).toEqual([]);
    const [a] = await h.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM verification_attempt WHERE user_id = $1 AND NOT succeeded`,
      [u.userId],
    );
    expect(a!.n).toBe(1);
  });

  it("refuses another user's face-verification token", async () => {
    const owner = await consented();
    const thief = await consented();
    const start = await h.post<{ verifyToken: string }>('/identity/face-verifications', h.elements(0), owner.auth);

    const res = await h.post(
      '/identity/verifications',
      { ...h.elements(0), verifyToken: start.body.verifyToken },
      thief.auth,
    );

    expect(res.status).toBe(403);
    expect((await h.get<{ items: unknown[] }>('/me/enterprises', thief.auth)).body.items).toEqual([]);
  });

  it('refuses a face token of one enterprise used to bind another', async () => {
    const u = await consented();
    const start = await h.post<{ verifyToken: string }>('/identity/face-verifications', h.elements(0), u.auth);

    const res = await h.post(
      '/identity/verifications',
      { ...h.elements(1), verifyToken: start.body.verifyToken },
      u.auth,
    );

    expect(res.status).toBe(403);
  });

  it('answers every mismatch alike, never saying which element was wrong', async () => {
    const other = makeIdNumber('23110219700101123');
    h.sensitive.add(other);
    const attempts = [
      h.elements(0, { name: '王建国' }),
      h.elements(0, { idNumber: other }),
      h.elements(0, { uscc: h.enterprises[1].uscc }),
      h.elements(0, { uscc: makeUscc('91231102DM0000999') }),
    ];

    const bodies: unknown[] = [];
    for (const el of attempts) {
      const u = await consented();
      const res = await h.post('/identity/face-verifications', el, u.auth);
      expect(res.status).toBe(403);
      bodies.push(res.body);
    }

    expect(codeOf({ status: 403, text: '', body: bodies[0] })).toBe('IDENTITY_MISMATCH');
    expect(new Set(bodies.map((b) => JSON.stringify(b))).size).toBe(1);
  });

  it('lets one user bind several enterprises of which they are the legal representative', async () => {
    const third = makeUscc('91231102DM0000003');
    await ingest(h, registration(third, '黑河示范第三有限公司', h.enterprises[0].legalRep));
    const u = await h.signInAsEnterpriseUser({ enterprise: 0 });

    expect((await h.verify(u.auth, h.elements(0, { uscc: third }))).status).toBe(200);

    const mine = await h.get<{ items: Binding[] }>('/me/enterprises', u.auth);
    expect(mine.body.items.map((b) => b.uscc).sort()).toEqual([h.enterprises[0].uscc, third].sort());
  });

  it('ends access when the registered legal representative changes', async () => {
    const uscc = makeUscc('91231102DM0000004');
    const before = { name: '赵志强', idNumber: makeIdNumber('23110219760330303') };
    const after = { name: '钱卫东', idNumber: makeIdNumber('23110219780330404') };
    h.sensitive.add(before.idNumber).add(after.idNumber);
    await ingest(h, registration(uscc, '黑河示范变更有限公司', before));
    const id = await entityId(h, uscc);
    const u = await consented();
    expect((await h.verify(u.auth, { uscc, ...before })).status).toBe(200);
    expect((await h.get(`/entities/${id}/evaluations`, u.auth)).status).toBe(200);

    await ingest(h, registration(uscc, '黑河示范变更有限公司', after));

    expect((await h.get(`/entities/${id}/evaluations`, u.auth)).status).toBe(404);
    expect((await h.get<{ items: unknown[] }>('/me/enterprises', u.auth)).body.items).toEqual([]);
    const me = await h.get<{ bindings: Array<{ uscc: string; status: string }> }>('/me', u.auth);
    expect(me.body.bindings.find((b) => b.uscc === uscc)?.status).toBe('superseded');
    expect((await h.verify(u.auth, { uscc, ...before })).status).toBe(403);
  });

  it('shows the user what we hold about them, masked, and audits the view', async () => {
    const u = await h.signInAsEnterpriseUser({ enterprise: 1 });
    const rep = h.enterprises[1].legalRep;

    const me = await h.get<{
      user: { openid: string };
      privacyConsent: { upToDate: boolean };
      bindings: Array<{ verifiedAs: { name: string; idNumber: string }; status: string }>;
      verificationAttempts: Array<{ succeeded: boolean }>;
      sessions: Array<{ current: boolean }>;
    }>('/me', u.auth);

    expect(me.status).toBe(200);
    expect(me.body.user.openid).not.toBe(u.openid);
    expect(me.body.privacyConsent.upToDate).toBe(true);
    expect(me.body.bindings).toEqual([
      expect.objectContaining({
        status: 'active',
        verifiedAs: {
          name: `${rep.name[0]}**`,
          idNumber: `${rep.idNumber.slice(0, 4)}**********${rep.idNumber.slice(14)}`,
        },
      }),
    ]);
    expect(me.body.verificationAttempts).toEqual([expect.objectContaining({ succeeded: true })]);
    expect(me.body.sessions).toEqual([expect.objectContaining({ current: true })]);
    expect(me.text).not.toContain(rep.idNumber);
    expect(me.text).not.toContain(u.openid);
    const [a] = await h.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM audit_log WHERE action = 'personal_data.view' AND actor_id = $1`,
      [String(u.userId)],
    );
    expect(a!.n).toBe(1);
  });

  it('never stores the ID number typed in a verification in clear', async () => {
    const u = await h.signInAsEnterpriseUser({ enterprise: 0 });

    const dump =
      JSON.stringify(await h.db.query(`SELECT * FROM verification_attempt WHERE user_id = $1`, [u.userId])) +
      JSON.stringify(await h.db.query(`SELECT * FROM enterprise_binding WHERE user_id = $1`, [u.userId])) +
      JSON.stringify(await h.db.query(`SELECT detail FROM audit_log`));
    expect(dump).not.toContain(h.enterprises[0].legalRep.idNumber);
  });
});

describe.each(testBackends())('verification rate limits on %s', (backend) => {
  let h: Harness;

  beforeAll(async () => {
    h = await Harness.start(backend, {
      env: { VERIFY_MAX_FAILURES_PER_USER: '3', VERIFY_MAX_FAILURES_PER_ENTITY: '5' },
    });
  }, 120_000);
  afterAll(() => h?.close());

  const fail = (auth: Auth, which: 0 | 1) =>
    h.post('/identity/face-verifications', h.elements(which, { name: '不是本人' }), auth);

  it('locks a user out after too many failures, even with the right elements', async () => {
    const u = await h.signInAsEnterpriseUser({ verify: false });
    for (let i = 0; i < 3; i++) expect(codeOf(await fail(u.auth, 0))).toBe('IDENTITY_MISMATCH');

    const right = await h.verify(u.auth, h.elements(0));

    expect(right.status).toBe(429);
    expect(codeOf(right)).toBe('RATE_LIMITED');
  });

  it('locks an enterprise after too many failures across users, but not the users elsewhere', async () => {
    for (const n of [2, 2, 1]) {
      const u = await h.signInAsEnterpriseUser({ verify: false });
      for (let i = 0; i < n; i++) expect(codeOf(await fail(u.auth, 1))).toBe('IDENTITY_MISMATCH');
    }
    const rightful = await h.signInAsEnterpriseUser({ verify: false });

    expect(codeOf(await h.verify(rightful.auth, h.elements(1)))).toBe('RATE_LIMITED');
    expect((await h.verify(rightful.auth, h.elements(0))).status).toBe(200);
  });

  it('counts only failures inside the window', async () => {
    const u = await h.signInAsEnterpriseUser({ verify: false });
    for (let i = 0; i < 3; i++) await fail(u.auth, 0);
    await h.db.query(
      `UPDATE verification_attempt SET created_at = now() - make_interval(secs => $2 + 1) WHERE user_id = $1`,
      [u.userId, h.config.VERIFY_FAILURE_WINDOW_S],
    );
    await h.db.query(`UPDATE verification_attempt SET created_at = now() - interval '2 days' WHERE entity_uscc = $1`, [
      h.enterprises[0].uscc,
    ]);

    expect((await h.verify(u.auth, h.elements(0))).status).toBe(200);
  });
});

describe.each(testBackends())('identity verification without 人脸核身 on %s', (backend) => {
  let h: Harness;

  beforeAll(async () => {
    h = await Harness.start(backend, { env: { FACE_VERIFY_ENABLED: 'false' } });
  }, 120_000);
  afterAll(() => h?.close());

  it('binds on the three elements alone and records that only they were checked', async () => {
    const u = await h.signInAsEnterpriseUser({ verify: false });

    const res = await h.post<Binding>('/identity/verifications', h.elements(0), u.auth);

    expect(res.status).toBe(200);
    expect(res.body.method).toBe('three_elements');
    const [b] = await h.db.query<{ method: string; face_verify_id: string | null }>(
      `SELECT method, face_verify_id FROM enterprise_binding WHERE user_id = $1`,
      [u.userId],
    );
    expect(b).toEqual({ method: 'three_elements', face_verify_id: null });
  });

  it('has no face step to start', async () => {
    const u = await h.signInAsEnterpriseUser({ verify: false });

    expect((await h.post('/identity/face-verifications', h.elements(0), u.auth)).status).toBe(409);
    expect((await h.get<{ faceVerification: boolean }>('/auth/options')).body.faceVerification).toBe(false);
  });

  it('still refuses a mismatch', async () => {
    const u = await h.signInAsEnterpriseUser({ verify: false });

    expect(
      codeOf(
        await h.post(
          '/identity/verifications',
          h.elements(1, { idNumber: h.enterprises[0].legalRep.idNumber }),
          u.auth,
        ),
      ),
    ).toBe('IDENTITY_MISMATCH');
  });
});
