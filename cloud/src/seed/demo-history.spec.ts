import { CalendarService } from '../calendar';
import { FixedClock } from '../common/clock';
import { ModelRepository } from '../scoring';
import { PiiVault } from '../pii';
import { TrackingService } from '../tracking';
import { testConfig } from '../testing/config';
import { createTestDatabase, testBackends, type TestDatabase } from '../testing/test-db';
import { DEMO_ENTITIES, ensureDemoData } from './demo';
import { ensureDemoHistory } from './demo-history';
import { DEMO_ENTERPRISES, seedDemoIdentities } from './demo-identities';

// A Wednesday afternoon, China time, in a year whose holiday schedule ships with the calendar.
const NOW = new Date('2026-11-18T07:30:00.000Z');

/** `npm start`'s first run gives the 跟踪评估 dashboard and the reviewer's queue something to show. */
describe.each(testBackends())('the first-run demo history on %s', (backend) => {
  let t: TestDatabase;
  const config = testConfig();
  const vault = new PiiVault(config.PII_ENCRYPTION_KEY, config.PII_HASH_KEY);
  let tracking: TrackingService;

  beforeAll(async () => {
    t = await createTestDatabase(backend);
    await new ModelRepository(t.db).ensureDefaultModel();
    // The order main.ts runs it in.
    expect(await ensureDemoData(t.db, vault, '2026-11-18', () => {}, NOW)).toBe(true);
    await seedDemoIdentities(t.db, vault, config);
    await ensureDemoHistory(t.db, config, NOW);
    const clock = new FixedClock(NOW);
    const calendar = new CalendarService(t.db, config, clock);
    tracking = new TrackingService(t.db, calendar, clock);
  }, 300_000);
  afterAll(() => t?.drop());

  it('finishes two cycles a month apart, every entity graded in each, with migrations between them', async () => {
    const entities = await t.db.prisma.entity.count();
    expect(entities).toBeGreaterThan(DEMO_ENTITIES);
    const history = await tracking.gradeHistory(12);
    expect(history.cycles).toHaveLength(2);
    const [first, last] = history.cycles as [(typeof history.cycles)[0], (typeof history.cycles)[0]];
    expect(Date.parse(last.asOf) - Date.parse(first.asOf)).toBeGreaterThan(29 * 86_400_000);
    for (const c of history.cycles) expect(c.total).toBe(entities);

    const migrations = await tracking.gradeMigrations(undefined);
    expect(migrations.previous).not.toBeNull();
    expect(migrations.entities).toBeGreaterThan(0);
    expect(migrations.upgraded + migrations.downgraded).toBeGreaterThan(0);

    const runs = await tracking.cycleRuns(20);
    expect(runs.items.map((r) => [r.status, r.trigger])).toEqual([
      ['done', 'manual'],
      ['done', 'schedule'],
    ]);
  });

  it('has applications of every kind, decided on different days, some late, and open ones', async () => {
    const counts = await tracking.applicationCounts();
    const of = (kind: string, status: string) =>
      counts.items.find((i) => i.kind === kind && i.status === status)?.count ?? 0;
    expect(of('objection', 'upheld')).toBe(3);
    expect(of('objection', 'rejected')).toBe(3);
    expect(of('objection', 'submitted')).toBeGreaterThanOrEqual(2);
    expect(of('objection', 'accepted')).toBe(1);
    expect(of('objection', 'returned')).toBe(1);
    expect(of('good_info', 'confirmed')).toBe(1);
    expect(of('good_info', 'rejected')).toBe(1);
    expect(of('good_info', 'submitted')).toBe(1);
    expect(of('repair', 'submitted')).toBe(1);

    const timeliness = await tracking.timeliness();
    expect(timeliness.decided).toBe(8);
    expect(timeliness.onTime).toBe(7);
    expect(timeliness.open).toBe(6);
    expect(timeliness.ageing.find((a) => a.bucket === 'overdue')?.count).toBeGreaterThanOrEqual(1);

    const outcomes = await tracking.objectionOutcomes(12);
    const decidedMonths = outcomes.months.filter((m) => m.upheld + m.rejected > 0);
    expect(decidedMonths.length).toBeGreaterThanOrEqual(2);
    expect(outcomes.months.reduce((s, m) => s + m.upheld, 0)).toBe(3);
    expect(outcomes.months.reduce((s, m) => s + m.rejected, 0)).toBe(3);
  });

  it("fills the reviewer's queue with deadlines far apart, one overdue, and leaves the printed enterprises clean", async () => {
    // The queue's open cases: deadlines spread out, one past due (督办), one due within two working days.
    const open = { status: { in: ['submitted', 'accepted'] } };
    const dues = [
      ...(await t.db.prisma.objection.findMany({ where: open, select: { dueOn: true } })),
      ...(await t.db.prisma.goodInfoReport.findMany({ where: open, select: { dueOn: true } })),
      ...(await t.db.prisma.repairApplication.findMany({ where: open, select: { dueOn: true } })),
    ].map((r) => r.dueOn.toISOString().slice(0, 10));
    expect(dues.length).toBeGreaterThanOrEqual(5);
    expect(new Set(dues).size).toBeGreaterThanOrEqual(3);
    const ageing = (await tracking.timeliness()).ageing;
    const count = (bucket: string) => ageing.find((a) => a.bucket === bucket)?.count ?? 0;
    expect(count('overdue')).toBeGreaterThanOrEqual(1);
    expect(count('due_today') + count('days_1_2')).toBeGreaterThanOrEqual(1);
    expect(count('days_5_plus')).toBeGreaterThanOrEqual(1);

    const printed = await t.db.prisma.entity.findMany({
      where: { uscc: { in: DEMO_ENTERPRISES.map((e) => e.uscc) } },
      select: { id: true },
    });
    const ids = printed.map((p) => p.id);
    expect(ids).toHaveLength(2);
    expect(await t.db.prisma.objection.count({ where: { entityId: { in: ids } } })).toBe(0);
    expect(await t.db.prisma.goodInfoReport.count({ where: { entityId: { in: ids } } })).toBe(0);
    expect(await t.db.prisma.repairApplication.count({ where: { entityId: { in: ids } } })).toBe(0);
  });

  it('runs once', async () => {
    expect(await ensureDemoHistory(t.db, config, NOW)).toEqual({ cycles: 0, applications: 0 });
    expect(await t.db.prisma.scoringCycle.count()).toBe(2);
  });
});
