import { AsyncLocalStorage } from 'node:async_hooks';
import type {
  IsolationLevel,
  SqlDriverAdapter,
  SqlDriverAdapterFactory,
  SqlQuery,
  SqlResultSet,
  Transaction,
} from '@prisma/driver-adapter-utils';
import type { Sql } from './database';

/**
 * The one transaction abstraction. `Database.tx(fn)` opens a transaction through the Prisma driver
 * adapter and runs `fn` in an async context that holds it: every Prisma Client call and every raw
 * statement made in that context — through `sql`, or through the Database itself — runs on the
 * transaction's connection, so a decision written with the client and the re-score written with
 * COPY commit together or not at all. A nested `tx` is a savepoint.
 *
 * `open` turns false when the transaction ends, so work that a transaction merely started (a
 * promise it did not await) falls back to the pool instead of a released connection.
 */
export interface OpenTransaction {
  readonly tx: Transaction;
  readonly sql: Sql;
  open: boolean;
}

export const transactionContext = new AsyncLocalStorage<OpenTransaction>();

/** The transaction of the current async context, if one is open. */
export function currentTransaction(): OpenTransaction | undefined {
  const t = transactionContext.getStore();
  return t?.open ? t : undefined;
}

let savepoints = 0;

const statement = (sql: string): SqlQuery => ({ sql, args: [], argTypes: [] });

/** A savepoint inside `outer`, shaped as the adapter's Transaction so Prisma's own nested writes work inside ours. */
async function savepoint(outer: Transaction): Promise<Transaction> {
  const name = `heihe_sp_${++savepoints}`;
  await outer.executeRaw(statement(`SAVEPOINT ${name}`));
  return {
    provider: outer.provider,
    adapterName: outer.adapterName,
    // Phantom: Prisma sends no BEGIN/COMMIT of its own and calls commit()/rollback() instead.
    options: { usePhantomQuery: true },
    queryRaw: (q) => outer.queryRaw(q),
    executeRaw: (q) => outer.executeRaw(q),
    commit: async () => {
      await outer.executeRaw(statement(`RELEASE SAVEPOINT ${name}`));
    },
    rollback: async () => {
      await outer.executeRaw(statement(`ROLLBACK TO SAVEPOINT ${name}`));
    },
  };
}

/** Ends an adapter transaction: COMMIT or ROLLBACK is ours to send unless the adapter's transaction is phantom. */
export async function finish(tx: Transaction, how: 'commit' | 'rollback'): Promise<void> {
  if (how === 'commit') {
    if (!tx.options.usePhantomQuery)
      await tx.executeRaw(statement('COMMIT')).catch(async (e: unknown) => {
        await tx.rollback().catch(() => undefined);
        throw e;
      });
    await tx.commit();
    return;
  }
  try {
    if (!tx.options.usePhantomQuery) await tx.executeRaw(statement('ROLLBACK'));
  } finally {
    await tx.rollback();
  }
}

export { savepoint };

/** The adapter Prisma Client talks to: the real one, except inside an open transaction. */
class RoutingAdapter implements SqlDriverAdapter {
  readonly provider: SqlDriverAdapter['provider'];
  readonly adapterName: string;

  constructor(private readonly inner: SqlDriverAdapter) {
    this.provider = inner.provider;
    this.adapterName = inner.adapterName;
  }

  queryRaw(q: SqlQuery): Promise<SqlResultSet> {
    return (currentTransaction()?.tx ?? this.inner).queryRaw(q);
  }

  executeRaw(q: SqlQuery): Promise<number> {
    return (currentTransaction()?.tx ?? this.inner).executeRaw(q);
  }

  executeScript(script: string): Promise<void> {
    return this.inner.executeScript(script);
  }

  startTransaction(isolationLevel?: IsolationLevel): Promise<Transaction> {
    const outer = currentTransaction();
    return outer ? savepoint(outer.tx) : this.inner.startTransaction(isolationLevel);
  }

  getConnectionInfo() {
    return this.inner.getConnectionInfo?.() ?? { supportsRelationJoins: true };
  }

  dispose(): Promise<void> {
    return this.inner.dispose();
  }
}

/**
 * Wraps the backend's adapter factory (PrismaPg or PrismaPGlite) so the client follows the
 * transaction context, and keeps the real adapter for `Database.tx` to open transactions on.
 */
export class RoutingAdapterFactory implements SqlDriverAdapterFactory {
  readonly provider: SqlDriverAdapterFactory['provider'];
  readonly adapterName: string;
  private adapter: Promise<SqlDriverAdapter> | null = null;

  constructor(private readonly inner: SqlDriverAdapterFactory) {
    this.provider = inner.provider;
    this.adapterName = inner.adapterName;
  }

  /** The backend's own adapter, connected once: Prisma Client and `Database.tx` share it. */
  connected(): Promise<SqlDriverAdapter> {
    this.adapter ??= this.inner.connect();
    return this.adapter;
  }

  async connect(): Promise<SqlDriverAdapter> {
    return new RoutingAdapter(await this.connected());
  }
}
