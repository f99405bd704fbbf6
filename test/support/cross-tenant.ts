import { OPS_CROSS_TENANT_CASES } from '../ops/cross-tenant-cases';
import { RIGHTS_CROSS_TENANT_CASES } from '../rights/support/cross-tenant-cases';
import { SITE_CROSS_TENANT_CASES } from '../site/cross-tenant-cases';
import type { ApiClientHandle, EnterpriseUser, Harness, HttpResult, StaffSession } from './harness';

/**
 * The parties of the cross-tenant suite: two enterprises with one bound user each, two banks
 * with different scopes, and staff. Each case names an operation that takes an ID, calls it as
 * someone entitled (the control, when a read is safe to repeat) and as everyone who is not, with
 * the other party's IDs. Intruders must get 403 or 404.
 *
 * Add a case here with every new endpoint that takes an ID: the suite fails, naming the
 * operation, until one exists.
 */
export interface Parties {
  h: Harness;
  userA: EnterpriseUser;
  userB: EnterpriseUser;
  /** scopes: evaluations:read */
  bankA: ApiClientHandle;
  /** scopes: statistics:read (no evaluation access) */
  bankB: ApiClientHandle;
  reviewer: StaffSession;
  admin: StaffSession;
  entityA: number;
  entityB: number;
  cycleId: number;
  modelVersion: number;
  /** An unpublished model version. */
  draftVersion: number;
}

export type Call = Promise<HttpResult>;

export interface CrossTenantCase {
  operationId: string;
  /** Calls that must succeed (2xx): proof the IDs used below are real. */
  allowed?: (p: Parties) => Array<[string, Call]>;
  /** Calls with someone else's IDs, or by a caller without the right: each must answer 403 or 404. */
  refused: (p: Parties) => Array<[string, Call]>;
}

const draft = { name: '越权草稿', definition: {} };

let messageSeq = 0;
/** A message in the user's in-app list (as a decision would leave one), for the messages cases. */
async function messageOf(h: Harness, user: EnterpriseUser, entityId: number): Promise<number> {
  const m = await h.db.prisma.userMessage.create({
    data: {
      userId: user.userId,
      entityId,
      messageKey: `cross-tenant:${++messageSeq}`,
      topic: 'grade.changed',
      title: '信用等级变化',
      body: '越权测试',
      linkKind: 'evaluation',
      createdAt: new Date(),
    },
  });
  return m.id;
}

