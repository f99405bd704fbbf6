import fs from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import { Pool, Query, types, type Connection, type PoolClient } from 'pg';
import { from as copyFromStdin } from 'pg-copy-streams';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { PrismaClient } from '../generated/prisma/client';
import { currentTransaction, finish, RoutingAdapterFactory, savepoint, transactionContext } from './transaction';

// Dates are calendar dates in this domain; never let pg turn them into local-midnight Date objects.
types.setTypeParser(1082, (v) => v);

/**
 * A database handle: the Prisma Client for CRUD, and raw SQL for the measured hot paths (COPY,
 * set-wise statements, SKIP LOCKED). Inside `Database.tx` both run in the transaction.
 */
export interface Sql {
  readonly prisma: PrismaClient;
  query<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
  /** Rows as arrays, in column order: no object per row, for the hot read of the cycle. */
  arrays<T extends unknown[] = unknown[]>(text: string, params?: unknown[]): Promise<T[]>;
  /**
   * Bulk-loads rows in PostgreSQL's COPY text format (tab-separated, `\N` for null, one row per
   * line; see `copyText`), or in its binary format (see `binary-copy.ts`), into `table`: the
   * set-wise write path, without the per-value encoding and parsing of array parameters.
   */
  copyFrom(table: string, columns: readonly string[], data: string | Buffer, format?: CopyFormat): Promise<void>;
  /**
   * The whole output of `COPY (query) TO STDOUT` in `format` ('binary': PostgreSQL's binary copy
   * format; 'text': tab-separated lines): the set-wise read path, kept off the JS heap and free of
   * per-row protocol messages and objects. COPY takes no parameters: `query` must carry its values
   * as literals.
   */
  copyTo(query: string, format?: CopyFormat): Promise<Buffer>;
}

export { copyText } from './copy-text';

export type CopyFormat = 'text' | 'binary';

const copySql = (table: string, columns: readonly string[], format: CopyFormat, source = 'STDIN') =>
  `COPY ${table} (${columns.join(', ')}) FROM ${source} (FORMAT ${format})`;

async function pgCopyFrom(
  client: PoolClient,
  table: string,
  columns: readonly string[],
  data: string | Buffer,
  format: CopyFormat = 'text',
) {
  if (!data.length) return;
  await new Promise<void>((resolve, reject) => {
    const stream = client.query(copyFromStdin(copySql(table, columns, format)));
    stream.on('finish', resolve);
    stream.on('error', reject);
    stream.end(data);
  });
}

const copyToSql = (query: string, format: CopyFormat, target = 'STDOUT') =>
  `COPY (${query}) TO ${target} (FORMAT ${format})`;

const COPY_DATA = 0x64; // 'd'
const COPY_OUT_RESPONSE = 0x48; // 'H'
const COPY_DONE = 0x63; // 'c'

type DataListener = (chunk: Buffer) => void;

/**
 * The size of the last COPY out (messages with their headers). The next one starts with a buffer a
 * little larger, so a cycle's chunk (~7 MB) is received into one allocation instead of a dozen
 * doublings: each large Buffer is external memory V8 is told about, and on the cycle's main thread
 * that churn was what triggered most of its garbage collections.
 */
let lastCopyOutBytes = 1 << 16;
const MAX_FIRST_COPY_OUT_BYTES = 64 << 20;

/**
 * `COPY … TO STDOUT` into one growing Buffer. The server sends one CopyData message per row; pg's
 * protocol parser makes an object and a Buffer view of each and emits it through two event
 * emitters, and copying each row out on its own costs as much again — for the cycle's millions of
 * rows, most of the main thread's time. So while the query runs, this query reads the socket
 * itself: it takes the connection's `data` listener (pg's parser) off the socket, keeps the
 * CopyData messages as they arrive, headers and all, with one copy per run of messages in a
 * socket read, skips CopyOutResponse and CopyDone, and at the first other message
 * (CommandComplete, an error, a notice) puts the parser back and hands it the rest, so pg sees the
 * query end as usual (any CopyData after that comes through `handleCopyData`, pg's own path). At
 * the end one pass strips the 5-byte message headers. The takeover happens at `submit`, when the
 * connection is idle: the parser holds no partial message, since the server sends nothing unasked
 * between ReadyForQuery and the next query on a connection that does not LISTEN. This relies on pg
 * internals (`Query#submit`, `connection.stream`, one `data` listener): pg is pinned exactly, and
 * database.spec.ts checks COPY out on the real server, notices and errors in the middle included.
 */
class CopyOutQuery extends Query {
  /** CopyData messages, each with its header: type byte and int32 length (which counts itself). */
  private out = Buffer.allocUnsafe(Math.min(MAX_FIRST_COPY_OUT_BYTES, Math.ceil(lastCopyOutBytes * 1.125)));
  private length = 0;
  /** Bytes of the current message still to come, and whether it is kept (CopyData). */
  private remaining = 0;
  private keeping = false;
  /** A message header split across socket reads. */
  private header = Buffer.alloc(0);

