import fs from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import { Pool, Query, types, type PoolClient } from 'pg';
import { from as copyFromStdin } from 'pg-copy-streams';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { PrismaClient } from '../generated/prisma/client';

// Dates are calendar dates in this domain; never let pg turn them into local-midnight Date objects.
types.setTypeParser(1082, (v) => v);

/** A raw SQL executor: the set-wise paths (ingestion, the cycle) use it; CRUD uses Prisma. */
export interface Sql {
  query<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
  /** Rows as arrays, in column order: no object per row, for the hot read of the cycle. */
  arrays<T extends unknown[] = unknown[]>(text: string, params?: unknown[]): Promise<T[]>;
  /**
   * Bulk-loads rows in PostgreSQL's COPY text format (tab-separated, `\N` for null, one row per
   * line; see `copyText`) into `table`: the set-wise write path, without the per-value encoding
   * and parsing of array parameters.
   */
  copyFrom(table: string, columns: readonly string[], data: string | Buffer): Promise<void>;
  /**
   * The whole output of `COPY (query) TO STDOUT` in `format` ('binary': PostgreSQL's binary copy
   * format; 'text': tab-separated lines): the set-wise read path, kept off the JS heap and free of
   * per-row protocol messages and objects. COPY takes no parameters: `query` must carry its values
   * as literals.
   */
  copyTo(query: string, format?: 'text' | 'binary'): Promise<Buffer>;
}

export { copyText } from './copy-text';

const copySql = (table: string, columns: readonly string[]) => `COPY ${table} (${columns.join(', ')}) FROM STDIN`;

async function pgCopyFrom(client: PoolClient, table: string, columns: readonly string[], data: string | Buffer) {
  if (!data.length) return;
  await new Promise<void>((resolve, reject) => {
    const stream = client.query(copyFromStdin(copySql(table, columns)));
    stream.on('finish', resolve);
    stream.on('error', reject);
    stream.end(data);
  });
}

const copyToSql = (query: string, format: 'text' | 'binary', target = 'STDOUT') =>
  `COPY (${query}) TO ${target} (FORMAT ${format})`;

/**
 * `COPY … TO STDOUT` through pg's own protocol parser: the server sends one CopyData message per
 * row, and each is copied straight into one growing Buffer (pg-copy-streams' stream re-buffers
 * every message, which cost the cycle ~15% of its Node time).
 */
class CopyOutQuery extends Query {
  private out = Buffer.allocUnsafe(1 << 16);
  private length = 0;

  /** Called by pg's client for every CopyData message of the active query. */
  handleCopyData(msg: { chunk: Buffer }): void {
    const chunk = msg.chunk;
    if (this.length + chunk.length > this.out.length) {
      const grown = Buffer.allocUnsafe(Math.max(this.out.length * 2, this.length + chunk.length));
      this.out.copy(grown, 0, 0, this.length);
      this.out = grown;
    }
    this.out.set(chunk, this.length);
    this.length += chunk.length;
  }

  data(): Buffer {
    return this.out.subarray(0, this.length);
  }
}

async function pgCopyTo(client: PoolClient, query: string, format: 'text' | 'binary' = 'text'): Promise<Buffer> {
  let q: CopyOutQuery;
  await new Promise<void>((resolve, reject) => {
    q = new CopyOutQuery(copyToSql(query, format), undefined, (e) => (e ? reject(e) : resolve()));
    void client.query(q);
  });
  return q!.data();
}

/** PGlite has no COPY stream on its protocol; it writes the output to a blob instead. */
async function pgliteCopyTo(
  t: Pick<PGlite, 'query'>,
  query: string,
  format: 'text' | 'binary' = 'text',
): Promise<Buffer> {
  const r = await t.query(copyToSql(query, format, "'/dev/blob'"));
  return r.blob ? Buffer.from(await r.blob.arrayBuffer()) : Buffer.alloc(0);
}

export type DbTarget = { kind: 'postgres'; url: string } | { kind: 'pglite'; dataDir?: string };

/**
 * One database handle for the process: PostgreSQL through a pg pool, or embedded PGlite.
 * Both sides share the same schema and migrations; SQL written here must run on PostgreSQL 15
 * and on PGlite (PostgreSQL 18).
 */