export const CROSS_TENANT_CASES: CrossTenantCase[] = [
  {
    operationId: 'getEntityEvaluation',
    allowed: ({ h, userA, userB, bankA, reviewer, entityA, entityB }) => [
      ['user A, own enterprise', h.get(`/entities/${entityA}/evaluation`, userA.auth)],
      ['user B, own enterprise', h.get(`/entities/${entityB}/evaluation`, userB.auth)],
      ['bank A with evaluations:read', h.get(`/entities/${entityA}/evaluation`, bankA.auth)],
      ['reviewer', h.get(`/entities/${entityB}/evaluation`, reviewer.auth)],
    ],
    refused: ({ h, userA, userB, bankB, entityA, entityB }) => [
      ['user A → B', h.get(`/entities/${entityB}/evaluation`, userA.auth)],
      ['user B → A', h.get(`/entities/${entityA}/evaluation`, userB.auth)],
      ['bank B without the scope → A', h.get(`/entities/${entityA}/evaluation`, bankB.auth)],
      ['user A → a missing id', h.get(`/entities/${entityB + 1000}/evaluation`, userA.auth)],
    ],
  },
  {
    operationId: 'listEvaluationHistory',
    allowed: ({ h, userA, bankA, entityA }) => [
      ['user A, own enterprise', h.get(`/entities/${entityA}/evaluations`, userA.auth)],
      ['bank A with evaluations:read', h.get(`/entities/${entityA}/evaluations`, bankA.auth)],
    ],
    refused: ({ h, userA, userB, bankB, entityA, entityB }) => [
      ['user A → B', h.get(`/entities/${entityB}/evaluations`, userA.auth)],
      ['user B → A', h.get(`/entities/${entityA}/evaluations?limit=5`, userB.auth)],
      ['bank B without the scope → B', h.get(`/entities/${entityB}/evaluations`, bankB.auth)],
    ],
  },
  {
    operationId: 'getScoringCycle',
    allowed: ({ h, admin, cycleId }) => [['admin', h.get(`/scoring/cycles/${cycleId}`, admin.auth)]],
    refused: ({ h, userA, userB, bankA, bankB, cycleId }) => [
      ['user A', h.get(`/scoring/cycles/${cycleId}`, userA.auth)],
      ['user B', h.get(`/scoring/cycles/${cycleId}`, userB.auth)],
      ['bank A', h.get(`/scoring/cycles/${cycleId}`, bankA.auth)],
      ['bank B', h.get(`/scoring/cycles/${cycleId}`, bankB.auth)],
    ],
  },
  {
    operationId: 'getModel',
    allowed: ({ h, reviewer, modelVersion }) => [['reviewer', h.get(`/models/${modelVersion}`, reviewer.auth)]],
    refused: ({ h, userA, bankA, bankB, modelVersion }) => [
      ['user A', h.get(`/models/${modelVersion}`, userA.auth)],
      ['bank A', h.get(`/models/${modelVersion}`, bankA.auth)],
      ['bank B', h.get(`/models/${modelVersion}`, bankB.auth)],
    ],
  },
  {
    operationId: 'getPublishedModel',
    allowed: ({ h, userA }) => [['anyone, a published version', h.get(`/models/1/definition`, userA.auth)]],
    refused: ({ h, userA, bankA, draftVersion }) => [
      ['user A, a draft', h.get(`/models/${draftVersion}/definition`, userA.auth)],
      ['bank A, a draft', h.get(`/models/${draftVersion}/definition`, bankA.auth)],
    ],
  },
  {
    operationId: 'updateModelDraft',
    refused: ({ h, userA, bankA, reviewer, modelVersion }) => [
      ['user A', h.http('PUT', `/models/${modelVersion}`, { auth: userA.auth, body: draft })],
      ['bank A', h.http('PUT', `/models/${modelVersion}`, { auth: bankA.auth, body: draft })],
      ['reviewer (not admin)', h.http('PUT', `/models/${modelVersion}`, { auth: reviewer.auth, body: draft })],
    ],
  },
  {
    operationId: 'previewModelImpact',
    refused: ({ h, userA, bankA, reviewer, modelVersion }) => [
      ['user A', h.post(`/models/${modelVersion}/preview`, {}, userA.auth)],
      ['bank A', h.post(`/models/${modelVersion}/preview`, {}, bankA.auth)],
      ['reviewer (not admin)', h.post(`/models/${modelVersion}/preview`, {}, reviewer.auth)],
    ],
  },
  {
    operationId: 'publishModel',
    refused: ({ h, userA, userB, bankA, reviewer, modelVersion }) => [
      ['user A', h.post(`/models/${modelVersion}/publish`, { effectiveFrom: '2030-01-01' }, userA.auth)],
      ['user B', h.post(`/models/${modelVersion}/publish`, { effectiveFrom: '2030-01-01' }, userB.auth)],
      ['bank A', h.post(`/models/${modelVersion}/publish`, { effectiveFrom: '2030-01-01' }, bankA.auth)],
      [
        'reviewer (not admin)',
        h.post(`/models/${modelVersion}/publish`, { effectiveFrom: '2030-01-01' }, reviewer.auth),
      ],
    ],
  },
  {
    operationId: 'markMessageRead',
    allowed: ({ h, userA, entityA }) => [
      [
        'user A, own message',
        messageOf(h, userA, entityA).then((id) => h.post(`/me/messages/${id}/read`, {}, userA.auth)),
      ],
    ],
    refused: ({ h, userA, userB, bankA, reviewer, entityA }) => {
      const id = messageOf(h, userA, entityA);
      return [
        ['user B → A’s message', id.then((m) => h.post(`/me/messages/${m}/read`, {}, userB.auth))],
        ['bank A → A’s message', id.then((m) => h.post(`/me/messages/${m}/read`, {}, bankA.auth))],
        ['reviewer → A’s message', id.then((m) => h.post(`/me/messages/${m}/read`, {}, reviewer.auth))],
        ['user A → a missing id', h.post('/me/messages/2147483000/read', {}, userA.auth)],
      ];
    },
  },
  {
    operationId: 'getMyXinyiPlus',
    allowed: ({ h, userA, entityA }) => [
      ['user A, own enterprise', h.get(`/results/entities/${entityA}/xinyi-plus`, userA.auth)],
    ],
    refused: ({ h, userA, userB, bankA, reviewer, entityA, entityB }) => [
      ['user A → B', h.get(`/results/entities/${entityB}/xinyi-plus`, userA.auth)],
      ['user B → A', h.get(`/results/entities/${entityA}/xinyi-plus`, userB.auth)],
      ['bank A → A', h.get(`/results/entities/${entityA}/xinyi-plus`, bankA.auth)],
      ['reviewer → A (enterprise users only)', h.get(`/results/entities/${entityA}/xinyi-plus`, reviewer.auth)],
      ['user A → a missing id', h.get(`/results/entities/${entityB + 1000}/xinyi-plus`, userA.auth)],
    ],
  },
  {
    // Unbinding one's own enterprise would end the other cases' access: only refusals here
    // (test/identity/my-data.e2e.ts unbinds and checks the token no longer reaches it).
    operationId: 'unbindEnterprise',
    refused: ({ h, userA, userB, bankA, reviewer, entityA, entityB }) => [
      ['user A → B', h.http('DELETE', `/me/enterprises/${entityB}`, { auth: userA.auth })],
      ['user B → A', h.http('DELETE', `/me/enterprises/${entityA}`, { auth: userB.auth })],
      ['bank A → A', h.http('DELETE', `/me/enterprises/${entityA}`, { auth: bankA.auth })],
      ['reviewer → A', h.http('DELETE', `/me/enterprises/${entityA}`, { auth: reviewer.auth })],
    ],
  },
  // 跟踪评估 figures across every recipient and bank: the agency's staff only, never a bank or an enterprise.
  {
    operationId: 'getIncentiveCheckStats',
    allowed: ({ h, admin, reviewer }) => [
      ['admin', h.get('/results/incentives/stats', admin.auth)],
      ['reviewer', h.get('/results/incentives/stats', reviewer.auth)],
    ],
    refused: ({ h, userA, bankA, bankB }) => [
      ['user A', h.get('/results/incentives/stats', userA.auth)],
      ['bank A', h.get('/results/incentives/stats', bankA.auth)],
      ['bank B', h.get('/results/incentives/stats', bankB.auth)],
    ],
  },
  {
    operationId: 'getLoanStats',
    allowed: ({ h, admin, reviewer }) => [
      ['admin', h.get('/loans/stats', admin.auth)],
      ['reviewer', h.get('/loans/stats', reviewer.auth)],
    ],
    refused: ({ h, userA, bankA, bankB }) => [
      ['user A', h.get('/loans/stats', userA.auth)],
      ['bank A', h.get('/loans/stats', bankA.auth)],
      ['bank B', h.get('/loans/stats', bankB.auth)],
    ],
  },
  // The 跟踪评估 charts (all enterprises, every cycle): the agency's staff only; a bank with statistics:read is still refused.
  {
    operationId: 'getGradeHistory',
    allowed: ({ h, admin, reviewer }) => [
      ['admin', h.get('/statistics/grades/history', admin.auth)],
      ['reviewer', h.get('/statistics/grades/history', reviewer.auth)],
    ],
    refused: ({ h, userA, bankA, bankB }) => [
      ['user A', h.get('/statistics/grades/history', userA.auth)],
      ['bank A', h.get('/statistics/grades/history', bankA.auth)],
      ['bank B', h.get('/statistics/grades/history', bankB.auth)],
    ],
  },
  {
    operationId: 'getGradeMigrations',
    allowed: ({ h, admin, reviewer, cycleId }) => [
      ['admin', h.get(`/statistics/grades/migrations?cycleId=${cycleId}`, admin.auth)],
      ['reviewer', h.get(`/statistics/grades/migrations?cycleId=${cycleId}`, reviewer.auth)],
    ],
    refused: ({ h, userA, bankA, bankB, cycleId }) => [
      ['user A', h.get(`/statistics/grades/migrations?cycleId=${cycleId}`, userA.auth)],
      ['bank A', h.get(`/statistics/grades/migrations?cycleId=${cycleId}`, bankA.auth)],
      ['bank B', h.get(`/statistics/grades/migrations?cycleId=${cycleId}`, bankB.auth)],
    ],
  },
  {
    operationId: 'getApplicationCounts',
    allowed: ({ h, admin, reviewer }) => [
      ['admin', h.get('/statistics/applications', admin.auth)],
      ['reviewer', h.get('/statistics/applications', reviewer.auth)],
    ],
    refused: ({ h, userA, bankA, bankB }) => [
      ['user A', h.get('/statistics/applications', userA.auth)],
      ['bank A', h.get('/statistics/applications', bankA.auth)],
      ['bank B', h.get('/statistics/applications', bankB.auth)],
    ],
  },
  {
    operationId: 'getApplicationTimeliness',
    allowed: ({ h, admin, reviewer }) => [
      ['admin', h.get('/statistics/applications/timeliness', admin.auth)],
      ['reviewer', h.get('/statistics/applications/timeliness', reviewer.auth)],
    ],
    refused: ({ h, userA, bankA, bankB }) => [
      ['user A', h.get('/statistics/applications/timeliness', userA.auth)],
      ['bank A', h.get('/statistics/applications/timeliness', bankA.auth)],
      ['bank B', h.get('/statistics/applications/timeliness', bankB.auth)],
    ],
  },
  {
    operationId: 'getObjectionOutcomes',
    allowed: ({ h, admin, reviewer }) => [
      ['admin', h.get('/statistics/objections/outcomes', admin.auth)],
      ['reviewer', h.get('/statistics/objections/outcomes', reviewer.auth)],
    ],
    refused: ({ h, userA, bankA, bankB }) => [
      ['user A', h.get('/statistics/objections/outcomes', userA.auth)],
      ['bank A', h.get('/statistics/objections/outcomes', bankA.auth)],
      ['bank B', h.get('/statistics/objections/outcomes', bankB.auth)],
    ],
  },
  {
    operationId: 'listCycleRuns',
    allowed: ({ h, admin, reviewer }) => [
      ['admin', h.get('/statistics/cycles', admin.auth)],
      ['reviewer', h.get('/statistics/cycles', reviewer.auth)],
    ],
    refused: ({ h, userA, bankA, bankB }) => [
      ['user A', h.get('/statistics/cycles', userA.auth)],
      ['bank A', h.get('/statistics/cycles', bankA.auth)],
      ['bank B', h.get('/statistics/cycles', bankB.auth)],
    ],
  },
  ...RIGHTS_CROSS_TENANT_CASES,
  ...SITE_CROSS_TENANT_CASES,
  ...OPS_CROSS_TENANT_CASES,
];
