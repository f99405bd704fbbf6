import fs from 'node:fs';
import { createTestDatabase, testBackends, type TestDatabase } from '../testing/test-db';
import type { Sql } from './database';
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

  /** What distribute.sql would do here, from its plan mode (heihe.distribute_plan = on), in `sql`'s session. */
  const planOf = (sql: Sql) =>
    sql.query<{ action: string; target: string }>(`SELECT action, target FROM distribution_plan ORDER BY step`);
  const plan = async (before?: (sql: Sql) => Promise<void>) => {
    let rows: { action: string; target: string }[] = [];
    await t.db
      .tx(async (sql) => {
        if (before) await before(sql);
        await sql.query(`SET LOCAL heihe.distribute_plan = on`);
        await sql.query(fs.readFileSync(DISTRIBUTE_SQL, 'utf8'));
        rows = await planOf(sql);
        throw new Error('rollback');
      })
      .catch((e: unknown) => {
        if (!(e instanceof Error) || e.message !== 'rollback') throw e;
      });
    const of = (action: string) => rows.filter((r) => r.action === action).map((r) => r.target);
    return {
      order: rows.map((r) => r.action),
      dropped: of('drop foreign key'),
      reference: of('reference table'),
      distributed: of('distribute by bucket'),
      blockedBy: of('blocked by trigger'),
      remade: of('remake foreign key'),
      settings: of('allow colocated triggers'),
    };
  };

  /** A trigger of the kind ADR 0027 step 4 moved into the application: it writes a coordinator table. */
  const coordinatorTrigger = async (sql: Sql) => {
    await sql.query(`CREATE FUNCTION reach_coordinator() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN INSERT INTO ownership_change (entity_ids) VALUES ('{}'); RETURN NULL; END $$`);
    await sql.query(
      `CREATE TRIGGER reach_coordinator AFTER INSERT ON shareholder FOR EACH STATEMENT EXECUTE FUNCTION reach_coordinator()`,
    );
  };

  it('plans to distribute nothing while a trigger on a table to distribute is not known to write only its own bucket, and names it', async () => {
    const p = await plan(coordinatorTrigger);
    expect(p.blockedBy).toEqual(['shareholder.reach_coordinator']);
    expect(p.distributed).toEqual([]);
    // Only the reference table's key to the coordinator: no distributed table, so no other key.
    expect(p.dropped).toEqual(['loan_product.loan_product_bank_id_fkey']);
    expect(p.remade).toEqual([]);
    expect(p.reference).toContain('scoring_model');
  });

  it('plans: drop the foreign keys between distributed and coordinator tables, then reference tables, then every table keyed by bucket, entity first; no trigger blocks it', async () => {
    const p = await plan();
    expect(p.blockedBy).toEqual([]);
    expect(p.distributed).toEqual([
      'entity',
      'credit_record',
      'credit_record_version',
      'entity_person',
      'entity_score',
      'evaluation',
      'financing',
      'investment',
      'outbox',
      'shareholder',
    ]);
    // The central rows' keys to entity, and the entity's to the persons, who stay on the coordinator.
    expect(p.dropped).toEqual([
      'credit_report.credit_report_entity_id_entity_bucket_fkey',
      'data_authorization.data_authorization_entity_id_entity_bucket_fkey',
      'entity.entity_legal_rep_id_fkey',
      'entity_person.entity_person_person_id_fkey',
      'loan_application.loan_application_entity_id_entity_bucket_fkey',
      // A reference table's key to a coordinator table (the bank's API client).
      'loan_product.loan_product_bank_id_fkey',
      'red_list_entry.red_list_entry_entity_id_entity_bucket_fkey',
      'typical_case.typical_case_entity_id_entity_bucket_fkey',
    ]);
    // Citus refuses ON UPDATE CASCADE on a key between distributed tables that holds the bucket.
    expect(p.remade).toEqual([
      'credit_record.credit_record_entity_id_bucket_fkey',
      'credit_record_version.credit_record_version_record_id_bucket_fkey',
      'entity_person.entity_person_entity_id_bucket_fkey',
      'entity_score.entity_score_entity_id_bucket_fkey',
      'financing.financing_entity_id_bucket_fkey',
      'investment.investment_entity_id_bucket_fkey',
      'shareholder.shareholder_entity_id_bucket_fkey',
    ]);
    // The two colocated triggers (the score row's, record.negative's) need Citus's trigger setting.
    expect(p.settings).toHaveLength(1);
    expect(p.reference).toContain('scoring_model');
    expect(p.reference).toContain('loan_product');
    // Foreign keys first: Citus refuses to distribute a table that a coordinator table refers to.
    expect(p.order.lastIndexOf('drop foreign key')).toBeLessThan(p.order.indexOf('remake foreign key'));
    expect(p.order.lastIndexOf('remake foreign key')).toBeLessThan(p.order.indexOf('reference table'));
    expect(p.order.lastIndexOf('reference table')).toBeLessThan(p.order.indexOf('distribute by bucket'));
  });

  it('plans to distribute nothing, and to drop no key, while a unique key of entity lacks the bucket', async () => {
    const p = await plan((sql) =>
      sql.query(`CREATE UNIQUE INDEX entity_uscc_only ON entity (uscc)`).then(() => undefined),
    );
    expect(p.distributed).toEqual([]);
    // Only the reference table's key to the coordinator: no distributed table, so no other key.
    expect(p.dropped).toEqual(['loan_product.loan_product_bank_id_fkey']);
    expect(p.remade).toEqual([]);
    expect(p.reference).toContain('scoring_model');
  });
});
