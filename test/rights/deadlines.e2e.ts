import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ErrorCodes } from '@heihe/shared';
import { createTestDatabase, testBackends, type TestDatabase } from '../../cloud/src/testing/test-db';
import { aJpeg, rightsServices, seedEntity, seedUser, staff } from './support/fixtures';

const at = (iso: string) => `${iso}T02:00:00.000Z`;

/** A 2027 arrangement as an administrator would key it in from the State Council notice (hypothetical dates). */
const schedule2027 = {
  holidays: [
    '2027-01-01',
    '2027-01-02',
    '2027-01-03',
    '2027-02-06',
    '2027-02-07',
    '2027-02-08',
    '2027-02-09',
    '2027-02-10',
    '2027-02-11',
    '2027-02-12',
  ],
  makeupWorkdays: ['2027-02-20'],
};

describe.each(testBackends())('working-day deadlines and the review queue on %s', (backend) => {
  let t: TestDatabase;
  let s: ReturnType<typeof rightsServices>;
  let dir: string;

  beforeAll(async () => {
    t = await createTestDatabase(backend);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'heihe-evidence-'));
  }, 60_000);
  beforeEach(async () => {
    await t.reset();
    s = rightsServices(t.db, { evidenceDir: dir });
  });
  afterAll(async () => {
    await t?.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function objectOn(day: string, opts: { occurredOn?: string } = {}) {
    const e = await seedEntity(t.db, {
      records: [{ key: 'P1', kind: 'penalty', occurredOn: opts.occurredOn ?? '2026-01-20', severity: 'general' }],
    });
    const user = await seedUser(t.db, [e.entityId]);
    s.clock.set(at(day));
    const ev = await s.evidence.upload(user, e.entityId, {
      buffer: aJpeg(),
      originalname: 'a.jpg',
      size: aJpeg().length,
    });
    return s.objections.create(user, {
      entityId: e.entityId,
      recordId: e.records.P1!,
      ground: 'duplicate',
      statement: '同一处罚被公示了两次，请核查。',
      evidenceIds: [ev.id],
    });
  }

  it('skips Spring Festival 2026 and counts both makeup Saturdays', async () => {
    const sut = await objectOn('2026-02-12');

    expect(sut.deadline).toMatchObject({ dueOn: '2026-02-28', workingDaysLeft: 7 });
  });

  it('counts the makeup Saturday after National Day 2026', async () => {
    const sut = await objectOn('2026-10-08');

    expect(sut.deadline.dueOn).toBe('2026-10-16');
  });

  it('refuses to file when the deadline runs into a year with no schedule, saying which', async () => {
    const sut = objectOn('2026-12-28');

    await expect(sut).rejects.toMatchObject({
      code: ErrorCodes.CALENDAR_YEAR_NOT_LOADED,
      message: expect.stringContaining('2027 年的法定节假日安排尚未加载'),
    });
    const status = await s.calendar.status();
    expect(status.problems).toEqual([expect.stringContaining('2027 年的法定节假日安排尚未加载')]);
  });

  it('files with the uploaded 2027 schedule once an administrator loads it, and audits the upload', async () => {
    s.clock.set(at('2026-12-01'));
    const loaded = await s.calendar.load(2027, schedule2027, staff('admin', 'calendar.admin'));
    expect(loaded).toMatchObject({ problems: [], uploaded: [{ year: 2027, loadedBy: 'admin:calendar.admin' }] });
    expect(loaded.loadedYears).toContain(2027);

    const sut = await objectOn('2026-12-28');

    // 12-29, 12-30, 12-31, then 01-01 … 01-03 off, 01-04 … 01-07
    expect(sut.deadline.dueOn).toBe('2027-01-07');
    const [a] = await t.db.query<{ action: string; object_id: string }>(
      `SELECT action, object_id FROM audit_log WHERE action = 'calendar.load'`,
    );
    expect(a).toEqual({ action: 'calendar.load', object_id: '2027' });
  });

  it('refuses a schedule with a makeup workday on a weekday, storing nothing', async () => {
    const sut = s.calendar.load(2027, { ...schedule2027, makeupWorkdays: ['2027-02-22'] }, staff('admin'));

    await expect(sut).rejects.toMatchObject({
      code: ErrorCodes.VALIDATION_FAILED,
      details: [{ path: 'makeupWorkdays.0', message: '调休上班日应为周六或周日，2027-02-22 是周一' }],
    });
    expect(await t.db.query(`SELECT year FROM calendar_schedule`)).toEqual([]);
  });

  it('counts down in the queue and escalates overdue cases to the top', async () => {
    const early = await objectOn('2026-09-30');
    const later = await objectOn('2026-10-12');
    s.clock.set(at('2026-10-16'));

    const sut = await s.review.queue({ limit: 50, offset: 0 });

    expect(sut).toMatchObject({ today: '2026-10-16', total: 2, escalated: 1, calendarProblem: null });
    expect(
      sut.items.map((i) => [
        i.kind,
        i.id,
        i.deadline.dueOn,
        i.deadline.workingDaysLeft,
        i.deadline.urgency,
        i.deadline.escalated,
      ]),
    ).toEqual([
      ['objection', early.id, '2026-10-15', -1, 'overdue', true],
      ['objection', later.id, '2026-10-21', 3, 'normal', false],
    ]);
    expect(sut.items[0]).toMatchObject({
      kindLabel: '信用异议',
      statusLabel: '已提交，待受理',
      subject: expect.stringMatching(/^重复公示：行政处罚/),
    });
    expect(sut.items[0]!.evidence).toHaveLength(1);
  });

  it('filters the queue by kind, status, due date and escalation', async () => {
    const a = await objectOn('2026-09-30');
    const b = await objectOn('2026-10-12');
    s.clock.set(at('2026-10-13'));
    await s.objections.decide(staff(), b.id, { action: 'accept' });
    s.clock.set(at('2026-10-16'));

    const ids = async (q: Partial<Parameters<typeof s.review.queue>[0]>) =>
      (await s.review.queue({ limit: 50, offset: 0, ...q })).items.map((i) => i.id);

    expect(await ids({ kind: 'good_info' })).toEqual([]);
    expect(await ids({ status: 'accepted' })).toEqual([b.id]);
    expect(await ids({ dueBy: '2026-10-15' })).toEqual([a.id]);
    expect(await ids({ escalated: true })).toEqual([a.id]);
    expect(await ids({ escalated: false })).toEqual([b.id]);
  });

  it('keeps the queue working in a year with no schedule: overdue by date, no guessed count, a loud warning', async () => {
    const o = await objectOn('2026-09-30');
    s.clock.set(at('2027-01-05'));

    const sut = await s.review.queue({ limit: 50, offset: 0 });

    expect(sut.items[0]!.id).toBe(o.id);
    expect(sut.items[0]!.deadline).toMatchObject({
      dueOn: '2026-10-15',
      workingDaysLeft: null,
      urgency: 'overdue',
      escalated: true,
    });
    expect(sut.calendarProblem).toContain('2027 年的法定节假日安排尚未加载');
  });

  it('shows the countdown to the enterprise too', async () => {
    const filed = await objectOn('2026-09-30');
    s.clock.set(at('2026-10-14'));
    const user = { kind: 'user' as const, userId: 0, sessionId: 's', entityIds: [filed.entityId] };

    const sut = await s.objections.get(user, filed.id);

    expect(sut.deadline).toEqual({
      dueOn: '2026-10-15',
      workingDaysLeft: 1,
      urgency: 'due_soon',
      escalated: false,
      calendarProblem: null,
    });
    expect(sut.decidedBy).toBeNull();
  });
});
