import fs from 'node:fs';
import { createTestDatabase, testBackends, type TestDatabase } from '../testing/test-db';
import { distribute, DISTRIBUTE_SQL } from './distribute';

/** The tables, their columns and indexes, and the functions: what distribute.sql could change. */
async function catalogue(t: TestDatabase) {
  return t.db.query<{ kind: string; name: string }>(
    `SELECT 'rel:' || c.relkind::text AS kind, c.relname::text AS name FROM pg_class c
       JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = current_schema()
     UNION ALL SELECT 'fn', p.proname::text FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
       WHERE n.nspname = current_schema()
     ORDER BY 1, 2`,
  );
}

describe.each(testBackends())('distribute.sql on %s (no citus)', (backend) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase(backend);
  }, 60_000);
  afterAll(() => t.drop(), 30_000);

  it('runs twice without error and changes nothing', async () => {
    const before = await catalogue(t);
    expect(before.some((r) => r.name === 'entity')).toBe(true);
    await distribute(t.db);
    await distribute(t.db);
    expect(await catalogue(t)).toEqual(before);
  });

  it('distributes by bucket, colocated with entity, and makes the model versions a reference table', () => {
    const sql = fs.readFileSync(DISTRIBUTE_SQL, 'utf8');
    expect(sql).toMatch(/extname = 'citus'/);
    expect(sql).toMatch(/create_distributed_table\(%L, %L, colocate_with => %L\)', t, 'bucket', anchor\)/);
    expect(sql).toMatch(/'scoring_model'/);
    expect(sql).toMatch(/create_reference_table/);
  });
});
