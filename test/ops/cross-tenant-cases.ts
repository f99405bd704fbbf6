import type { CrossTenantCase, Parties } from '../support/cross-tenant';

/**
 * Cross-tenant cases for 运维管理 (administrators only): another staff member's account and a
 * bank's registration, named by a reviewer, an investment officer, an enterprise user and the
 * bank itself. The control reads the lists as the administrator.
 */
const officers = new WeakMap<Parties, ReturnType<Parties['h']['signInAsStaff']>>();
const officerOf = (p: Parties) => {
  if (!officers.has(p)) officers.set(p, p.h.signInAsStaff('investment_officer'));
  return officers.get(p)!;
};

const refusedAll = (p: Parties, path: (p: Parties) => string): ReturnType<CrossTenantCase['refused']> => [
  ['reviewer', p.h.post(path(p), {}, p.reviewer.auth)],
  ['investment officer', officerOf(p).then((o) => p.h.post(path(p), {}, o.auth))],
  ['user A', p.h.post(path(p), {}, p.userA.auth)],
  ['bank A (its own registration)', p.h.post(path(p), {}, p.bankA.auth)],
];

export const OPS_CROSS_TENANT_CASES: CrossTenantCase[] = [
  ...(['totp-reset', 'lock', 'unlock'] as const).map((action): CrossTenantCase => ({
    operationId: { 'totp-reset': 'resetStaffTotp', lock: 'lockStaffAccount', unlock: 'unlockStaffAccount' }[action],
    allowed: (p) => [['admin lists the accounts', p.h.get('/staff-accounts', p.admin.auth)]],
    refused: (p) => refusedAll(p, (q) => `/staff-accounts/${q.admin.staffId}/${action}`),
  })),
  ...(['disable', 'rotate-key'] as const).map((action): CrossTenantCase => ({
    operationId: action === 'disable' ? 'disableApiClient' : 'rotateApiClientKey',
    allowed: (p) => [['admin lists the clients', p.h.get('/api-clients', p.admin.auth)]],
    refused: (p) => refusedAll(p, (q) => `/api-clients/${q.bankA.id}/${action}`),
  })),
];
