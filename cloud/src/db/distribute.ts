import fs from 'node:fs';
import path from 'node:path';
import type { Database } from './database';
import { REPO_ROOT } from '../config/config';

/** cloud/prisma/distribute.sql: the Citus distribution, run after every migration (ADR 0020). */
export const DISTRIBUTE_SQL = path.join(REPO_ROOT, 'cloud', 'prisma', 'distribute.sql');

/**
 * Runs distribute.sql on `db`: where the citus extension is installed, distributes the bucket-keyed
 * tables and makes the reference tables; elsewhere nothing. Idempotent: one DO block.
 */
export async function distribute(db: Database): Promise<void> {
  // Raw SQL: a DO block with DDL and Citus calls; the client has no API for either.
  await db.query(fs.readFileSync(DISTRIBUTE_SQL, 'utf8'));
}
