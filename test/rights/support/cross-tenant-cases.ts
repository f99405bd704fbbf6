import type { CrossTenantCase, Parties } from '../../support/cross-tenant';
import { expectStatus, type EnterpriseUser, type Harness, type HttpResult } from '../../support/harness';
import { daysAgo, deliverPenalties, upload } from './api';
import { aJpeg, aPdf } from './fixtures';
import { reportsOf } from '../../report/support/reports';
import { aProduct, loansOf } from '../../results/support/loans';
import { INVEST_LISTS_CROSS_TENANT_CASES } from '../../invest/support/lists';

/**
 * Cross-tenant cases for the enterprise-rights operations, in the identity suite's shape
 * (test/support/cross-tenant.ts): each operation that takes an ID, called by those entitled
 * (control) and by everyone else with the other party's IDs. The objects they need (evidence,
 * applications, records) are made once per harness, on first use.
 */
interface Objects {
  recA: number;
  recB: number;
  oldA: number;
  evA: string;
  evB: string;
  objA: number;
  objB: number;
  giA: number;
  giB: number;
  repA: number;
  repB: number;
  subscriptionId: number;
  outboxId: string;
}

const made = new WeakMap<Harness, Promise<Objects>>();

async function ok<T>(r: Promise<HttpResult<T>>, status: number, what: string): Promise<T> {
  const res = await r;
  expectStatus(res, status, what);
  return res.body;
}

async function make(p: Parties): Promise<Objects> {
  const { h } = p;
  const [a, b] = h.enterprises;
  // Filing needs the calendar years its deadlines reach; stand-ins for years no notice covers yet.
  const status = await ok(h.get<{ problems: string[] }>('/calendar/schedules', p.admin.auth), 200, 'getCalendarStatus');
  for (const problem of status.problems) {
    const year = Number(problem.slice(0, 4));
    await ok(
      h.http('PUT', `/calendar/schedules/${year}`, {
        auth: p.admin.auth,
        body: { holidays: [`${year}-01-01`], makeupWorkdays: [] },
      }),
      200,
      'loadCalendarSchedule',
    );
  }
  const recsA = await deliverPenalties(h, a.uscc, a.entityId, [
    { key: 'XT-NEW', occurredOn: daysAgo(10), severity: 'general', summary: '越权测试处罚甲' },
    { key: 'XT-OLD', occurredOn: daysAgo(200), severity: 'general', summary: '越权测试旧处罚甲' },
  ]);
  const recsB = await deliverPenalties(h, b.uscc, b.entityId, [
    { key: 'XT-NEW', occurredOn: daysAgo(10), severity: 'general', summary: '越权测试处罚乙' },
    { key: 'XT-OLD', occurredOn: daysAgo(200), severity: 'general', summary: '越权测试旧处罚乙' },
  ]);
  const evidence = async (u: EnterpriseUser, entityId: number, data: Buffer) =>
    (await ok(
      upload(h, `/entities/${entityId}/evidence`, [{ name: 'file', filename: 'x.jpg', data }], u.auth),
      201,
      'uploadEvidence',
    )) as unknown as { id: string };
  const both = async (u: EnterpriseUser, entityId: number, recNew: number, recOld: number) => {
    const ev = [
      await evidence(u, entityId, aJpeg()),
      await evidence(u, entityId, aJpeg()),
      await evidence(u, entityId, aPdf()),
      await evidence(u, entityId, aJpeg()),
    ];
    const obj = await ok(
      h.post<{ id: number }>(
        '/objections',
        { entityId, recordId: recNew, ground: 'wrong', statement: '越权测试用的异议申请。', evidenceIds: [ev[0]!.id] },
        u.auth,
      ),
      201,
      'createObjection',
    );
    const gi = await ok(
      h.post<{ id: number }>(
        '/good-info-reports',
        {
          entityId,
          category: 'charity',
          title: '越权测试捐赠',
          description: '越权测试。',
          occurredOn: daysAgo(5),
          evidenceIds: [ev[1]!.id],
        },
        u.auth,
      ),
      201,
      'createGoodInfoReport',
    );
    const rep = await ok(
      h.post<{ id: number }>(
        '/repair-applications',
        {
          entityId,
          recordId: recOld,
          statement: '越权测试用的修复申请。',
          materials: [
            { evidenceId: ev[2]!.id, type: 'commitment_letter' },
            { evidenceId: ev[3]!.id, type: 'fulfilment_proof' },
          ],
        },
        u.auth,
      ),
      201,
      'createRepairApplication',
    );
    return { ev: ev[0]!.id, obj: obj.id, gi: gi.id, rep: rep.id };
  };
  const A = await both(p.userA, a.entityId, recsA['XT-NEW']!, recsA['XT-OLD']!);
  const B = await both(p.userB, b.entityId, recsB['XT-NEW']!, recsB['XT-OLD']!);
  const sub = await ok(
    h.post<{ id: number }>(
      '/regulator-subscriptions',
      { name: '越权测试部门', webhookUrl: 'http://127.0.0.1:9/x', regionPrefix: '2311' },
      p.admin.auth,
    ),
    201,
    'createRegulatorSubscription',
  );
  const [o] = await h.db.query<{ id: string }>(`SELECT id::text FROM outbox ORDER BY id DESC LIMIT 1`);
  return {
    recA: recsA['XT-NEW']!,
    recB: recsB['XT-NEW']!,
    oldA: recsA['XT-OLD']!,
    evA: A.ev,
    evB: B.ev,
    objA: A.obj,
    objB: B.obj,
    giA: A.gi,
    giB: B.gi,
    repA: A.rep,
    repB: B.rep,
    subscriptionId: sub.id,
    outboxId: o?.id ?? '1',
  };
}

