import { Ingestor } from '../../../cloud/src/ingest/ingestor';
import { chinaDate } from '../../../cloud/src/common/china-time';
import { Scorer } from '../../../cloud/src/scoring/scorer';
import type { Parties } from '../../support/cross-tenant';
import { expectStatus, type ApiClientHandle, type Harness, type SeededEnterprise } from '../../support/harness';

export const LOAN_SCOPE = 'loans:bank';

const daysAgo = (n: number) => chinaDate(new Date(Date.now() - n * 86_400_000));

/** Rows through ingestion, then the entity re-scored as a delivery would. */
export async function deliverRows(h: Harness, e: SeededEnterprise, rows: Array<Record<string, unknown>>) {
  const ingestor = new Ingestor(h.db, h.vault);
  const batch = await ingestor.startBatch('loans-e2e');
  const res = await ingestor.applyChunk(
    batch,
    rows.map((r, i) => ({ line: i + 1, raw: { type: 'record', sourceSystem: 'loans-e2e', uscc: e.uscc, ...r } })),
  );
  await ingestor.finishBatch(batch, 'done');
  if (res.rejected) throw new Error(JSON.stringify(res.errors));
  await new Scorer(h.db).rescore([e.entityId], 'loans-e2e.delivery');
}

/** Tax grade A and a large tax paid last year: enough to lift a demo enterprise to grade A. */
export async function makeGradeA(h: Harness, e: SeededEnterprise) {
  const year = Number(daysAgo(0).slice(0, 4));
  await deliverRows(h, e, [
    { sourceId: `${e.uscc}-LTG`, kind: 'tax_grade', grade: 'A', amount: year - 1, occurredOn: `${year}-04-15` },
    { sourceId: `${e.uscc}-LTP`, kind: 'tax_paid', amount: 2e7, occurredOn: `${year - 1}-12-31` },
  ]);
}

/** A serious penalty 20 days ago: enough to take a demo enterprise below grade A. */
export async function makeBelowA(h: Harness, e: SeededEnterprise) {
  await deliverRows(h, e, [
    {
      sourceId: `${e.uscc}-LPEN`,
      kind: 'penalty',
      severity: 'serious',
      occurredOn: daysAgo(20),
      summary: '信易贷测试处罚',
      documentNo: '黑市监罚〔2026〕901号',
      authority: '黑河市市场监督管理局',
    },
  ]);
}

export async function gradeOf(h: Harness, entityId: number): Promise<string | null> {
  const [r] = await h.db.query<{ grade: string | null }>('SELECT grade FROM entity_score WHERE entity_id = $1', [
    entityId,
  ]);
  return r?.grade ?? null;
}

export const aProduct = (over: Record<string, unknown> = {}) => ({
  name: '测试信用贷',
  description: '测试用产品',
  minAmount: 10,
  maxAmount: 500,
  minRate: 3.45,
  maxRate: 4.35,
  termMonths: 36,
  minGrade: 'E',
  industries: [],
  regions: [],
  slaDays: 3,
  ...over,
});

export async function upsertProduct(h: Harness, bank: ApiClientHandle, body: Record<string, unknown>) {
  const r = await h.post<{ id: number }>('/loans/products', body, bank.auth);
  expectStatus(r, 200, 'upsertLoanProduct');
  return r.body.id;
}

interface LoanObjects {
  bank1: ApiClientHandle;
  bank2: ApiClientHandle;
  product1: number;
  /** user A's authorisation for bank 1 (read control). */
  authA: number;
  /** user A's second authorisation for bank 1 (revoke control). */
  authA2: number;
  authB: number;
  /** user A's application to bank 1's product. */
  appA: number;
}

const made = new WeakMap<Harness, Promise<LoanObjects>>();

/** Two loan banks, a product, authorisations and an application, made once per harness on first use. */
export function loansOf(p: Parties): Promise<LoanObjects> {
  let m = made.get(p.h);
  if (!m) {
    m = (async () => {
      const { h } = p;
      const [bank1, bank2] = await Promise.all([
        h.apiClient([LOAN_SCOPE], { name: '越权测试甲行' }),
        h.apiClient([LOAN_SCOPE], { name: '越权测试乙行' }),
      ]);
      const product1 = await upsertProduct(h, bank1, aProduct({ name: '越权测试产品' }));
      const grant = async (auth: { accessToken: string }, entityId: number) => {
        const r = await h.post<{ id: number }>(
          '/loans/authorizations',
          { entityId, bankId: bank1.id, scopes: ['evaluation', 'records'], days: 30 },
          auth,
        );
        expectStatus(r, 201, 'grantDataAuthorization');
        return r.body.id;
      };
      const authA = await grant(p.userA.auth, p.entityA);
      const authA2 = await grant(p.userA.auth, p.entityA);
      const authB = await grant(p.userB.auth, p.entityB);
      const app = await h.post<{ id: number }>(
        '/loans/applications',
        {
          entityId: p.entityA,
          productId: product1,
          amount: 50,
          termMonths: 12,
          purpose: '越权测试',
          authorization: { scopes: ['evaluation'], days: 30 },
        },
        p.userA.auth,
      );
      expectStatus(app, 201, 'createLoanApplication');
      return { bank1, bank2, product1, authA, authA2, authB, appA: app.body.id };
    })();
    made.set(p.h, m);
  }
  return m;
}
