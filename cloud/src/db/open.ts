import path from 'node:path';
import { REPO_ROOT, type AppConfig } from '../config/config';
import { Database } from './database';
import { distribute } from './distribute';
import { migrate } from './migrator';

export const MIGRATIONS_DIR = path.join(REPO_ROOT, 'cloud', 'prisma', 'migrations');

/**
 * Opens the configured database and brings its schema up to date: PostgreSQL when DATABASE_URL is
 * set, otherwise embedded PGlite in PGLITE_DIR, then runs distribute.sql as `npm run db:migrate` does
 * (a no-op without the citus extension, ADR 0020). The API and the CLI tools use this; those that
 * score make sure default model v1 is published (ModelRepository.ensureDefaultModel) once it is open.
 */
export async function openDatabase(
  config: Pick<AppConfig, 'DATABASE_URL' | 'PGLITE_DIR'>,
  opts: { poolSize?: number; inMemory?: boolean } = {},
): Promise<Database> {
  let db: Database;
  if (config.DATABASE_URL) {
    await migrate({ kind: 'postgres', url: config.DATABASE_URL }, { migrationsDir: MIGRATIONS_DIR });
    db = await Database.open({ kind: 'postgres', url: config.DATABASE_URL }, opts);
  } else {
    db = await Database.open({ kind: 'pglite', dataDir: opts.inMemory ? undefined : config.PGLITE_DIR });
    await migrate(db.pglite!, { migrationsDir: MIGRATIONS_DIR });
  }
  await distribute(db);
  return db;
}