/** The objects of a harness, made on first use. */
export function objects(p: Parties): Promise<Objects> {
  let m = made.get(p.h);
  if (!m) {
    m = make(p);
    made.set(p.h, m);
  }
  return m;
}

type Use = (o: Objects) => Promise<HttpResult>;
const using = (p: Parties, use: Use) => objects(p).then(use);

const resubmit = { note: '越权补正', evidenceIds: [] };

export const RIGHTS_CROSS_TENANT_CASES: CrossTenantCase[] = [
  {
    operationId: 'uploadEvidence',
    allowed: (p) => [
      [
        'user A, own enterprise',
        upload(
          p.h,
          `/entities/${p.entityA}/evidence`,
          [{ name: 'file', filename: 'a.jpg', data: aJpeg() }],
          p.userA.auth,
        ),
      ],
    ],
    refused: (p) => [
      [
        'user A → B',
        upload(
          p.h,
          `/entities/${p.entityB}/evidence`,
          [{ name: 'file', filename: 'a.jpg', data: aJpeg() }],
          p.userA.auth,
        ),
      ],
      [
        'user B → A',
        upload(
          p.h,
          `/entities/${p.entityA}/evidence`,
          [{ name: 'file', filename: 'a.jpg', data: aJpeg() }],
          p.userB.auth,
        ),
      ],
      [
        'reviewer → A',
        upload(
          p.h,
          `/entities/${p.entityA}/evidence`,
          [{ name: 'file', filename: 'a.jpg', data: aJpeg() }],
          p.reviewer.auth,
        ),
      ],
    ],
  },
  {
    operationId: 'deleteEvidence',
    allowed: (p) => [
      [
        'user A, own unattached file',
        upload(
          p.h,
          `/entities/${p.entityA}/evidence`,
          [{ name: 'file', filename: 'd.jpg', data: aJpeg() }],
          p.userA.auth,
        )
          .then((r) => ok(Promise.resolve(r), 201, 'uploadEvidence'))
          .then((f) => p.h.http('DELETE', `/evidence/${String(f.id)}`, { auth: p.userA.auth })),
      ],
    ],
    refused: (p) => [
      ["user A → B's file", using(p, (o) => p.h.http('DELETE', `/evidence/${o.evB}`, { auth: p.userA.auth }))],
      ["user B → A's file", using(p, (o) => p.h.http('DELETE', `/evidence/${o.evA}`, { auth: p.userB.auth }))],
      ['reviewer', using(p, (o) => p.h.http('DELETE', `/evidence/${o.evA}`, { auth: p.reviewer.auth }))],
      ['bank A', using(p, (o) => p.h.http('DELETE', `/evidence/${o.evA}`, { auth: p.bankA.auth }))],
    ],
  },
  ...(['getEvidence', 'downloadEvidence'] as const).map((operationId): CrossTenantCase => {
    const path = (id: string) => (operationId === 'getEvidence' ? `/evidence/${id}` : `/evidence/${id}/content`);
    return {
      operationId,
      allowed: (p) => [
        ['user A, own file', using(p, (o) => p.h.get(path(o.evA), p.userA.auth))],
        ['reviewer', using(p, (o) => p.h.get(path(o.evB), p.reviewer.auth))],
      ],
      refused: (p) => [
        ["user A → B's file", using(p, (o) => p.h.get(path(o.evB), p.userA.auth))],
        ["user B → A's file", using(p, (o) => p.h.get(path(o.evA), p.userB.auth))],
        ['bank A with evaluations:read', using(p, (o) => p.h.get(path(o.evA), p.bankA.auth))],
      ],
    };
  }),
  ...(
    [
      ['getObjection', 'objections', 'objA', 'objB'],
      ['getGoodInfoReport', 'good-info-reports', 'giA', 'giB'],
      ['getRepairApplication', 'repair-applications', 'repA', 'repB'],
    ] as const
  ).map(([operationId, base, mine, theirs]): CrossTenantCase => ({
    operationId,
    allowed: (p) => [
      ['user A, own application', using(p, (o) => p.h.get(`/${base}/${o[mine]}`, p.userA.auth))],
      ['reviewer', using(p, (o) => p.h.get(`/${base}/${o[theirs]}`, p.reviewer.auth))],
    ],
    refused: (p) => [
      ["user A → B's", using(p, (o) => p.h.get(`/${base}/${o[theirs]}`, p.userA.auth))],
      ["user B → A's", using(p, (o) => p.h.get(`/${base}/${o[mine]}`, p.userB.auth))],
      ['bank A', using(p, (o) => p.h.get(`/${base}/${o[mine]}`, p.bankA.auth))],
    ],
  })),
  ...(
    [
      ['resubmitObjection', 'objections', 'objA'],
      ['resubmitGoodInfoReport', 'good-info-reports', 'giA'],
      ['resubmitRepairApplication', 'repair-applications', 'repA'],
    ] as const
  ).map(([operationId, base, mine]): CrossTenantCase => ({
    operationId,
    refused: (p) => [
      [
        "user B → A's",
        using(p, (o) =>
          p.h.post(
            `/${base}/${o[mine]}/resubmission`,
            base === 'repair-applications' ? { note: '越权补正', materials: [] } : resubmit,
            p.userB.auth,
          ),
        ),
      ],
      ['reviewer', using(p, (o) => p.h.post(`/${base}/${o[mine]}/resubmission`, resubmit, p.reviewer.auth))],
      ['bank A', using(p, (o) => p.h.post(`/${base}/${o[mine]}/resubmission`, resubmit, p.bankA.auth))],
    ],
  })),
  ...(
    [
      ['decideObjection', 'objections', 'objA'],
      ['decideGoodInfoReport', 'good-info-reports', 'giA'],
      ['decideRepairApplication', 'repair-applications', 'repA'],
    ] as const
  ).map(([operationId, base, mine]): CrossTenantCase => ({
    operationId,
    refused: (p) => [
      [
        'user A, own application',
        using(p, (o) => p.h.post(`/${base}/${o[mine]}/decision`, { action: 'accept' }, p.userA.auth)),
      ],
      ['user B', using(p, (o) => p.h.post(`/${base}/${o[mine]}/decision`, { action: 'accept' }, p.userB.auth))],
      ['bank A', using(p, (o) => p.h.post(`/${base}/${o[mine]}/decision`, { action: 'accept' }, p.bankA.auth))],
    ],
  })),
  {
    operationId: 'listRecordVersions',
    allowed: (p) => [['reviewer', using(p, (o) => p.h.get(`/review/records/${o.recB}/versions`, p.reviewer.auth))]],
    refused: (p) => [
      ['user A, own record', using(p, (o) => p.h.get(`/review/records/${o.recA}/versions`, p.userA.auth))],
      ['user B', using(p, (o) => p.h.get(`/review/records/${o.recA}/versions`, p.userB.auth))],
      ['bank A', using(p, (o) => p.h.get(`/review/records/${o.recA}/versions`, p.bankA.auth))],
    ],
  },
  {
    operationId: 'previewDecision',
    allowed: (p) => [['reviewer', using(p, (o) => p.h.get(`/review/objection/${o.objB}/preview`, p.reviewer.auth))]],
    refused: (p) => [
      ['user A, own application', using(p, (o) => p.h.get(`/review/objection/${o.objA}/preview`, p.userA.auth))],
      ['user B', using(p, (o) => p.h.get(`/review/repair/${o.repA}/preview`, p.userB.auth))],
      ['bank A', using(p, (o) => p.h.get(`/review/objection/${o.objA}/preview`, p.bankA.auth))],
    ],
  },
  {
    operationId: 'getRepairEligibility',
    allowed: (p) => [
      [
        'user A, own record',
        using(p, (o) => p.h.get(`/entities/${p.entityA}/records/${o.oldA}/repair-eligibility`, p.userA.auth)),
      ],
    ],
    refused: (p) => [
      [
        'user A → B',
        using(p, (o) => p.h.get(`/entities/${p.entityB}/records/${o.recB}/repair-eligibility`, p.userA.auth)),
      ],
      [
        "user A → B's record under A",
        using(p, (o) => p.h.get(`/entities/${p.entityA}/records/${o.recB}/repair-eligibility`, p.userA.auth)),
      ],
      [
        'user B → A',
        using(p, (o) => p.h.get(`/entities/${p.entityA}/records/${o.recA}/repair-eligibility`, p.userB.auth)),
      ],
      ['bank A', using(p, (o) => p.h.get(`/entities/${p.entityA}/records/${o.recA}/repair-eligibility`, p.bankA.auth))],
    ],
  },
  {
    operationId: 'disableRegulatorSubscription',
    refused: (p) => [
      ['user A', using(p, (o) => p.h.post(`/regulator-subscriptions/${o.subscriptionId}/disable`, {}, p.userA.auth))],
      [
        'reviewer (not admin)',
        using(p, (o) => p.h.post(`/regulator-subscriptions/${o.subscriptionId}/disable`, {}, p.reviewer.auth)),
      ],
      ['bank A', using(p, (o) => p.h.post(`/regulator-subscriptions/${o.subscriptionId}/disable`, {}, p.bankA.auth))],
    ],
  },
  {
    operationId: 'retryOutboxMessage',
    refused: (p) => [
      ['user A', using(p, (o) => p.h.post(`/outbox/${o.outboxId}/retry`, {}, p.userA.auth))],
      ['reviewer (not admin)', using(p, (o) => p.h.post(`/outbox/${o.outboxId}/retry`, {}, p.reviewer.auth))],
      ['bank A', using(p, (o) => p.h.post(`/outbox/${o.outboxId}/retry`, {}, p.bankA.auth))],
    ],
  },
  {
    operationId: 'loadCalendarSchedule',
    refused: ({ h, userA, reviewer, bankA }) => {
      const body = { holidays: ['2030-01-01'], makeupWorkdays: [] };
      return [
        ['user A', h.http('PUT', '/calendar/schedules/2030', { auth: userA.auth, body })],
        ['reviewer (not admin)', h.http('PUT', '/calendar/schedules/2030', { auth: reviewer.auth, body })],
        ['bank A', h.http('PUT', '/calendar/schedules/2030', { auth: bankA.auth, body })],
      ];
    },
  },
  {
    operationId: 'previewCalendarSchedule',
    allowed: ({ h, admin }) => [
      [
        'admin',
        h.post('/calendar/schedules/2030/preview', { holidays: ['2030-01-01'], makeupWorkdays: [] }, admin.auth),
      ],
    ],
    refused: ({ h, userA, reviewer, bankA }) => {
      const body = { holidays: ['2030-01-01'], makeupWorkdays: [] };
      return [
        ['user A', h.post('/calendar/schedules/2030/preview', body, userA.auth)],
        ['reviewer (not admin)', h.post('/calendar/schedules/2030/preview', body, reviewer.auth)],
        ['bank A', h.post('/calendar/schedules/2030/preview', body, bankA.auth)],
      ];
    },
  },
  // 精准招商: staff reads for investment officers and administrators; no enterprise, bank or reviewer.
  ...(['ownership', 'investments', 'people', 'risks'] as const).map((view): CrossTenantCase => ({
    operationId: {
      ownership: 'getOwnershipGraph',
      investments: 'getOutboundInvestments',
      people: 'getKeyPeople',
      risks: 'scanRisks',
    }[view],
    allowed: ({ h, admin, entityA, entityB }) => [
      ['admin → A', h.get(`/invest/entities/${entityA}/${view}`, admin.auth)],
      ['admin → B', h.get(`/invest/entities/${entityB}/${view}`, admin.auth)],
    ],
    refused: ({ h, userA, userB, bankA, bankB, reviewer, entityA, entityB }) => [
      ['user A, own enterprise', h.get(`/invest/entities/${entityA}/${view}`, userA.auth)],
      ['user A → B', h.get(`/invest/entities/${entityB}/${view}`, userA.auth)],
      ['user B → A', h.get(`/invest/entities/${entityA}/${view}`, userB.auth)],
      ['bank A with evaluations:read', h.get(`/invest/entities/${entityA}/${view}`, bankA.auth)],
      ['bank B', h.get(`/invest/entities/${entityB}/${view}`, bankB.auth)],
      ['reviewer', h.get(`/invest/entities/${entityA}/${view}`, reviewer.auth)],
    ],
  })),
  ...(['', '/xlsx'] as const).map((suffix): CrossTenantCase => ({
    operationId: suffix ? 'exportTargetCheck' : 'getTargetCheck',
    refused: ({ h, userA, bankA, reviewer }) => [
      ['user A', h.get(`/invest/checks/1${suffix}`, userA.auth)],
      ['bank A', h.get(`/invest/checks/1${suffix}`, bankA.auth)],
      ['reviewer', h.get(`/invest/checks/1${suffix}`, reviewer.auth)],
    ],
  })),
  ...INVEST_LISTS_CROSS_TENANT_CASES,
  // 公共信用信息报告: the enterprise's own and the agency's staff; never another enterprise, a bank or an officer.
  ...(['getCreditReport', 'downloadCreditReport'] as const).map((operationId): CrossTenantCase => {
    const path = (id: number) =>
      operationId === 'getCreditReport' ? `/credit-reports/${id}` : `/credit-reports/${id}/file`;
    const report = (p: Parties, which: 'reportA' | 'reportB', call: (id: number) => Promise<HttpResult>) =>
      reportsOf(p).then((r) => call(r[which]));
    return {
      operationId,
      allowed: (p) => [
        ['user A, own report', report(p, 'reportA', (id) => p.h.get(path(id), p.userA.auth))],
        ['reviewer', report(p, 'reportB', (id) => p.h.get(path(id), p.reviewer.auth))],
      ],
      refused: (p) => [
        ["user A → B's report", report(p, 'reportB', (id) => p.h.get(path(id), p.userA.auth))],
        ["user B → A's report", report(p, 'reportA', (id) => p.h.get(path(id), p.userB.auth))],
        ['bank A with evaluations:read', report(p, 'reportA', (id) => p.h.get(path(id), p.bankA.auth))],
        ['user A → a missing id', report(p, 'reportB', (id) => p.h.get(path(id + 1000), p.userA.auth))],
      ],
    };
  }),
  // 信易贷: an authorisation is its enterprise's to revoke; a bank reads and moves only what is its own.
  {
    operationId: 'revokeDataAuthorization',
    allowed: (p) => [
      [
        'user A, own authorisation',
        loansOf(p).then((l) => p.h.post(`/loans/authorizations/${l.authA2}/revoke`, {}, p.userA.auth)),
      ],
    ],
    refused: (p) => [
      ["user B → A's", loansOf(p).then((l) => p.h.post(`/loans/authorizations/${l.authA}/revoke`, {}, p.userB.auth))],
      ["user A → B's", loansOf(p).then((l) => p.h.post(`/loans/authorizations/${l.authB}/revoke`, {}, p.userA.auth))],
      [
        'the authorised bank',
        loansOf(p).then((l) => p.h.post(`/loans/authorizations/${l.authA}/revoke`, {}, l.bank1.auth)),
      ],
    ],
  },
  {
    operationId: 'getAuthorizedEnterpriseCredit',
    allowed: (p) => [
      [
        'bank 1, authorised by A',
        loansOf(p).then((l) => p.h.get(`/loans/credit/${p.h.enterprises[0].uscc}`, l.bank1.auth)),
      ],
    ],
    refused: (p) => [
      [
        'bank 2 → A (no authorisation)',
        loansOf(p).then((l) => p.h.get(`/loans/credit/${p.h.enterprises[0].uscc}`, l.bank2.auth)),
      ],
      ['bank A with evaluations:read', p.h.get(`/loans/credit/${p.h.enterprises[0].uscc}`, p.bankA.auth)],
      ['user A, own enterprise', p.h.get(`/loans/credit/${p.h.enterprises[0].uscc}`, p.userA.auth)],
    ],
  },
  {
    operationId: 'updateLoanApplication',
    refused: (p) => [
      [
        "bank 2 → bank 1's application",
        loansOf(p).then((l) => p.h.post(`/loans/applications/${l.appA}/status`, { status: 'accepted' }, l.bank2.auth)),
      ],
      [
        'user A, own application',
        loansOf(p).then((l) => p.h.post(`/loans/applications/${l.appA}/status`, { status: 'accepted' }, p.userA.auth)),
      ],
      [
        'bank A with evaluations:read',
        loansOf(p).then((l) => p.h.post(`/loans/applications/${l.appA}/status`, { status: 'accepted' }, p.bankA.auth)),
      ],
    ],
  },
  // 信易贷 operations that name another party's object in the body (the registry check counts only path ids).
  {
    operationId: 'upsertLoanProduct',
    refused: (p) => [
      [
        "bank 2 edits bank 1's product",
        loansOf(p).then((l) =>
          p.h.post('/loans/products', aProduct({ id: l.product1, name: '越权改名' }), l.bank2.auth),
        ),
      ],
      ['user A', loansOf(p).then((l) => p.h.post('/loans/products', aProduct({ id: l.product1 }), p.userA.auth))],
    ],
  },
  {
    operationId: 'grantDataAuthorization',
    refused: (p) => [
      [
        'user A for enterprise B',
        loansOf(p).then((l) =>
          p.h.post(
            '/loans/authorizations',
            { entityId: p.entityB, bankId: l.bank1.id, scopes: ['evaluation'], days: 30 },
            p.userA.auth,
          ),
        ),
      ],
      [
        'user A to a client that is no loan bank',
        p.h.post(
          '/loans/authorizations',
          { entityId: p.entityA, bankId: p.bankA.id, scopes: ['evaluation'], days: 30 },
          p.userA.auth,
        ),
      ],
    ],
  },
  {
    operationId: 'createLoanApplication',
    refused: (p) => [
      [
        'user A for enterprise B',
        loansOf(p).then((l) =>
          p.h.post(
            '/loans/applications',
            {
              entityId: p.entityB,
              productId: l.product1,
              amount: 50,
              termMonths: 12,
              purpose: '越权申请',
              authorization: { scopes: ['evaluation'], days: 30 },
            },
            p.userA.auth,
          ),
        ),
      ],
    ],
  },
];
