/**
 * `npm run db:diff -- <name>`
 *
 * Writes cloud/prisma/migrations/<UTC timestamp>_<name>/migration.sql with the SQL that takes a
 * database from the current migrations to cloud/prisma/schema.prisma (computed on an in-memory
 * PGlite shadow database: no server needed). Writes nothing when the schema has not changed.
 */
import path from 'node:path';
import { diff, MigrationError } from '../db/migrator';

const repoRoot = path.resolve(__dirname, '../../..');

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args.length !== 1 || !args[0] || args[0].startsWith('-')) {
    console.error('Usage: npm run db:diff -- <migration_name>');
    process.exit(2);
  }
  const result = await diff({
    migrationsDir: path.join(repoRoot, 'cloud/prisma/migrations'),
    schemaPath: path.join(repoRoot, 'cloud/prisma/schema.prisma'),
    name: args[0],
  });
  if (!result.created) {
    process.stdout.write(
      `No change between the migrations and the schema: nothing written (${result.durationMs} ms).` + '\n',
    );
    return;
  }
  process.stdout.write(
    `Created ${path.relative(process.cwd(), result.migrationDir!)}/migration.sql (${result.durationMs} ms).` + '\n',
  );
  process.stdout.write('Review it, then apply it with: npm run db:migrate\n');
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err instanceof MigrationError ? err.message : err);
    process.exit(1);
  },
);
