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
