import { copyText } from './database';
import { createTestDatabase, testBackends, type TestDatabase } from '../testing/test-db';

describe.each(testBackends())('copyFrom on %s', (backend) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase(backend);
  }, 60_000);
  afterAll(() => t.drop());

  it('loads every value exactly, escapes included, inside the caller’s transaction', async () => {
    const values = ['plain', 'tab\there', 'line\nbreak', 'cr\rhere', 'back\\slash', '\\N', '黑河市', '', null];
    const data = values.map((v, i) => `${i}\t${copyText(v)}\n`).join('');

    const rows = await t.db.tx(async (sql) => {
      await sql.query(`CREATE TEMP TABLE copy_probe (i int, v text) ON COMMIT DROP`);
      await sql.copyFrom('copy_probe', ['i', 'v'], data);
      return sql.query<{ i: number; v: string | null }>(`SELECT i, v FROM copy_probe ORDER BY i`);
    });

    expect(rows.map((r) => r.v)).toEqual(values);
  });

  it('takes nothing when the transaction rolls back', async () => {
    await t.db.query(`CREATE TABLE IF NOT EXISTS copy_kept (v text)`);
    await expect(
      t.db.tx(async (sql) => {
        await sql.copyFrom('copy_kept', ['v'], 'a\nb\n');
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    const [n] = await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM copy_kept`);
    expect(n!.n).toBe(0);
  });

  it('refuses a malformed row with the database’s error', async () => {
    await t.db.query(`CREATE TABLE IF NOT EXISTS copy_typed (n int)`);
    await expect(t.db.copyFrom('copy_typed', ['n'], 'not-a-number\n')).rejects.toThrow(/integer/);
  });
});

describe.each(testBackends())('copyTo on %s', (backend) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase(backend);
    // A function that raises a notice on one row: the server sends a NoticeResponse in the middle
    // of the CopyData messages.
    await t.db.query(`CREATE FUNCTION noisy(i int) RETURNS int LANGUAGE plpgsql AS $$
      BEGIN IF i = 30000 THEN RAISE NOTICE 'row %', i; END IF; RETURN i; END $$`);
  }, 60_000);
  afterAll(() => t.drop());

  const lines = (n: number, f: (i: number) => string) => Array.from({ length: n }, (_, k) => `${f(k + 1)}\n`).join('');

  it('returns every row of a large copy, split over many socket reads, and the connection goes on', async () => {
    // Rows of varying width, so message headers fall at every offset of the socket's chunks.
    const got = await t.db.tx(async (sql) => {
      const out = await sql.copyTo(`SELECT i, repeat('x', i % 37) FROM generate_series(1, 100000) i`);
      const [after] = await sql.query<{ n: number }>(`SELECT 41 + 1 AS n`);
      expect(after!.n).toBe(42);
      return out;
    });
    expect(got.toString('utf8')).toBe(lines(100000, (i) => `${i}\t${'x'.repeat(i % 37)}`));
  });

  it('keeps every row when a notice arrives in the middle of the copy', async () => {
    const got = await t.db.tx((sql) => sql.copyTo(`SELECT noisy(i) FROM generate_series(1, 60000) i`));
    expect(got.toString('utf8')).toBe(lines(60000, (i) => String(i)));
    const [after] = await t.db.query<{ n: number }>(`SELECT 1 AS n`);
    expect(after!.n).toBe(1);
  });

  it('fails with the database’s error when the query fails halfway, and the connection is usable after', async () => {
    await expect(
      t.db.tx((sql) => sql.copyTo(`SELECT 1 / (i - 50000) FROM generate_series(1, 80000) i`)),
    ).rejects.toThrow(/division by zero/);
    for (let k = 0; k < 3; k++) {
      const got = await t.db.copyTo(`SELECT i FROM generate_series(1, 1000) i`);
      expect(got.toString('utf8')).toBe(lines(1000, (i) => String(i)));
    }
  });

  it('returns an empty copy for no rows', async () => {
    expect((await t.db.copyTo(`SELECT 1 WHERE false`)).length).toBe(0);
  });
});
