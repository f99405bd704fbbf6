/**
 * `npm run db:migrate [-- --pglite <dir>] [-- --rolled-back <migration>]`
 *
 * Applies cloud/prisma/migrations like `prisma migrate deploy`, without Prisma's native engine.
 * Target: PostgreSQL at DATABASE_URL when it is set, otherwise the embedded PGlite at
 * <repo>/data/pglite; `--pglite <dir>` chooses PGlite at <dir> whatever DATABASE_URL says.
 * `--rolled-back <name>` marks a failed migration as rolled back (after you undid it), then migrates.
 */
import path from 'node:path';
import { Database } from '../db/database';
import { distribute } from '../db/distribute';
import { markRolledBack, migrate, MigrationError, type MigrationTarget } from '../db/migrator';

// cloud/dist/tools (compiled) and cloud/src/tools (sources) are both three levels below the root.
const repoRoot = path.resolve(__dirname, '../../..');
const migrationsDir = path.join(repoRoot, 'cloud/prisma/migrations');

function usage(message: string): never {
  console.error(`${message}\nUsage: npm run db:migrate [-- --pglite <dir>] [-- --rolled-back <migration>]`);
  process.exit(2);
}

function parseArgs(argv: string[]): { pglite?: string; rolledBack?: string } {
  const out: { pglite?: string; rolledBack?: string } = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      const v = argv[++i];
      if (!v || v.startsWith('--')) usage(`${arg} needs a value`);
      return v;
    };
    if (arg === '--pglite') out.pglite = value();
    else if (arg === '--rolled-back') out.rolledBack = value();
    else usage(`Unknown argument: ${arg}`);
  }
  return out;
}

/** postgres://user:secret@host/db → postgres://user:***@host/db */
function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(unparseable DATABASE_URL)';
  }
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  // Only DATABASE_URL: migrating needs none of the other settings, and runs where they are not set.
  const databaseUrl = process.env.DATABASE_URL;
  let target: MigrationTarget;
  let where: string;
  if (args.pglite !== undefined || !databaseUrl) {
    const dataDir = path.resolve(args.pglite ?? path.join(repoRoot, 'data/pglite'));
    target = { kind: 'pglite', dataDir };
    where = `PGlite at ${dataDir}`;
  } else {
    target = { kind: 'postgres', url: databaseUrl };
    where = `PostgreSQL at ${redact(databaseUrl)}`;
  }

  if (args.rolledBack) {
    await markRolledBack(target, { migrationName: args.rolledBack });
    process.stdout.write(`Marked ${args.rolledBack} as rolled back on ${where}.\n`);
  }
  const result = await migrate(target, { migrationsDir });
  for (const name of result.edited) {
    console.warn(`Warning: ${name} was edited after it was applied; it is not re-run. Restore the file.`);
  }
  // Then the Citus distribution (cloud/prisma/distribute.sql): a no-op where citus is not installed.
  const db = await Database.open(target.kind === 'postgres' ? target : { kind: 'pglite', dataDir: target.dataDir }, {
    poolSize: 1,
  });
  try {
    await distribute(db);
  } finally {
    await db.close();
  }
  if (result.applied.length === 0) {
    process.stdout.write(`${where}: already up to date (${result.durationMs} ms).\n`);
  } else {
    process.stdout.write(`${where}: applied ${result.applied.length} migration(s) in ${result.durationMs} ms:\n`);
    for (const name of result.applied) process.stdout.write(`  ${name}\n`);
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err instanceof MigrationError ? err.message : err);
    process.exit(1);
  },
);
