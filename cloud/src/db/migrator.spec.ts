import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { Client } from 'pg';
import { requireService } from '../testing/services';
import { diff, markRolledBack, migrate, migrationChecksum, MigrationError, type MigrationTarget } from './migrator';

jest.setTimeout(120_000);

const cloudDir = path.resolve(__dirname, '../..');
const MIGRATIONS = path.join(cloudDir, 'prisma/migrations');
const SCHEMA = path.join(cloudDir, 'prisma/schema.prisma');

// ---- PostgreSQL availability: decided synchronously so unavailable cases show as skipped. -------
const DEFAULT_PG = 'postgres://postgres@127.0.0.1:5432/test';
const explicitPgUrl = process.env.TEST_DATABASE_URL;
const serverUrl = explicitPgUrl ?? DEFAULT_PG;

function probe(url: string): boolean {
  const script =
    "const {Client}=require('pg');const c=new Client({connectionString:process.argv[1],connectionTimeoutMillis:3000});" +
    'c.connect().then(()=>c.end()).then(()=>process.exit(0),()=>process.exit(1));';
  const r = spawnSync(process.execPath, ['-e', script, url], { cwd: cloudDir, timeout: 10_000 });
  return r.status === 0;
}
const pgAvailable = requireService(
  'postgres',
  explicitPgUrl !== undefined || probe(serverUrl),
  `the PostgreSQL migration cases (none at ${serverUrl} either)`,
);

/** One fresh database per test file, dropped afterwards; `reset()` empties it between cases. */
class TestPg {
  readonly name = `mig_${randomBytes(6).toString('hex')}`;
  url = '';
  private admin: Client | null = null;

  async create(): Promise<void> {
    this.admin = new Client({ connectionString: serverUrl });
    await this.admin.connect();
    await this.admin.query(`CREATE DATABASE "${this.name}"`);
    const u = new URL(serverUrl);
    u.pathname = `/${this.name}`;
    this.url = u.toString();
  }

  async query<T = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> {
    const c = new Client({ connectionString: this.url });
    await c.connect();
    try {
      return (await c.query(sql, params)).rows as T[];
    } finally {
      await c.end();
    }
  }

  async reset(): Promise<void> {
    await this.query('DROP SCHEMA public CASCADE; CREATE SCHEMA public;');
  }

  async drop(): Promise<void> {
    if (!this.admin) return;
    await this.admin.query(`DROP DATABASE IF EXISTS "${this.name}" WITH (FORCE)`);
    await this.admin.end();
    this.admin = null;
  }
}

/** A database under test, seen the same way on both backends. */
interface Backend {
  /** A fresh, empty database. */
  fresh(): Promise<MigrationTarget>;
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  done(): Promise<void>;
}

const backends: [string, boolean, () => Promise<Backend>][] = [
  [
    'PGlite (in-memory)',
    true,
    async () => {
      let db: PGlite | null = null;
      return {
        fresh: async () => {
          if (db) await db.close();
          db = await PGlite.create();
          return db;
        },
        query: async <T>(sql: string, params: unknown[] = []) => (await db!.query<T>(sql, params)).rows,
        done: async () => {
          if (db) await db.close();
        },
      };
    },
  ],
  [
    'PostgreSQL',
    pgAvailable,
    async () => {
      const pg = new TestPg();
      await pg.create();
      return {
        fresh: async () => {
          await pg.reset();
          return { kind: 'postgres', url: pg.url };
        },
        query: (sql, params) => pg.query(sql, params),
        done: () => pg.drop(),
      };
    },
  ],
];

// ---- Helpers ------------------------------------------------------------------------------------
const tmpDirs: string[] = [];
function tmpDir(prefix: string): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), `migrator-${prefix}-`));
  tmpDirs.push(d);
  return d;
}
afterAll(() => {
  for (const d of tmpDirs) fs.rmSync(d, { recursive: true, force: true });
});

/** A copy of the real migrations folder, to add migrations to. */
function copyMigrations(): string {
  const d = path.join(tmpDir('migrations'), 'migrations');
  fs.cpSync(MIGRATIONS, d, { recursive: true });
  return d;
}

function migrationNames(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
}

function listTree(dir: string): string[] {
  return (fs.readdirSync(dir, { recursive: true }) as string[]).sort();
}

const BROKEN = '20990101000000_broken';
function withBrokenMigration(): string {
  const dir = copyMigrations();
  fs.mkdirSync(path.join(dir, BROKEN));
  // The first statement is valid: it must be rolled back with the rest.
  fs.writeFileSync(
    path.join(dir, BROKEN, 'migration.sql'),
    'CREATE TABLE "broken_probe" ("id" INTEGER);\nSELECT * FROM "no_such_table";\n',
  );
  return dir;
}

const PROBE_MODEL = `
model MigratorProbe {
  id    Int    @id @default(autoincrement())
  label String @db.VarChar(40)

  @@map("migrator_probe")
}
`;

