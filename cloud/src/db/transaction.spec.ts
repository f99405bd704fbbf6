import { createTestDatabase, testBackends, type TestDatabase } from '../testing/test-db';

const schedule = (year: number) => ({
  year,
  holidays: [`${year}-01-01`],
  makeupWorkdays: [],
  loadedBy: 'spec',
});

describe.each(testBackends())('one transaction for Prisma Client and raw SQL on %s', (backend) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase(backend);
  }, 60_000);
  beforeEach(() => t.reset());
  afterAll(() => t?.drop());

  const years = async () =>
    (await t.db.prisma.calendarSchedule.findMany({ orderBy: { year: 'asc' } })).map((r) => r.year);
  const rawInsert = (year: number) =>
    t.db.query(
      `INSERT INTO calendar_schedule (year, holidays, makeup_workdays, loaded_by) VALUES ($1, $2, '{}', 'raw')`,
      [year, [`${year}-01-01`]],
    );

  it('commits a client write and a raw write together', async () => {
    await t.db.tx(async (sql) => {
      await sql.prisma.calendarSchedule.create({ data: schedule(2031) });
      await sql.query(
        `INSERT INTO calendar_schedule (year, holidays, makeup_workdays, loaded_by) VALUES (2032, '{2032-01-01}', '{}', 'raw')`,
      );
    });

    expect(await years()).toEqual([2031, 2032]);
  });

  it('rolls back a client write, a raw write and a write through the Database itself when the work throws', async () => {
    const sut = t.db.tx(async (sql) => {
      await sql.prisma.calendarSchedule.create({ data: schedule(2031) });
      await rawInsert(2032);
      await t.db.prisma.calendarSchedule.create({ data: schedule(2033) });
      throw new Error('decision refused');
    });

    await expect(sut).rejects.toThrow('decision refused');
    expect(await years()).toEqual([]);
  });

  it('sees its own uncommitted client writes through raw SQL, and the reverse', async () => {
    const sut = await t.db.tx(async (sql) => {
      await sql.prisma.calendarSchedule.create({ data: schedule(2031) });
      await rawInsert(2032);
      const raw = await sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM calendar_schedule`);
      const client = await sql.prisma.calendarSchedule.count();
      return [raw[0]!.n, client];
    });

    expect(sut).toEqual([2, 2]);
  });

  it('keeps a nested transaction that failed to its savepoint, and the rest commits', async () => {
    await t.db.tx(async (sql) => {
      await sql.prisma.calendarSchedule.create({ data: schedule(2031) });
      await t.db
        .tx(async (inner) => {
          await inner.prisma.calendarSchedule.create({ data: schedule(2032) });
          // A unique violation: without the savepoint PostgreSQL would abort the outer transaction too.
          await inner.prisma.calendarSchedule.create({ data: schedule(2031) });
        })
        .catch(() => undefined);
      await sql.prisma.calendarSchedule.create({ data: schedule(2033) });
    });

    expect(await years()).toEqual([2031, 2033]);
  });

  it("runs Prisma's own interactive transaction inside ours as a savepoint", async () => {
    await t.db.tx(async (sql) => {
      await sql.prisma.$transaction(async (p) => {
        await p.calendarSchedule.create({ data: schedule(2031) });
      });
      await sql.prisma
        .$transaction(async (p) => {
          await p.calendarSchedule.create({ data: schedule(2032) });
          throw new Error('inner refused');
        })
        .catch(() => undefined);
    });

    expect(await years()).toEqual([2031]);
  });

  it('sends work a transaction did not await to the pool once it has ended', async () => {
    let late: Promise<unknown> = Promise.resolve();
    await t.db.tx(async (sql) => {
      await sql.prisma.calendarSchedule.create({ data: schedule(2031) });
      late = new Promise((resolve) => setTimeout(resolve, 50)).then(() =>
        t.db.prisma.calendarSchedule.create({ data: schedule(2032) }),
      );
    });

    await late;
    expect(await years()).toEqual([2031, 2032]);
  });

  it('keeps concurrent transactions apart', async () => {
    const sut = await Promise.allSettled([
      t.db.tx(async (sql) => {
        await sql.prisma.calendarSchedule.create({ data: schedule(2031) });
        await new Promise((resolve) => setTimeout(resolve, 30));
        throw new Error('first refused');
      }),
      t.db.tx(async (sql) => {
        await new Promise((resolve) => setTimeout(resolve, 10));
        await sql.prisma.calendarSchedule.create({ data: schedule(2032) });
      }),
    ]);

    expect(sut.map((r) => r.status)).toEqual(['rejected', 'fulfilled']);
    expect(await years()).toEqual([2032]);
  });
});
