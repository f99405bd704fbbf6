import { chinaDate } from '../../cloud/src/common/china-time';
import { testBackends } from '../../cloud/src/testing/test-db';
import { Harness, type HttpResult } from '../support/harness';

const DAY = 86_400_000;
const day = (offsetDays: number) => new Date(`${chinaDate(new Date(Date.now() + offsetDays * DAY))}T00:00:00.000Z`);
const show = (r: HttpResult) => `${r.status} ${r.text.slice(0, 300)}`;

/** 跟踪评估: each dashboard chart's operation, on data put in place row by row. */
describe.each(testBackends())('tracking statistics on %s', (backend) => {
  let h: Harness;
  let auth: { accessToken: string };
  let cycles: [number, number];

  beforeAll(async () => {
    h = await Harness.start(backend);
    auth = (await h.signInAsStaff('reviewer')).auth;
    const [e0, e1] = h.enterprises.map((e) => e.entityId) as [number, number];
    const now = Date.now();
    // Two finished cycles a month apart: e0 B → A (up), e1 C → D (down).
    const made: number[] = [];
    for (const [i, grades] of [
      ['B', 'C'],
      ['A', 'D'],
    ].entries()) {
      const asOf = new Date(now - (2 - i) * 30 * DAY);
      const c = await h.db.prisma.scoringCycle.create({
        data: {
          modelVersion: 1,
          asOf,
          status: 'done',
          trigger: i === 0 ? 'schedule' : 'manual',
          startedAt: asOf,
          finishedAt: new Date(asOf.getTime() + 95_500),
          totalChunks: 1,
        },
      });
      await h.db.prisma.cycleChunk.create({
        data: { cycleId: c.id, chunkNo: 0, fromEntity: e0, toEntity: e1, status: 'done', entities: 2 },
      });
      for (const [j, entityId] of [e0, e1].entries())
        await h.db.prisma.evaluation.create({
          data: {
            entityId,
            bucket: (await h.db.prisma.entity.findFirstOrThrow({ where: { id: entityId } })).bucket,
            modelVersion: 1,
            asOf,
            cycleId: c.id,
            trigger: 'cycle',
            total: 700,
            grade: grades[j]!,
            groups: [],
            indicators: [],
            effects: [],
          },
        });
      made.push(c.id);
    }
    cycles = made as [number, number];

    const user = (await h.signInAsEnterpriseUser({ enterprise: 0 })).userId;
    const base = { entityId: e0, userId: user, recordId: 1, recordVersion: 1, ground: 'wrong', statement: '测试' };
    const late = { dueOn: day(-30), dueFrom: day(-40), decidedAt: new Date(now), decidedBy: 'staff:wang' };
    const onTime = { dueOn: day(30), dueFrom: day(20), decidedAt: new Date(now), decidedBy: 'staff:wang' };
    await h.db.prisma.objection.createMany({
      data: [
        { ...base, status: 'upheld', ...onTime },
        { ...base, status: 'rejected', ...late },
        { ...base, status: 'upheld', ...onTime, decidedAt: new Date(now - 62 * DAY) },
        { ...base, status: 'submitted', dueOn: day(-3), dueFrom: day(-15) },
        { ...base, status: 'accepted', dueOn: day(0), dueFrom: day(-9) },
        { ...base, status: 'returned', dueOn: day(-1), dueFrom: day(-9) },
      ],
    });
    await h.db.prisma.repairApplication.createMany({
      data: [
        {
          entityId: e0,
          userId: user,
          recordId: 1,
          recordVersion: 1,
          statement: '修复',
          status: 'submitted',
          dueOn: day(30),
          dueFrom: day(0),
        },
        { entityId: e0, userId: user, recordId: 1, recordVersion: 1, statement: '修复', status: 'approved', ...late },
      ],
    });
  }, 120_000);
  afterAll(() => h?.close());

  it('counts grades per finished cycle, oldest first', async () => {
    const r = await h.get<{ cycles: Array<{ id: number; total: number; byGrade: Record<string, number> }> }>(
      '/statistics/grades/history',
      auth,
    );
    expect(r.status).toBe(200);
    const mine = r.body.cycles.filter((c) => cycles.includes(c.id));
    expect(mine.map((c) => [c.id, c.total, c.byGrade])).toEqual([
      [cycles[0], 2, { A: 0, B: 1, C: 1, D: 0, E: 0 }],
      [cycles[1], 2, { A: 1, B: 0, C: 0, D: 1, E: 0 }],
    ]);
    expect(r.body.cycles.at(-1)!.id).toBe(cycles[1]);
  });

  it('gives the migration matrix of the last cycle against the one before, and of a chosen cycle', async () => {
    const last = await h.get<Record<string, unknown>>('/statistics/grades/migrations', auth);
    expect(last.status).toBe(200);
    expect(last.body).toMatchObject({
      cycle: { id: cycles[1] },
      previous: { id: cycles[0] },
      cells: [
        { from: 'B', to: 'A', count: 1 },
        { from: 'C', to: 'D', count: 1 },
      ],
      entities: 2,
      upgraded: 1,
      downgraded: 1,
    });
    const first = await h.get<{ cycle: { id: number }; cells: Array<{ from: string | null }> }>(
      `/statistics/grades/migrations?cycleId=${cycles[0]}`,
      auth,
    );
    expect(first.status).toBe(200);
    expect(first.body.cycle.id).toBe(cycles[0]);
    // Graded for the first time: from null (or from a cycle the harness ran before).
    expect(first.body.cells.reduce((s, c) => s + (c as unknown as { count: number }).count, 0)).toBe(2);
    const unknown = await h.get('/statistics/grades/migrations?cycleId=999999', auth);
    expect(unknown.body).toMatchObject({ cycle: null, cells: [] });
    expect((await h.get('/statistics/grades/migrations?cycleId=abc', auth)).status).toBe(400);
  });

  it('counts applications by kind and status', async () => {
    const r = await h.get<{
      items: Array<{ kind: string; status: string; statusLabel: string; count: number }>;
      total: number;
    }>('/statistics/applications', auth);
    expect(r.status).toBe(200);
    const of = (kind: string, status: string) => r.body.items.find((i) => i.kind === kind && i.status === status);
    expect(of('objection', 'upheld')).toMatchObject({ count: 2, statusLabel: '异议成立' });
    expect(of('objection', 'rejected')?.count).toBe(1);
    expect(of('repair', 'submitted')?.count).toBe(1);
    expect(r.body.total).toBe(8);
  });

  it('gives the on-time rate against the due day and the ageing of open cases', async () => {
    const r = await h.get<Record<string, unknown>>('/statistics/applications/timeliness', auth);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      deadlineWorkingDays: 7,
      decided: 4,
      onTime: 2,
      byKind: [
        { kind: 'objection', decided: 3, onTime: 2 },
        { kind: 'good_info', decided: 0, onTime: 0 },
        { kind: 'repair', decided: 1, onTime: 0 },
      ],
      open: 4,
    });
    const ageing = Object.fromEntries(
      (r.body.ageing as Array<{ bucket: string; count: number }>).map((a) => [a.bucket, a.count]),
    );
    expect(ageing).toEqual({ overdue: 1, due_today: 1, days_1_2: 0, days_3_4: 0, days_5_plus: 1, paused: 1 });
  });

  it('counts objections upheld and rejected per China-time month', async () => {
    const r = await h.get<{ months: Array<{ month: string; upheld: number; rejected: number }> }>(
      '/statistics/objections/outcomes?months=6',
      auth,
    );
    expect(r.status).toBe(200);
    expect(r.body.months).toHaveLength(6);
    const thisMonth = chinaDate(new Date()).slice(0, 7);
    const earlier = chinaDate(new Date(Date.now() - 62 * DAY)).slice(0, 7);
    expect(r.body.months.at(-1)).toEqual({ month: thisMonth, upheld: 1, rejected: 1 });
    expect(r.body.months.find((m) => m.month === earlier)).toEqual({ month: earlier, upheld: 1, rejected: 0 });
    expect(r.body.months.reduce((s, m) => s + m.upheld + m.rejected, 0)).toBe(3);
  });

  it('lists cycle runs newest first with their duration, entities and trigger in words', async () => {
    const r = await h.get<{ items: Array<Record<string, unknown>> }>('/statistics/cycles', auth);
    expect(r.status).toBe(200);
    expect(r.body.items[0]).toMatchObject({
      id: cycles[1],
      durationSeconds: 95.5,
      entities: 2,
      triggerLabel: '手动运行',
    });
    expect(r.body.items[1]).toMatchObject({ id: cycles[0], triggerLabel: '定时运行', status: 'done' });
  });

  it('refuses enterprises, investment officers and API clients on every tracking operation', async () => {
    const callers = {
      enterprise: (await h.signInAsEnterpriseUser({ enterprise: 1 })).auth,
      investment_officer: (await h.signInAsStaff('investment_officer')).auth,
      api_client: (await h.apiClient(['statistics:read', 'evaluations:read'])).auth,
    };
    const paths = [
      '/statistics/grades/history',
      '/statistics/grades/migrations',
      `/statistics/grades/migrations?cycleId=${cycles[1]}`,
      '/statistics/applications',
      '/statistics/applications/timeliness',
      '/statistics/objections/outcomes',
      '/statistics/cycles',
    ];
    for (const [who, a] of Object.entries(callers))
      for (const p of paths) {
        const r = await h.get(p, a);
        expect(`${who} ${p} → ${show(r)}`).toMatch(/→ 403 /);
      }
    expect((await h.get('/statistics/cycles', null)).status).toBe(401);
    const admin = (await h.signInAsStaff('admin')).auth;
    for (const p of paths) expect(`${p} → ${(await h.get(p, admin)).status}`).toBe(`${p} → 200`);
  });
});