async function tableExists(b: Backend, table: string): Promise<boolean> {
  const rows = await b.query<{ t: string | null }>('SELECT to_regclass($1)::text AS t', [`public.${table}`]);
  return rows[0]?.t != null;
}

interface MigrationRow {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
  applied_steps_count: number;
}
function migrationRows(b: Backend): Promise<MigrationRow[]> {
  return b.query<MigrationRow>(
    'SELECT migration_name, checksum, finished_at, rolled_back_at, applied_steps_count FROM _prisma_migrations ORDER BY started_at, migration_name',
  );
}

// ---- The repository's own migrations ------------------------------------------------------------
test('the repository has an initial migration and the lock file prisma writes', () => {
  const names = migrationNames(MIGRATIONS);
  expect(names.length).toBeGreaterThanOrEqual(1);
  expect(names[0]).toMatch(/^\d{14}_init$/);
  expect(fs.readFileSync(path.join(MIGRATIONS, 'migration_lock.toml'), 'utf8')).toContain('provider = "postgresql"');
});

// ---- Both backends ------------------------------------------------------------------------------
describe.each(backends)('migrate on %s', (_label, enabled, make) => {
  const maybe = enabled ? test : test.skip;
  let b: Backend;

  beforeAll(async () => {
    if (enabled) b = await make();
  });
  afterAll(async () => {
    if (enabled) await b.done();
  });

  maybe('a fresh migrate creates the tables and records every migration with its checksum', async () => {
    const target = await b.fresh();
    const result = await migrate(target, { migrationsDir: MIGRATIONS });
    const names = migrationNames(MIGRATIONS);
    expect(result.applied).toEqual(names);
    expect(result.edited).toEqual([]);

    for (const table of ['entity', 'person', 'credit_record', 'credit_record_version', 'evaluation', 'cycle_chunk']) {
      expect(await tableExists(b, table)).toBe(true);
    }
    const rows = await migrationRows(b);
    expect(rows.map((r) => r.migration_name)).toEqual(names);
    for (const row of rows) {
      const file = fs.readFileSync(path.join(MIGRATIONS, row.migration_name, 'migration.sql'));
      expect(row.checksum).toBe(migrationChecksum(file));
      expect(row.finished_at).not.toBeNull();
      expect(row.rolled_back_at).toBeNull();
      expect(row.applied_steps_count).toBe(1);
    }

    // Running it again is a no-op.
    const again = await migrate(target, { migrationsDir: MIGRATIONS });
    expect(again.applied).toEqual([]);
    expect(await migrationRows(b)).toHaveLength(names.length);

    // The engine's migration lock is not left behind (PGlite: the caller goes on using the session).
    const locks = await b.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND objid = 72707369",
    );
    expect(locks[0]!.n).toBe(0);

    // An applied migration edited afterwards is not re-run (as deploy) but is reported.
    const edited = copyMigrations();
    fs.appendFileSync(path.join(edited, names[0]!, 'migration.sql'), '\n-- edited\n');
    const afterEdit = await migrate(target, { migrationsDir: edited });
    expect(afterEdit).toMatchObject({ applied: [], edited: [names[0]] });
  });

  maybe('a broken migration fails loudly, is rolled back and is not recorded as applied', async () => {
    const target = await b.fresh();
    const dir = withBrokenMigration();

    const failure = await migrate(target, { migrationsDir: dir }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(failure).toBeInstanceOf(MigrationError);
    const message = (failure as Error).message;
    expect(message).toContain(`Migration ${BROKEN} failed`);
    expect(message).toContain('no_such_table');

    // The good migrations before it are applied; the broken one is recorded as failed only.
    const rows = await migrationRows(b);
    const good = migrationNames(MIGRATIONS);
    expect(rows.filter((r) => r.finished_at !== null).map((r) => r.migration_name)).toEqual(good);
    const broken = rows.filter((r) => r.migration_name === BROKEN);
    expect(broken).toHaveLength(1);
    expect(broken[0]!.finished_at).toBeNull();
    expect(broken[0]!.applied_steps_count).toBe(0);
    // Its first, valid statement did not survive: the script ran as one unit.
    expect(await tableExists(b, 'broken_probe')).toBe(false);

    // Until it is resolved, later runs refuse to go on, as `prisma migrate deploy` does.
    await expect(migrate(target, { migrationsDir: dir })).rejects.toThrow(/failed migrations/);

    // `migrate resolve --rolled-back`, then the fixed migration applies.
    fs.writeFileSync(path.join(dir, BROKEN, 'migration.sql'), 'CREATE TABLE "broken_probe" ("id" INTEGER);\n');
    await markRolledBack(target, { migrationName: BROKEN });
    expect((await migrate(target, { migrationsDir: dir })).applied).toEqual([BROKEN]);
    expect(await tableExists(b, 'broken_probe')).toBe(true);
  });

  maybe('a migration made by diff from a changed schema applies', async () => {
    const target = await b.fresh();
    const dir = copyMigrations();
    const schema = path.join(tmpDir('schema'), 'schema.prisma');
    fs.writeFileSync(schema, fs.readFileSync(SCHEMA, 'utf8') + PROBE_MODEL);
    const made = await diff({ migrationsDir: dir, schemaPath: schema, name: 'probe' });
    expect(made.created).toBe(true);

    const result = await migrate(target, { migrationsDir: dir });
    expect(result.applied).toEqual(migrationNames(dir));
    expect(result.applied.at(-1)).toBe(made.migrationName);
    expect(await tableExists(b, 'migrator_probe')).toBe(true);
    await b.query(`INSERT INTO migrator_probe (label) VALUES ('ok')`);
  });
});

