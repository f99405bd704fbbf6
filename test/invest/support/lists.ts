import type { CrossTenantCase, Parties } from '../../support/cross-tenant';
import { expectStatus, type Harness, type HttpResult, type StaffSession } from '../../support/harness';

/**
 * The officer's own objects for the cross-tenant suite: two investment officers; the first
 * watches enterprise A, saves a screening and runs an 入园 check. The second officer, an
 * administrator, a reviewer, enterprise users and banks must all be refused them (404 or 403).
 */
interface Lists {
  owner: StaffSession;
  stranger: StaffSession;
  watchId: number;
  screeningId: number;
  parkCheckId: number;
}

const made = new WeakMap<Harness, Promise<Lists>>();

export function listsOf(p: Parties): Promise<Lists> {
  let m = made.get(p.h);
  if (!m) {
    m = (async () => {
      const [owner, stranger] = await Promise.all([
        p.h.signInAsStaff('investment_officer'),
        p.h.signInAsStaff('investment_officer'),
      ]);
      const watch = await p.h.post<{ watchId: number }>(
        '/invest/watchlist',
        { entityId: p.entityA, purpose: '越权测试', radius: 1 },
        owner.auth,
      );
      expectStatus(watch, 201, 'addToWatchlist');
      const screening = await p.h.post<{ screeningId: number }>(
        '/invest/screenings',
        { name: '越权测试', filter: {}, purpose: '越权测试' },
        owner.auth,
      );
      expectStatus(screening, 201, 'saveScreening');
      const park = await p.h.post<{ parkCheckId: number }>(
        '/invest/park-checks',
        { text: p.h.enterprises[0].uscc, purpose: '越权测试' },
        owner.auth,
      );
      expectStatus(park, 201, 'runParkCheck');
      return {
        owner,
        stranger,
        watchId: watch.body.watchId,
        screeningId: screening.body.screeningId,
        parkCheckId: park.body.parkCheckId,
      };
    })();
    made.set(p.h, m);
  }
  return m;
}

type Call = (p: Parties, l: Lists, auth: { accessToken: string } | { apiKey: string }) => Promise<HttpResult>;

function ownedCase(operationId: string, call: Call, control: boolean): CrossTenantCase {
  const as = (p: Parties, who: (l: Lists) => { accessToken: string } | { apiKey: string }) =>
    listsOf(p).then((l) => call(p, l, who(l)));
  return {
    operationId,
    allowed: control ? (p) => [['the owner', as(p, (l) => l.owner.auth)]] : undefined,
    refused: (p) => [
      ['another investment officer', as(p, (l) => l.stranger.auth)],
      ['an administrator (not the owner)', as(p, () => p.admin.auth)],
      ['reviewer', as(p, () => p.reviewer.auth)],
      ['user A', as(p, () => p.userA.auth)],
      ['bank A', as(p, () => p.bankA.auth)],
    ],
  };
}

export const INVEST_LISTS_CROSS_TENANT_CASES: CrossTenantCase[] = [
  // Deleting is refused to everyone else; the owner's own delete is the e2e suite's (test/invest/lists.e2e.ts).
  ownedCase(
    'removeFromWatchlist',
    (p, l, auth) => p.h.http('DELETE', `/invest/watchlist/${l.watchId}`, { auth }),
    false,
  ),
  ownedCase('runSavedScreening', (p, l, auth) => p.h.post(`/invest/screenings/${l.screeningId}/runs`, {}, auth), true),
  ownedCase('exportScreening', (p, l, auth) => p.h.get(`/invest/screenings/${l.screeningId}/xlsx`, auth), true),
  ownedCase('getParkCheck', (p, l, auth) => p.h.get(`/invest/park-checks/${l.parkCheckId}`, auth), true),
  ownedCase('exportParkCheck', (p, l, auth) => p.h.get(`/invest/park-checks/${l.parkCheckId}/xlsx`, auth), true),
  {
    operationId: 'exportTargetCheckPdf',
    refused: ({ h, userA, bankA, reviewer }) => [
      ['user A', h.get('/invest/checks/1/pdf', userA.auth)],
      ['bank A', h.get('/invest/checks/1/pdf', bankA.auth)],
      ['reviewer', h.get('/invest/checks/1/pdf', reviewer.auth)],
    ],
  },
  {
    operationId: 'updateIndustryChain',
    refused: (p) => {
      const body = { name: '汉麻', prefixes: ['A0132'], reason: '越权测试' };
      return [
        [
          'investment officer (not admin)',
          listsOf(p).then((l) => p.h.http('PUT', '/invest/chains/hemp', { auth: l.owner.auth, body })),
        ],
        ['reviewer', p.h.http('PUT', '/invest/chains/hemp', { auth: p.reviewer.auth, body })],
        ['user A', p.h.http('PUT', '/invest/chains/hemp', { auth: p.userA.auth, body })],
        ['bank A', p.h.http('PUT', '/invest/chains/hemp', { auth: p.bankA.auth, body })],
      ];
    },
  },
];
