import crypto from 'node:crypto';
import { Client } from 'pg';
import { Database } from '../db/database';
import { MIGRATIONS_DIR } from '../db/open';
import { migrate } from '../db/migrator';
import { ModelRepository } from '../scoring';
import { requireService } from './services';

export type Backend = 'pglite' | 'postgres';

/**
 * The database backends a suite runs on: always embedded PGlite, and real PostgreSQL when
 * TEST_DATABASE_URL is set (.ci/run sets it); under CI=true it must be (`requireService`).
 * Suites use `describe.each(testBackends())`.
 */
export function testBackends(env: Record<string, string | undefined> = process.env): Backend[] {
  return requireService('postgres', Boolean(env.TEST_DATABASE_URL), 'the PostgreSQL cases', env)
    ? ['pglite', 'postgres']
    : ['pglite'];
}

export interface TestDatabase {
  db: Database;
  /** The isolated database's URL, for postgres (child processes, workers). */
  url?: string;
  /** Empties every table but the migration history, so tests in one file start alike. */
  reset(): Promise<void>;
  drop(): Promise<void>;
}

async function reset(db: Database): Promise<void> {
  const tables = await db.query<{ name: string }>(
    `SELECT quote_ident(tablename) AS name FROM pg_tables WHERE schemaname = 'public' AND tablename <> '_prisma_migrations'`,
  );
  if (tables.length) await db.query(`TRUNCATE ${tables.map((t) => t.name).join(', ')} RESTART IDENTITY CASCADE`);
  await new ModelRepository(db).ensureDefaultModel();
}

function withDb(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

/** A fresh, migrated, isolated database: in-memory PGlite, or a new database on the server. */
export async function createTestDatabase(backend: Backend, opts: { poolSize?: number } = {}): Promise<TestDatabase> {
  if (backend === 'pglite') {
    const db = await Database.open({ kind: 'pglite' });
    await migrate(db.pglite!, { migrationsDir: MIGRATIONS_DIR });
    await new ModelRepository(db).ensureDefaultModel();
    return { db, reset: () => reset(db), drop: () => db.close() };
  }
  const admin = process.env.TEST_DATABASE_URL;
  if (!admin) throw new Error('TEST_DATABASE_URL is not set');
  const name = `t_${process.pid}_${crypto.randomBytes(4).toString('hex')}`;
  const c = new Client({ connectionString: admin });
  await c.connect();
  await c.query(`CREATE DATABASE ${name}`);
  await c.end();
  const url = withDb(admin, name);
  await migrate({ kind: 'postgres', url }, { migrationsDir: MIGRATIONS_DIR });
  const db = await Database.open({ kind: 'postgres', url }, opts);
  await new ModelRepository(db).ensureDefaultModel();
  return {
    db,
    url,
    reset: () => reset(db),
    drop: async () => {
      await db.close();
      const d = new Client({ connectionString: admin });
      await d.connect();
      // Let closed sessions finish leaving before forcing out any that are left.
      for (let i = 0; i < 50; i++) {
        const [a] = await d
          .query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1`, [name])
          .then((r) => r.rows);
        if (!a || a.n === 0) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      await d.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await d.end();
    },
  };
}

/**
 * Makes the database refuse (raise on) inserts into `table` of rows matching `when` (a trigger
 * condition on NEW), as a constraint the validation does not know about would; returns the undo.
 */
export async function refuseInserts(db: Database, table: string, when: string): Promise<() => Promise<void>> {
  await db.query(
    `CREATE OR REPLACE FUNCTION test_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
     BEGIN RAISE EXCEPTION 'refused by the test'; END $$`,
  );
  await db.query(
    `CREATE TRIGGER test_refuse BEFORE INSERT ON ${table} FOR EACH ROW WHEN (${when}) EXECUTE FUNCTION test_refuse()`,
  );
  return async () => {
    await db.query(`DROP TRIGGER test_refuse ON ${table}`);
  };
}