// ---- diff (no target: it replays the migrations on an in-memory PGlite) -------------------------
describe('diff', () => {
  // A folder made by diff itself from schema.prisma, so these cases do not depend on whether the
  // repository's migrations are up to date (that is the last case's job).
  let base = '';
  beforeAll(async () => {
    base = path.join(tmpDir('base'), 'migrations');
    const init = await diff({ migrationsDir: base, schemaPath: SCHEMA, name: 'init' });
    expect(init.created).toBe(true);
  });

  test('a fresh folder gets the whole schema and the lock file prisma writes', () => {
    const [init] = migrationNames(base);
    expect(init).toMatch(/^\d{14}_init$/);
    const sql = fs.readFileSync(path.join(base, init!, 'migration.sql'), 'utf8');
    expect(sql).toContain('CREATE TABLE "entity"');
    expect(sql).toContain('CREATE TYPE "RecordKind"');
    expect(fs.readFileSync(path.join(base, 'migration_lock.toml'), 'utf8')).toBe(
      '# Please do not edit this file manually\n' +
        '# It should be added in your version-control system (e.g., Git)\n' +
        'provider = "postgresql"\n',
    );
  });

  test('an unchanged schema produces nothing', async () => {
    const before = listTree(base);
    const result = await diff({ migrationsDir: base, schemaPath: SCHEMA, name: 'nothing' });
    expect(result.created).toBe(false);
    expect(listTree(base)).toEqual(before);
  });

  test('a changed schema produces a new, last migration folder with the SQL for the change', async () => {
    const dir = path.join(tmpDir('changed'), 'migrations');
    fs.cpSync(base, dir, { recursive: true });
    const schema = path.join(tmpDir('schema'), 'schema.prisma');
    fs.writeFileSync(schema, fs.readFileSync(SCHEMA, 'utf8') + PROBE_MODEL);
    const result = await diff({
      migrationsDir: dir,
      schemaPath: schema,
      name: 'Add probe!',
      now: new Date('2000-01-01T00:00:00Z'), // behind the existing migrations: still sorted last
    });
    expect(result.created).toBe(true);
    expect(result.migrationName).toMatch(/^\d{14}_add_probe$/);
    expect(migrationNames(dir).at(-1)).toBe(result.migrationName);
    const sql = fs.readFileSync(path.join(result.migrationDir!, 'migration.sql'), 'utf8');
    expect(sql).toBe(result.sql);
    expect(sql).toContain('CREATE TABLE "migrator_probe"');
    expect(sql).not.toContain('"entity"'); // only the change

    // And now the folder matches the schema.
    expect((await diff({ migrationsDir: dir, schemaPath: schema, name: 'again' })).created).toBe(false);
  });

  test("the repository's migrations are in step with schema.prisma", async () => {
    const result = await diff({ migrationsDir: copyMigrations(), schemaPath: SCHEMA, name: 'pending' });
    if (result.created) {
      throw new Error(
        `cloud/prisma/migrations is behind cloud/prisma/schema.prisma: run \`npm run db:diff -- <name>\`, ` +
          `review and commit the new migration. Pending SQL:\n${result.sql}`,
      );
    }
  });
});

// ---- PGlite on disk, as the API process uses it --------------------------------------------------
test('PGlite data dir: parent folders are created, and a second run is a no-op', async () => {
  const dataDir = path.join(tmpDir('pglite'), 'a', 'b', 'pglite');
  const first = await migrate({ kind: 'pglite', dataDir }, { migrationsDir: MIGRATIONS });
  expect(first.applied).toEqual(migrationNames(MIGRATIONS));
  const second = await migrate({ kind: 'pglite', dataDir }, { migrationsDir: MIGRATIONS });
  expect(second.applied).toEqual([]);

  const db = await PGlite.create(dataDir);
  try {
    const rows = await db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM _prisma_migrations WHERE finished_at IS NOT NULL',
    );
    expect(rows.rows[0]!.n).toBe(migrationNames(MIGRATIONS).length);
  } finally {
    await db.close();
  }
});
