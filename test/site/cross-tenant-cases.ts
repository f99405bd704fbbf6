import type { CrossTenantCase } from '../support/cross-tenant';

/**
 * The typical cases' staff operations: no enterprise and no API client reaches a case by its ID
 * (departments may only nominate). The guard refuses before the ID is looked at, so any ID does.
 */
export const SITE_CROSS_TENANT_CASES: CrossTenantCase[] = [
  {
    operationId: 'getTypicalCaseForStaff',
    refused: ({ h, userA, bankA }) => [
      ['user A', h.get('/cases/1', userA.auth)],
      ['bank A', h.get('/cases/1', bankA.auth)],
    ],
  },
  ...(
    [
      ['reviewTypicalCase', 'review', { decision: 'approve', reason: '同意公示' }],
      ['withdrawTypicalCase', 'withdraw', { reason: '越权测试撤销' }],
      [
        'publishTypicalCase',
        'publish',
        { story: '越权测试'.repeat(20), consent: { by: '越权测试', on: '2026-01-01', document: '越权测试' } },
      ],
    ] as const
  ).map(([operationId, action, body]): CrossTenantCase => ({
    operationId,
    refused: ({ h, userA, bankA }) => [
      ['user A', h.post(`/cases/1/${action}`, body, userA.auth)],
      ['bank A', h.post(`/cases/1/${action}`, body, bankA.auth)],
    ],
  })),
  {
    operationId: 'decideTypicalCaseObjection',
    refused: ({ h, userA, bankA }) => {
      const body = { decision: 'upheld', note: '越权测试' };
      return [
        ['user A', h.post('/cases/objections/1/decision', body, userA.auth)],
        ['bank A', h.post('/cases/objections/1/decision', body, bankA.auth)],
      ];
    },
  },
];