  override submit = (connection: Connection): void => {
    const stream = (connection as unknown as { stream: NodeJS.EventEmitter }).stream;
    const listeners = stream.listeners('data') as DataListener[];
    let restore = () => {};
    if (listeners.length === 1) {
      const parser = listeners[0]!;
      const own: DataListener = (chunk) => {
        const rest = this.take(chunk);
        if (rest === null) return;
        restore();
        if (rest.length) parser(rest);
      };
      restore = () => {
        stream.removeListener('data', own);
        stream.on('data', parser);
      };
      stream.removeListener('data', parser);
      stream.on('data', own);
    }
    // pg's client treats a returned Error as "not sent": then nothing will come for this query.
    const error = (Query.prototype as unknown as { submit: (c: Connection) => unknown }).submit.call(this, connection);
    if (error) restore();
    return error as void;
  };

  /** Takes the copy messages at the start of `chunk`; returns what follows them, or null for none. */
  private take(chunk: Buffer): Buffer | null {
    let p = 0;
    /** Where the run of kept bytes in this chunk began, or -1. */
    let run = -1;
    while (p < chunk.length) {
      if (this.remaining > 0) {
        const n = Math.min(this.remaining, chunk.length - p);
        if (this.keeping && run < 0) run = p;
        this.remaining -= n;
        p += n;
        continue;
      }
      let head: Buffer;
      const split = this.header.length;
      if (split > 0 || chunk.length - p < 5) {
        if (run >= 0) this.append(chunk, run, p);
        run = -1;
        const need = 5 - split;
        this.header = Buffer.concat([this.header, chunk.subarray(p, p + need)]);
        if (this.header.length < 5) return null;
        head = this.header;
        this.header = Buffer.alloc(0);
        p += need;
      } else {
        head = chunk;
        p += 5;
      }
      const at = head === chunk ? p - 5 : 0;
      const type = head[at]!;
      this.remaining = head.readInt32BE(at + 1) - 4;
      this.keeping = type === COPY_DATA;
      if (this.keeping) {
        if (head !== chunk) this.append(head, 0, 5);
        else if (run < 0) run = p - 5;
      } else {
        if (run >= 0) this.append(chunk, run, p - 5);
        run = -1;
        // Anything but the copy's own messages ends it: the parser gets it from its first byte.
        if (type !== COPY_OUT_RESPONSE && type !== COPY_DONE)
          return head === chunk ? chunk.subarray(p - 5) : Buffer.concat([head, chunk.subarray(p)]);
      }
    }
    if (run >= 0) this.append(chunk, run, p);
    return null;
  }

  private append(from: Buffer, start: number, end: number): void {
    const n = end - start;
    if (this.length + n > this.out.length) {
      const grown = Buffer.allocUnsafe(Math.max(this.out.length * 2, this.length + n));
      this.out.copy(grown, 0, 0, this.length);
      this.out = grown;
    }
    from.copy(this.out, this.length, start, end);
    this.length += n;
  }

  /** Called by pg's client for a CopyData message that came through its parser. */
  handleCopyData(msg: { chunk: Buffer }): void {
    const head = Buffer.allocUnsafe(5);
    head[0] = COPY_DATA;
    head.writeInt32BE(msg.chunk.length + 4, 1);
    this.append(head, 0, 5);
    this.append(msg.chunk, 0, msg.chunk.length);
  }

  /** The rows: the messages' payloads, moved together over their headers in place. */
  data(): Buffer {
    lastCopyOutBytes = Math.max(1 << 16, this.length);
    const b = this.out;
    let r = 0;
    let w = 0;
    while (r < this.length) {
      const n = ((b[r + 1]! << 24) | (b[r + 2]! << 16) | (b[r + 3]! << 8) | b[r + 4]!) - 4;
      r += 5;
      if (n > 64) b.copyWithin(w, r, r + n);
      else for (let i = 0; i < n; i++) b[w + i] = b[r + i]!;
      w += n;
      r += n;
    }
    return b.subarray(0, w);
  }
}

async function pgCopyTo(client: PoolClient, query: string, format: CopyFormat = 'text'): Promise<Buffer> {
  let q: CopyOutQuery;
  await new Promise<void>((resolve, reject) => {
    q = new CopyOutQuery(copyToSql(query, format), undefined, (e) => (e ? reject(e) : resolve()));
    void client.query(q);
  });
  return q!.data();
}

/** PGlite has no COPY stream on its protocol; it writes the output to a blob instead. */
async function pgliteCopyTo(t: Pick<PGlite, 'query'>, query: string, format: CopyFormat = 'text'): Promise<Buffer> {
  const r = await t.query(copyToSql(query, format, "'/dev/blob'"));
  return r.blob ? Buffer.from(await r.blob.arrayBuffer()) : Buffer.alloc(0);
}