export class Database implements Sql {
  private constructor(
    readonly backend: 'postgres' | 'pglite',
    readonly prisma: PrismaClient,
    private readonly pool: Pool | null,
    readonly pglite: PGlite | null,
  ) {}

  static async open(target: DbTarget, opts: { poolSize?: number } = {}): Promise<Database> {
    if (target.kind === 'postgres') {
      const pool = new Pool({ connectionString: target.url, max: opts.poolSize ?? 10 });
      // An idle connection the server drops (restart, failover, a forced DROP) must not crash the
      // process: node-postgres emits it on the pool, and an unheard 'error' event throws. The pool
      // replaces the connection; queries in flight still fail with their own error.
      pool.on('error', (e) => process.emitWarning(`PostgreSQL connection lost: ${e.message}`));
      const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
      return new Database('postgres', prisma, pool, null);
    }
    if (target.dataDir) fs.mkdirSync(target.dataDir, { recursive: true });
    const pg = await PGlite.create(target.dataDir);
    const prisma = new PrismaClient({ adapter: new PrismaPGlite(pg) });
    return new Database('pglite', prisma, null, pg);
  }

  async query<T = Record<string, unknown>>(text: string, params: unknown[] = []): Promise<T[]> {
    if (this.pool) return (await this.pool.query(text, params)).rows as T[];
    return (await this.pglite!.query<T>(text, params)).rows;
  }

  async arrays<T extends unknown[] = unknown[]>(text: string, params: unknown[] = []): Promise<T[]> {
    if (this.pool) return (await this.pool.query<T>({ text, values: params, rowMode: 'array' })).rows;
    return (await this.pglite!.query<T>(text, params, { rowMode: 'array' })).rows;
  }

  async copyFrom(table: string, columns: readonly string[], data: string | Buffer): Promise<void> {
    await this.tx((sql) => sql.copyFrom(table, columns, data));
  }

  async copyTo(query: string, format: 'text' | 'binary' = 'text'): Promise<Buffer> {
    if (this.pglite) return pgliteCopyTo(this.pglite, query, format);
    const client = await this.pool!.connect();
    try {
      return await pgCopyTo(client, query, format);
    } finally {
      client.release();
    }
  }

  /** Run `fn` in one transaction: all of it commits, or none of it. */
  async tx<T>(fn: (sql: Sql) => Promise<T>): Promise<T> {
    if (this.pglite) {
      return this.pglite.transaction(async (t) =>
        fn({
          query: async <R>(text: string, params: unknown[] = []) => (await t.query<R>(text, params)).rows,
          arrays: async <R extends unknown[]>(text: string, params: unknown[] = []) =>
            (await t.query<R>(text, params, { rowMode: 'array' })).rows,
          copyFrom: async (table, columns, data) => {
            if (data.length)
              await t.query(`${copySql(table, columns).replace(/STDIN$/, "'/dev/blob'")}`, [], {
                // A Buffer is a valid blob part; only the DOM typing (test/) insists on a plain ArrayBuffer.
                blob: new Blob([data as string | Uint8Array<ArrayBuffer>]),
              });
          },
          copyTo: (query, format) => pgliteCopyTo(t, query, format),
        }),
      );
    }
    const client = await this.pool!.connect();
    try {
      await client.query('BEGIN');
      const out = await fn({
        query: async <R>(text: string, params: unknown[] = []) => (await client.query(text, params)).rows as R[],
        arrays: async <R extends unknown[]>(text: string, params: unknown[] = []) =>
          (await client.query<R>({ text, values: params, rowMode: 'array' })).rows,
        copyFrom: (table, columns, data) => pgCopyFrom(client, table, columns, data),
        copyTo: (query, format) => pgCopyTo(client, query, format),
      });
      await client.query('COMMIT');
      return out;
    } catch (e) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw e;
    } finally {
      client.release();
    }
  }

  private closed = false;

  /** Idempotent: the app's shutdown hook and a test's teardown may both call it. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.prisma.$disconnect();
    if (this.pool) await this.pool.end();
    if (this.pglite) await this.pglite.close();
  }
}
