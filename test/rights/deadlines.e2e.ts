import { ErrorCodes } from '@heihe/shared';
import { testBackends } from '../../cloud/src/testing/test-db';
import { chinaMorning, objectionFiledOn, rightsSuite, seedEntity, seedUser, staff } from './support/fixtures';

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
  const ctx = rightsSuite(backend);
  const objectOn = (day: string, opts: { occurredOn?: string } = {}) => objectionFiledOn(ctx, day, opts);

  it('skips Spring Festival 2026 and counts both makeup Saturdays', async () => {
    const sut = await objectOn('2026-02-12');

    expect(sut.deadline).toMatchObject({ dueOn: '2026-02-28', workingDaysLeft: 7 });
  });

  it('counts the makeup Saturday after National Day 2026', async () => {
    const sut = await objectOn('2026-10-08');

    expect(sut.deadline.dueOn).toBe('2026-10-16');
  });

  it('files on 2026-12-24 with no 2027 schedule: provisionally due 2027-01-05, said in words', async () => {
    const sut = await objectOn('2026-12-24');

    expect(sut.deadline).toMatchObject({
      dueOn: '2027-01-05',
      provisional: true,
      provisionalReason: expect.stringMatching(/^2027 年的节假日安排尚未公布/),
      urgency: 'normal',
    });
    const [row] = await ctx.t.db.query(`SELECT due_on::text, due_from::text, due_provisional FROM objection`);
    expect(row).toEqual({ due_on: '2027-01-05', due_from: '2026-12-24', due_provisional: true });
    const status = await ctx.s.calendar.status();
    expect(status.problems).toEqual([expect.stringContaining('2027 年的法定节假日安排尚未加载')]);
  });

  it('files on every day from 2026-12-15 to 2027-01-10 without a 2027 schedule', async () => {
    const days = Array.from({ length: 27 }, (_, i) => new Date(Date.UTC(2026, 11, 15 + i)).toISOString().slice(0, 10));
    const e = await seedEntity(ctx.t.db, {
      records: days.map((_, i) => ({
        key: `P${i}`,
        kind: 'penalty' as const,
        occurredOn: '2026-01-20',
        severity: 'general' as const,
      })),
    });
    const user = await seedUser(ctx.t.db, [e.entityId]);
    const sut: [string, string, boolean][] = [];
    for (const [i, day] of days.entries()) {
      ctx.s.clock.set(chinaMorning(day));
      const filed = await ctx.s.objections.create(user, {
        entityId: e.entityId,
        recordId: e.records[`P${i}`]!,
        ground: 'wrong',
        statement: '处罚决定已被撤销，请核查。',
        evidenceIds: [],
      });
      sut.push([day, filed.deadline.dueOn, filed.deadline.provisional]);
    }

    expect(sut).toHaveLength(27);
    for (const [day, dueOn, provisional] of sut) {
      expect(dueOn > day).toBe(true);
      expect(provisional).toBe(dueOn >= '2027-01-01');
    }
    expect(sut.find(([d]) => d === '2026-12-24')).toEqual(['2026-12-24', '2027-01-05', true]);
  });

  it('recomputes provisional deadlines when 2027 is loaded, audits each and tells the enterprise of a moved date', async () => {
    const open = await objectOn('2026-12-24');
    const decided = await objectOn('2026-12-24');
    await ctx.s.objections.decide(staff(), decided.id, { action: 'reject', reason: '经核查，处罚信息准确无误。' });
    const [applicant] = await ctx.t.db.query<{ user_id: number }>(`SELECT user_id FROM objection WHERE id = $1`, [
      open.id,
    ]);
    await ctx.t.db.query(`INSERT INTO subscribe_consent (user_id, template_id) VALUES ($1, $2)`, [
      applicant!.user_id,
      ctx.s.config.WECHAT_TEMPLATE_DECISION,
    ]);
    // The notice (hypothetical) also rests Monday 2027-01-04: the provisional 01-05 moves to 01-06.
    const notice = { ...schedule2027, holidays: [...schedule2027.holidays, '2027-01-04'] };

    ctx.s.clock.set(chinaMorning('2026-12-28'));
    const loaded = await ctx.s.calendar.load(2027, notice, staff('admin', 'calendar.admin'));

    expect(loaded.recomputed).toEqual([
      {
        kind: 'objection',
        id: open.id,
        entityId: open.entityId,
        from: '2027-01-05',
        to: '2027-01-06',
        provisional: false,
      },
    ]);
    const sut = await ctx.s.objections.get(staff(), open.id);
    expect(sut.deadline).toMatchObject({ dueOn: '2027-01-06', provisional: false, provisionalReason: null });
    expect((await ctx.s.objections.get(staff(), decided.id)).deadline).toMatchObject({
      dueOn: '2027-01-05',
      provisional: false,
    });
    const audit = await ctx.t.db.query<{ object_id: string; detail: unknown }>(
      `SELECT object_id, detail FROM audit_log WHERE action = 'objection.deadline_recompute'`,
    );
    expect(audit).toEqual([
      {
        object_id: String(open.id),
        detail: { countedFrom: '2026-12-24', from: '2027-01-05', to: '2027-01-06', provisional: false },
      },
    ]);
    const told = await ctx.t.db.query<{ destination: string; payload: { data: Record<string, { value: string }> } }>(
      `SELECT destination, payload FROM outbox WHERE topic = 'objection.deadline_moved'`,
    );
    expect(told).toEqual([
      {
        destination: `wechat:${applicant!.user_id}`,
        payload: expect.objectContaining({
          data: expect.objectContaining({ thing3: { value: '办理期限调整为2027-01-06' } }),
        }),
      },
    ]);
  });

  it('keeps a recomputed date that did not move, and tells nobody', async () => {
    const filed = await objectOn('2026-12-24');

    ctx.s.clock.set(chinaMorning('2026-12-28'));
    const loaded = await ctx.s.calendar.load(2027, schedule2027, staff('admin'));

    expect(loaded.recomputed).toEqual([
      {
        kind: 'objection',
        id: filed.id,
        entityId: filed.entityId,
        from: '2027-01-05',
        to: '2027-01-05',
        provisional: false,
      },
    ]);
    expect(await ctx.t.db.query(`SELECT id FROM outbox WHERE topic = 'objection.deadline_moved'`)).toEqual([]);
  });

  it('recomputes a resubmitted application from the day it was resubmitted', async () => {
    const filed = await objectOn('2026-12-10');
    ctx.s.clock.set(chinaMorning('2026-12-11'));
    await ctx.s.objections.decide(staff(), filed.id, { action: 'return', reason: '请补充处罚撤销决定书。' });
    ctx.s.clock.set(chinaMorning('2026-12-28'));
    const [applicant] = await ctx.t.db.query<{ user_id: number }>(`SELECT user_id FROM objection WHERE id = $1`, [
      filed.id,
    ]);
    const user = { kind: 'user' as const, userId: applicant!.user_id, sessionId: 's', entityIds: [filed.entityId] };
    const resubmitted = await ctx.s.objections.resubmit(user, filed.id, {
      note: '已补充撤销决定书。',
      evidenceIds: [],
    });
    // 12-29 … 12-31 (1–3), 01-01 off, 01-04 … 01-07 (4–7)
    expect(resubmitted.deadline).toMatchObject({ dueOn: '2027-01-07', provisional: true });

    const notice = { ...schedule2027, holidays: [...schedule2027.holidays, '2027-01-04'] };
    await ctx.s.calendar.load(2027, notice, staff('admin'));

    const sut = await ctx.s.objections.get(staff(), filed.id);
    expect(sut.deadline).toMatchObject({ dueOn: '2027-01-08', provisional: false });
  });

  it('files with the uploaded 2027 schedule once an administrator loads it, and audits the upload', async () => {
    ctx.s.clock.set(chinaMorning('2026-12-01'));
    const loaded = await ctx.s.calendar.load(2027, schedule2027, staff('admin', 'calendar.admin'));
    expect(loaded).toMatchObject({ problems: [], uploaded: [{ year: 2027, loadedBy: 'admin:calendar.admin' }] });
    expect(loaded.loadedYears).toContain(2027);

    const sut = await objectOn('2026-12-28');

    // 12-29, 12-30, 12-31, then 01-01 … 01-03 off, 01-04 … 01-07
    expect(sut.deadline.dueOn).toBe('2027-01-07');
    const [a] = await ctx.t.db.query<{ action: string; object_id: string }>(
      `SELECT action, object_id FROM audit_log WHERE action = 'calendar.load'`,
    );
    expect(a).toEqual({ action: 'calendar.load', object_id: '2027' });
  });

  it('refuses a schedule with a makeup workday on a weekday, storing nothing', async () => {
    const sut = ctx.s.calendar.load(2027, { ...schedule2027, makeupWorkdays: ['2027-02-22'] }, staff('admin'));

    await expect(sut).rejects.toMatchObject({
      code: ErrorCodes.VALIDATION_FAILED,
      details: [{ path: 'makeupWorkdays.0', message: '调休上班日应为周六或周日，2027-02-22 是周一' }],
    });
    expect(await ctx.t.db.query(`SELECT year FROM calendar_schedule`)).toEqual([]);
  });

  it('counts down in the queue and escalates overdue cases to the top', async () => {
    const early = await objectOn('2026-09-30');
    const later = await objectOn('2026-10-12');
    ctx.s.clock.set(chinaMorning('2026-10-16'));

    const sut = await ctx.s.review.queue({ limit: 50, offset: 0 });

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
    ctx.s.clock.set(chinaMorning('2026-10-13'));
    await ctx.s.objections.decide(staff(), b.id, { action: 'accept' });
    ctx.s.clock.set(chinaMorning('2026-10-16'));

    const ids = async (q: Partial<Parameters<typeof ctx.s.review.queue>[0]>) =>
      (await ctx.s.review.queue({ limit: 50, offset: 0, ...q })).items.map((i) => i.id);

    expect(await ids({ kind: 'good_info' })).toEqual([]);
    expect(await ids({ status: 'accepted' })).toEqual([b.id]);
    expect(await ids({ dueBy: '2026-10-15' })).toEqual([a.id]);
    expect(await ids({ escalated: true })).toEqual([a.id]);
    expect(await ids({ escalated: false })).toEqual([b.id]);
  });

  it('keeps the queue counting in a year with no schedule, provisional deadlines marked, with a loud warning', async () => {
    const old = await objectOn('2026-09-30');
    const recent = await objectOn('2026-12-30');
    ctx.s.clock.set(chinaMorning('2027-01-05'));

    const sut = await ctx.s.review.queue({ limit: 50, offset: 0 });

    expect(sut.items.map((i) => [i.id, i.deadline.dueOn, i.deadline.urgency, i.deadline.provisional])).toEqual([
      [old.id, '2026-10-15', 'overdue', false],
      [recent.id, '2027-01-11', 'normal', true],
    ]);
    // 01-06 … 01-08, 01-11: four working days left, counted provisionally
    expect(sut.items[1]!.deadline).toMatchObject({
      workingDaysLeft: 4,
      provisionalReason: expect.stringContaining('2027 年'),
    });
    expect(sut.calendarProblem).toContain('2027 年的法定节假日安排尚未加载');
  });

  it('shows the countdown to the enterprise too', async () => {
    const filed = await objectOn('2026-09-30');
    ctx.s.clock.set(chinaMorning('2026-10-14'));
    const user = { kind: 'user' as const, userId: 0, sessionId: 's', entityIds: [filed.entityId] };

    const sut = await ctx.s.objections.get(user, filed.id);

    expect(sut.deadline).toEqual({
      dueOn: '2026-10-15',
      provisional: false,
      provisionalReason: null,
      workingDaysLeft: 1,
      urgency: 'due_soon',
      escalated: false,
    });
    expect(sut.decidedBy).toBeNull();
  });
});
