import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ObjectionView } from '@heihe/shared';
import { registeredEndpoints } from '../../cloud/src/common/endpoint';
import { testBackends } from '../../cloud/src/testing/test-db';
import type { Parties } from '../support/cross-tenant';
import { Harness, type HttpResult } from '../support/harness';
import { daysAgo } from './support/api';
import { objects, RIGHTS_CROSS_TENANT_CASES } from './support/cross-tenant-cases';

const RIGHTS_CONTROLLERS = [
  'EvidenceController',
  'ObjectionsController',
  'GoodInfoController',
  'RepairController',
  'ReviewController',
  'CalendarController',
  'NotifyController',
  'OutboxController',
];

/** The rights operations whose path names an object: each needs a case. */
function rightsOperationsTakingIds(): string[] {
  return [
    ...new Set(
      registeredEndpoints()
        .filter(
          (e) => RIGHTS_CONTROLLERS.includes(e.controller.name) && e.spec.params && !e.spec.callers.includes('public'),
        )
        .map((e) => e.spec.operationId),
    ),
  ].sort();
}

const show = (label: string, r: HttpResult) => `${label} → ${r.status} ${r.text.slice(0, 200)}`;

describe.each(testBackends())('cross-tenant access to the enterprise rights on %s', (backend) => {
  let h: Harness;
  let p: Parties;
  let dir: string;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'heihe-evidence-'));
    h = await Harness.start(backend, { env: { OUTBOX_RELAY_ENABLED: 'false', EVIDENCE_DIR: dir } });
    const [userA, userB, bankA, bankB, reviewer, admin] = await Promise.all([
      h.signInAsEnterpriseUser({ enterprise: 0 }),
      h.signInAsEnterpriseUser({ enterprise: 1 }),
      h.apiClient(['evaluations:read'], { name: '甲银行' }),
      h.apiClient(['statistics:read'], { name: '乙银行' }),
      h.signInAsStaff('reviewer'),
      h.signInAsStaff('admin'),
    ]);
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
      cycleId: 0,
      modelVersion: 1,
      draftVersion: 0,
    };
    await objects(p);
  }, 180_000);
  afterAll(async () => {
    await h?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('has a case for every rights operation that takes an ID', () => {
    const covered = new Set(RIGHTS_CROSS_TENANT_CASES.map((c) => c.operationId));

    expect(rightsOperationsTakingIds().filter((op) => !covered.has(op))).toEqual([]);
  });

  describe.each(RIGHTS_CROSS_TENANT_CASES.map((c) => [c.operationId, c] as const))('%s', (_op, c) => {
    if (c.allowed)
      it('serves those entitled (control)', async () => {
        for (const [label, call] of c.allowed!(p)) {
          const r = await call;
          expect({ label, ok: r.status >= 200 && r.status < 300, text: r.status >= 300 ? r.text : '' }).toEqual({
            label,
            ok: true,
            text: '',
          });
        }
      });

    it("answers 403 or 404 to everyone else, with the other party's IDs", async () => {
      for (const [label, call] of c.refused(p)) {
        const r = await call;
        expect(show(label, r)).toMatch(/→ 40[34] /);
      }
    });
  });

  it("refuses creating applications with another enterprise's entity, record or evidence", async () => {
    const o = await objects(p);
    const calls: Array<[string, Promise<HttpResult>]> = [
      [
        'objection for B by A',
        h.post(
          '/objections',
          {
            entityId: p.entityB,
            recordId: o.recB,
            ground: 'wrong',
            statement: '越权提出异议，试试能否成功。',
            evidenceIds: [o.evA],
          },
          p.userA.auth,
        ),
      ],
      [
        "objection on B's record under A",
        h.post(
          '/objections',
          {
            entityId: p.entityA,
            recordId: o.recB,
            ground: 'wrong',
            statement: '越权提出异议，试试能否成功。',
            evidenceIds: [o.evA],
          },
          p.userA.auth,
        ),
      ],
      [
        "good info with B's evidence",
        h.post(
          '/good-info-reports',
          {
            entityId: p.entityA,
            category: 'charity',
            title: '越权',
            description: '越权。',
            occurredOn: daysAgo(2),
            evidenceIds: [o.evB],
          },
          p.userA.auth,
        ),
      ],
      [
        'repair for B by A',
        h.post(
          '/repair-applications',
          {
            entityId: p.entityB,
            recordId: o.recB,
            statement: '越权申请修复，试试能否成功。',
            materials: [
              { evidenceId: o.evA, type: 'commitment_letter' },
              { evidenceId: o.evA, type: 'fulfilment_proof' },
            ],
          },
          p.userA.auth,
        ),
      ],
      [
        'objection by a bank',
        h.post(
          '/objections',
          {
            entityId: p.entityA,
            recordId: o.recA,
            ground: 'wrong',
            statement: '银行提出异议，试试能否成功。',
            evidenceIds: [o.evA],
          },
          p.bankA.auth,
        ),
      ],
      ['review queue by user A', h.get('/review/queue', p.userA.auth)],
      ['review queue by a bank', h.get('/review/queue', p.bankA.auth)],
    ];
    for (const [label, call] of calls) expect(show(label, await call)).toMatch(/→ 40[34] /);
  });

  it("never lists the other enterprise's applications", async () => {
    const o = await objects(p);
    const all = await h.get<{ items: ObjectionView[] }>('/objections', p.userA.auth);
    const filtered = await h.get<{ items: ObjectionView[] }>(`/objections?entityId=${p.entityB}`, p.userA.auth);

    expect(all.body.items.map((i) => i.entityId)).not.toContain(p.entityB);
    expect(all.body.items.map((i) => i.id)).toContain(o.objA);
    expect(filtered.body.items).toEqual([]);
  });
});
