import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ErrorCodes } from '@heihe/shared';
import { createTestDatabase, testBackends, type TestDatabase } from '../../cloud/src/testing/test-db';
import { aJpeg, rightsServices, seedEntity, seedUser, staff } from '../rights/support/fixtures';

const at = (iso: string) => `${iso}T02:00:00.000Z`;

/** A hypothetical 2027 notice that also rests Monday 2027-01-04. */
const notice = {
  holidays: ['2027-01-01', '2027-01-02', '2027-01-03', '2027-01-04', '2027-02-06', '2027-02-07', '2027-02-08'],
  makeupWorkdays: ['2027-02-20'],
};

describe.each(testBackends())('previewing a holiday schedule before loading it, on %s', (backend) => {
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

  async function objectOn(day: string) {
    const e = await seedEntity(t.db, {
      records: [{ key: 'P1', kind: 'penalty', occurredOn: '2026-01-20', severity: 'general' }],
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

  it('names the open provisional deadlines the load then moves, old → new, and stores nothing', async () => {
    const moved = await objectOn('2026-12-24');
    const early = await objectOn('2026-12-01');
    const decided = await objectOn('2026-12-24');
    await s.objections.decide(staff(), decided.id, { action: 'reject', reason: '经核查，处罚信息准确无误。' });
    s.clock.set(at('2026-12-28'));
    const auditBefore = await t.db.query(`SELECT count(*)::int AS n FROM audit_log`);

    const sut = await s.calendar.preview(2027, notice);

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
    expect(await t.db.query(`SELECT year FROM calendar_schedule`)).toEqual([]);
    expect((await s.objections.get(staff(), moved.id)).deadline).toMatchObject({
      dueOn: '2027-01-05',
      provisional: true,
    });
    expect(await t.db.query(`SELECT count(*)::int AS n FROM audit_log`)).toEqual(auditBefore);

    const loaded = await s.calendar.load(2027, notice, staff('admin'));

    expect(loaded.recomputed).toEqual(sut.items.map(({ entityName: _, ...r }) => r));
  });

  it('refuses the schedule the load would refuse (a makeup day on a weekday)', async () => {
    await expect(s.calendar.preview(2027, { ...notice, makeupWorkdays: ['2027-02-22'] })).rejects.toMatchObject({
      code: ErrorCodes.VALIDATION_FAILED,
    });
  });
});
