import { registeredEndpoints } from '../../cloud/src/common/endpoint';
import { testBackends } from '../../cloud/src/testing/test-db';
import { CROSS_TENANT_CASES, type Parties } from '../support/cross-tenant';
import { Harness, type HttpResult } from '../support/harness';

/** Operations whose path names an object (an ID). Every one needs a case in CROSS_TENANT_CASES. */
function operationsTakingIds(): string[] {
  return [
    ...new Set(
      registeredEndpoints()
        .filter((e) => e.spec.params && !e.spec.callers.includes('public'))
        .map((e) => e.spec.operationId),
    ),
  ].sort();
}

const show = (label: string, r: HttpResult) => `${label} → ${r.status} ${r.text.slice(0, 200)}`;

describe.each(testBackends())('cross-tenant access on %s', (backend) => {
  let h: Harness;
  let p: Parties;

  beforeAll(async () => {
    h = await Harness.start(backend);
    const [userA, userB, bankA, bankB, reviewer, admin] = await Promise.all([
      h.signInAsEnterpriseUser({ enterprise: 0 }),
      h.signInAsEnterpriseUser({ enterprise: 1 }),
      h.apiClient(['evaluations:read'], { name: '甲银行' }),
      h.apiClient(['statistics:read'], { name: '乙银行' }),
      h.signInAsStaff('reviewer'),
      h.signInAsStaff('admin'),
    ]);
    const cycle = await h.post<{ id: number }>('/scoring/cycles', {}, admin.auth);
    if (cycle.status !== 202) throw new Error(show('runScoringCycle', cycle));
    const draft = await h.post<{ version: number }>('/models', { name: '草稿', definition: {} }, admin.auth);
    if (draft.status !== 201) throw new Error(show('createModelDraft', draft));
    p = {
      h,
      userA,
      userB,
      bankA,
      bankB,
      reviewer,
      admin,
      entityA: h.enterprises[0].entityId,
      entityB: h.enterprises[1].entityId,
      cycleId: cycle.body.id,
      modelVersion: 1,
      draftVersion: draft.body.version,
    };
  }, 120_000);
  afterAll(() => h?.close());

  it('has a case for every operation that takes an ID', () => {
    const covered = new Set(CROSS_TENANT_CASES.map((c) => c.operationId));

    expect(operationsTakingIds().filter((op) => !covered.has(op))).toEqual([]);
  });

  describe.each(CROSS_TENANT_CASES.map((c) => [c.operationId, c] as const))('%s', (_op, c) => {
    if (c.allowed)
      it('serves those entitled (control)', async () => {
        for (const [label, call] of c.allowed!(p)) {
          const r = await call;
          expect({ label, ok: r.status >= 200 && r.status < 300 }).toEqual({ label, ok: true });
        }
      });

    it("answers 403 or 404 to everyone else, with the other party's IDs", async () => {
      for (const [label, call] of c.refused(p)) {
        const r = await call;
        expect(show(label, r)).toMatch(/→ 40[34] /);
      }
    });
  });

  it("never shows one user the other's enterprise in their own views", async () => {
    const me = await h.get('/me', p.userA.auth);
    const mine = await h.get<{ items: Array<{ entityId: number }> }>('/me/enterprises', p.userA.auth);

    expect(mine.body.items.map((i) => i.entityId)).toEqual([p.entityA]);
    expect(me.text).not.toContain(h.enterprises[1].uscc);
    expect(me.text).not.toContain(h.enterprises[1].name);
  });

  it("refuses binding the other's enterprise with one's own identity", async () => {
    const res = await h.verify(
      p.userA.auth,
      h.elements(1, { name: h.enterprises[0].legalRep.name, idNumber: h.enterprises[0].legalRep.idNumber }),
    );

    expect(res.status).toBe(403);
    expect((await h.get(`/entities/${p.entityB}/evaluation`, p.userA.auth)).status).toBe(404);
  });

  it('keeps API clients out of user and staff endpoints', async () => {
    expect((await h.get('/me', p.bankA.auth)).status).toBe(403);
    expect((await h.post('/auth/logout', {}, p.bankA.auth)).status).toBe(403);
    expect((await h.get('/models', p.bankA.auth)).status).toBe(403);
  });

  it('keeps a refreshed session with its own user and enterprise', async () => {
    const r = await h.post<{ accessToken: string }>('/auth/refresh', { refreshToken: p.userB.refreshToken });
    expect(r.status).toBe(200);

    const asB = await h.get<{ items: Array<{ entityId: number }> }>('/me/enterprises', {
      accessToken: r.body.accessToken,
    });
    expect(asB.body.items.map((i) => i.entityId)).toEqual([p.entityB]);
  });
});
