import path from 'node:path';
import { REPO_ROOT, type AppConfig } from '../config/config';
import { Database } from './database';
import { migrate } from './migrator';
import { ModelRepository } from '../scoring/model.repository';

export const MIGRATIONS_DIR = path.join(REPO_ROOT, 'cloud', 'prisma', 'migrations');

/**
 * Opens the configured database and brings its schema up to date: PostgreSQL when DATABASE_URL is
 * set, otherwise embedded PGlite in PGLITE_DIR, and makes sure default model v1 is published.
 * The API and the CLI tools use this.
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
  await new ModelRepository(db).ensureDefaultModel();
  return db;
}
