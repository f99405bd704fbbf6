import { ErrorCodes } from '@heihe/shared';
import { testBackends } from '../../cloud/src/testing/test-db';
import { chinaMorning, objectionFiledOn, rightsSuite, staff } from '../rights/support/fixtures';

/** A hypothetical 2027 notice that also rests Monday 2027-01-04. */
const notice = {
  holidays: ['2027-01-01', '2027-01-02', '2027-01-03', '2027-01-04', '2027-02-06', '2027-02-07', '2027-02-08'],
  makeupWorkdays: ['2027-02-20'],
};

describe.each(testBackends())('previewing a holiday schedule before loading it, on %s', (backend) => {
  const ctx = rightsSuite(backend);
  const objectOn = (day: string, opts: { occurredOn?: string } = {}) => objectionFiledOn(ctx, day, opts);

  it('names the open provisional deadlines the load then moves, old → new, and stores nothing', async () => {
    const moved = await objectOn('2026-12-24');
    const early = await objectOn('2026-12-01');
    const decided = await objectOn('2026-12-24');
    await ctx.s.objections.decide(staff(), decided.id, { action: 'reject', reason: '经核查，处罚信息准确无误。' });
    ctx.s.clock.set(chinaMorning('2026-12-28'));
    const auditBefore = await ctx.t.db.query(`SELECT count(*)::int AS n FROM audit_log`);

    const sut = await ctx.s.calendar.preview(2027, notice);

    expect(sut).toEqual({
      year: 2027,
      moved: 1,
      items: [
        {
          kind: 'objection',
          id: moved.id,
          entityId: moved.entityId,
          entityName: expect.any(String),
          from: '2027-01-05',
          to: '2027-01-06',
          provisional: false,
        },
      ],
    });
    expect(sut.items[0]!.entityName.length).toBeGreaterThan(0);
    expect(early.deadline.provisional).toBe(false);
    // Nothing written: no schedule, the deadline as it was, no audit entry.
    expect(await ctx.t.db.query(`SELECT year FROM calendar_schedule`)).toEqual([]);
    expect((await ctx.s.objections.get(staff(), moved.id)).deadline).toMatchObject({
      dueOn: '2027-01-05',
      provisional: true,
    });
    expect(await ctx.t.db.query(`SELECT count(*)::int AS n FROM audit_log`)).toEqual(auditBefore);

    const loaded = await ctx.s.calendar.load(2027, notice, staff('admin'));

    expect(loaded.recomputed).toEqual(sut.items.map(({ entityName: _, ...r }) => r));
  });

  it('refuses the schedule the load would refuse (a makeup day on a weekday)', async () => {
    await expect(ctx.s.calendar.preview(2027, { ...notice, makeupWorkdays: ['2027-02-22'] })).rejects.toMatchObject({
      code: ErrorCodes.VALIDATION_FAILED,
    });
  });
});