type PgliteTx = Parameters<Parameters<PGlite['transaction']>[0]>[0];

function pgliteTxSql(prisma: PrismaClient, t: PgliteTx): Sql {
  return {
    prisma,
    query: async <R>(text: string, params: unknown[] = []) => (await t.query<R>(text, params)).rows,
    arrays: async <R extends unknown[]>(text: string, params: unknown[] = []) =>
      (await t.query<R>(text, params, { rowMode: 'array' })).rows,
    copyFrom: async (table, columns, data, format = 'text') => {
      if (data.length)
        await t.query(copySql(table, columns, format, "'/dev/blob'"), [], {
          // A Buffer is a valid blob part; only the DOM typing (test/) insists on a plain ArrayBuffer.
          blob: new Blob([data as string | Uint8Array<ArrayBuffer>]),
        });
    },
    copyTo: (query, format) => pgliteCopyTo(t, query, format),
  };
}

function pgTxSql(prisma: PrismaClient, client: PoolClient): Sql {
  return {
    prisma,
    query: async <R>(text: string, params: unknown[] = []) => (await client.query(text, params)).rows as R[],
    arrays: async <R extends unknown[]>(text: string, params: unknown[] = []) =>
      (await client.query<R>({ text, values: params, rowMode: 'array' })).rows,
    copyFrom: (table, columns, data, format) => pgCopyFrom(client, table, columns, data, format),
    copyTo: (query, format) => pgCopyTo(client, query, format),
  };
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
    private readonly adapters: RoutingAdapterFactory,
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
      const adapters = new RoutingAdapterFactory(new PrismaPg(pool));
      return new Database('postgres', new PrismaClient({ adapter: adapters }), adapters, pool, null);
    }
    if (target.dataDir) fs.mkdirSync(target.dataDir, { recursive: true });
    const pg = await PGlite.create(target.dataDir);
    const adapters = new RoutingAdapterFactory(new PrismaPGlite(pg));
    return new Database('pglite', new PrismaClient({ adapter: adapters }), adapters, null, pg);
  }

  async query<T = Record<string, unknown>>(text: string, params: unknown[] = []): Promise<T[]> {
    const open = currentTransaction();
    if (open) return open.sql.query<T>(text, params);
    if (this.pool) return (await this.pool.query(text, params)).rows as T[];
    return (await this.pglite!.query<T>(text, params)).rows;
  }

  async arrays<T extends unknown[] = unknown[]>(text: string, params: unknown[] = []): Promise<T[]> {
    const open = currentTransaction();
    if (open) return open.sql.arrays<T>(text, params);
    if (this.pool) return (await this.pool.query<T>({ text, values: params, rowMode: 'array' })).rows;
    return (await this.pglite!.query<T>(text, params, { rowMode: 'array' })).rows;
  }

  async copyFrom(table: string, columns: readonly string[], data: string | Buffer, format?: CopyFormat): Promise<void> {
    await this.tx((sql) => sql.copyFrom(table, columns, data, format));
  }

  async copyTo(query: string, format: CopyFormat = 'text'): Promise<Buffer> {
    const open = currentTransaction();
    if (open) return open.sql.copyTo(query, format);
    if (this.pglite) return pgliteCopyTo(this.pglite, query, format);
    const client = await this.pool!.connect();
    try {
      return await pgCopyTo(client, query, format);
    } finally {
      client.release();
    }
  }

  /**
   * Run `fn` in one transaction: all of it commits, or none of it. Prisma Client calls and raw SQL
   * made anywhere inside `fn` join it (see transaction.ts); a `tx` inside another is a savepoint.
   */
  async tx<T>(fn: (sql: Sql) => Promise<T>): Promise<T> {
    const outer = currentTransaction();
    if (outer) {
      const sp = await savepoint(outer.tx);
      try {
        const out = await fn(outer.sql);
        await sp.commit();
        return out;
      } catch (e) {
        await sp.rollback().catch(() => undefined);
        throw e;
      }
    }
    const tx = await (await this.adapters.connected()).startTransaction();
    // The adapters' transactions keep their connection as `client` (PrismaPg: a pg PoolClient;
    // PGlite: its transaction handle); raw SQL and COPY use it. Both packages are pinned exactly.
    const client = (tx as unknown as { client: PoolClient & PgliteTx }).client;
    const sql = this.pglite ? pgliteTxSql(this.prisma, client) : pgTxSql(this.prisma, client);
    const open = { tx, sql, open: true };
    let out: T;
    try {
      out = await transactionContext.run(open, () => fn(sql));
    } catch (e) {
      open.open = false;
      await finish(tx, 'rollback').catch(() => undefined);
      throw e;
    }
    open.open = false;
    await finish(tx, 'commit');
    return out;
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
