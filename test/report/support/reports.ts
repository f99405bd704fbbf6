import type { Parties } from '../../support/cross-tenant';
import { expectStatus, type Harness } from '../../support/harness';

/** One credit report of each enterprise, issued by its own user, made once per harness on first use. */
const made = new WeakMap<Harness, Promise<{ reportA: number; reportB: number }>>();

export function reportsOf(p: Parties): Promise<{ reportA: number; reportB: number }> {
  let m = made.get(p.h);
  if (!m) {
    m = (async () => {
      const issue = async (auth: { accessToken: string }, entityId: number) => {
        const r = await p.h.post<{ id: number }>('/credit-reports', { entityId, purpose: '越权测试' }, auth);
        expectStatus(r, 201, 'createCreditReport');
        return r.body.id;
      };
      const [reportA, reportB] = await Promise.all([issue(p.userA.auth, p.entityA), issue(p.userB.auth, p.entityB)]);
      return { reportA, reportB };
    })();
    made.set(p.h, m);
  }
  return m;
}
