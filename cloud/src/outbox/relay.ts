import type { Database, Sql } from '../db/database';
import { BUCKETS, bucketPredicate } from '../db/shard';

/** One claimed outbox row. */
export interface ClaimedMessage {
  id: string;
  messageId: string;
  destination: string;
  topic: string;
  entityId: number | null;
  /** The row's bucket (ADR 0027 step 3): with `id`, its key. */
  bucket: number;
  payload: Record<string, unknown>;
  /** 1 on the first attempt. */
  attempt: number;
}

/**
 * What a delivery came to: delivered (or nothing left to do: `note` says why), or a failure to try
 * again later — unless `final`: trying again cannot help (the target is refused), so the message
 * is parked at once for an operator. Throwing counts as a failure to retry.
 */
export type DeliveryOutcome = { done: true; note?: string } | { done: false; error: string; final?: boolean };

/** Delivers one kind of destination ('webhook', 'wechat'); `internal` rows go to topic handlers. */
export type Deliverer = (m: ClaimedMessage) => Promise<DeliveryOutcome>;

/**
 * Handles an internal domain event inside a transaction that also marks the row delivered, so its
 * effects (usually more outbox rows) happen exactly once.
 */
export type InternalHandler = (sql: Sql, m: ClaimedMessage) => Promise<void>;

export interface RelayOptions {
  batchSize: number;
  leaseMs: number;
  backoffBaseMs: number;
  backoffMaxMs: number;
  maxAttempts: number;
  /**
   * The buckets this relay serves, from..to (ADR 0027 step 3): its node's, as `CYCLE_NODES` names
   * them; every bucket when unset.
   */
  buckets?: { from: number; to: number };
}

/**
 * Exponential backoff with jitter: base × 2^(attempt−1), capped, then scaled into [½, 1] so that
 * retries of many messages do not arrive in lockstep.
 */
export function backoffMs(attempt: number, base: number, max: number, random: () => number = Math.random): number {
  const exp = Math.min(max, base * 2 ** Math.min(attempt - 1, 40));
  return Math.round(exp * (0.5 + random() / 2));
}

/**
 * The claim of a relay over the buckets from..to (default every bucket): due rows of those buckets
 * only, pushed one lease ahead. The buckets are named (`bucketPredicate`) on both the locking read
 * and the update, so over a partitioned or distributed outbox a relay of one bucket touches one
 * partition (shard), and relays of disjoint buckets never claim each other's rows (ADR 0027 step 3).
 * $1 batch size, $2 lease in ms, $3 max attempts.
 */
export function claimQuery(buckets: { from: number; to: number } = { from: 0, to: BUCKETS - 1 }): string {
  const theirs = bucketPredicate('bucket', buckets.from, buckets.to);
  return `UPDATE outbox SET attempts = attempts + 1, available_at = now() + $2::int * interval '1 millisecond'
    WHERE ${theirs} AND (id, bucket) IN (
      SELECT id, bucket FROM outbox
      WHERE ${theirs} AND delivered_at IS NULL AND available_at <= now() AND attempts < $3
      ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED)
    RETURNING id::text, bucket, message_id, destination, topic, entity_id, payload, attempts`;
}

export interface RelayRun {
  claimed: number;
  delivered: number;
  retried: number;
}

/**
 * The outbox relay: at-least-once delivery of committed messages.
 *
 * A pass claims a batch by pushing its rows' `available_at` one lease ahead (FOR UPDATE SKIP LOCKED,
 * so several relays share the work), delivers each, and then marks it delivered or schedules the
 * next attempt with backoff. A relay that dies after delivering but before marking leaves the row
 * claimed; when the lease lapses, another pass delivers it again — with the same message ID, which
 * is what receivers de-duplicate on. Nothing committed is lost; nothing is marked delivered
 * before it was. After `maxAttempts` a message stays parked (attempts = max) for an operator.
 * A relay serves a range of buckets (`RelayOptions.buckets`): a node's relay the node's, as a cycle
 * worker takes its node's chunks (ADR 0027 step 3).
 */
export class OutboxRelay {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> = Promise.resolve();
  private stopped = false;
  private readonly claimSql: string;

  constructor(
    private readonly db: Database,
    private readonly deliverers: Record<string, Deliverer>,
    private readonly handlers: Record<string, InternalHandler>,
    private readonly opts: RelayOptions,
    private readonly log: (line: string) => void = () => undefined,
    /**
     * When a delivery ended, and from when its backoff counts: the process's clock, as the claim's
     * lease is the database's; a skew between them only shifts a retry by that much.
     */
    private readonly now: () => Date = () => new Date(),
  ) {
    this.claimSql = claimQuery(opts.buckets);
  }

  async claim(): Promise<ClaimedMessage[]> {
    // Raw SQL: FOR UPDATE SKIP LOCKED, so relays in several processes claim disjoint batches.
    const rows = await this.db.query<{
      id: string;
      bucket: number;
      message_id: string;
      destination: string;
      topic: string;
      entity_id: number | null;
      payload: unknown;
      attempts: number;
    }>(this.claimSql, [this.opts.batchSize, this.opts.leaseMs, this.opts.maxAttempts]);
    return rows
      .map((r) => ({
        id: r.id,
        bucket: r.bucket,
        messageId: r.message_id,
        destination: r.destination,
        topic: r.topic,
        entityId: r.entity_id,
        payload: (typeof r.payload === 'string' ? JSON.parse(r.payload) : r.payload) as Record<string, unknown>,
        attempt: r.attempts,
      }))
      .sort((a, b) => Number(a.id) - Number(b.id));
  }

  /** One pass: claim a batch and deliver it. */
  async runOnce(): Promise<RelayRun> {
    const batch = await this.claim();
    const run: RelayRun = { claimed: batch.length, delivered: 0, retried: 0 };
    for (const m of batch) {
      if (await this.deliver(m)) run.delivered++;
      else run.retried++;
    }
    return run;
  }

  /** Passes until nothing is due: for tests, tools and shutdown. */
  async drain(maxPasses = 100): Promise<RelayRun> {
    const total: RelayRun = { claimed: 0, delivered: 0, retried: 0 };
    for (let i = 0; i < maxPasses; i++) {
      const r = await this.runOnce();
      total.claimed += r.claimed;
      total.delivered += r.delivered;
      total.retried += r.retried;
      if (!r.claimed) break;
    }
    return total;
  }

  private async deliver(m: ClaimedMessage): Promise<boolean> {
    const kind = m.destination.split(':', 1)[0]!;
    let outcome: DeliveryOutcome;
    try {
      if (kind === 'internal') {
        const handler = this.handlers[m.topic];
        await this.db.tx(async (sql) => {
          if (handler) await handler(sql, m);
          await sql.prisma.outbox.updateMany({
            where: { id: BigInt(m.id), bucket: m.bucket },
            data: { deliveredAt: this.now(), lastError: null },
          });
        });
        return true;
      }
      const deliverer = this.deliverers[kind];
      outcome = deliverer ? await deliverer(m) : { done: false, error: `no deliverer for ${kind}` };
    } catch (e) {
      outcome = { done: false, error: e instanceof Error ? e.message : String(e) };
    }
    const outbox = this.db.prisma.outbox;
    // Every write of a claimed row names its whole key, so it is routed like the claim.
    const key = { id: BigInt(m.id), bucket: m.bucket };
    if (outcome.done) {
      await outbox.updateMany({ where: key, data: { deliveredAt: this.now(), lastError: outcome.note ?? null } });
      return true;
    }
    const lastError = outcome.error.slice(0, 1000);
    if (outcome.final) {
      // Parked like a message out of attempts: outboxStatus lists it, retryOutboxMessage requeues it.
      // A claimed row has at most maxAttempts attempts (the claim takes only rows below it).
      await outbox.updateMany({
        where: { ...key, deliveredAt: null },
        data: { attempts: this.opts.maxAttempts, lastError },
      });
      this.log(`outbox ${m.id} ${m.destination} ${m.topic}: attempt ${m.attempt} refused (${outcome.error}); parked`);
      return false;
    }
    const delay = backoffMs(m.attempt, this.opts.backoffBaseMs, this.opts.backoffMaxMs);
    await outbox.updateMany({
      where: { ...key, deliveredAt: null },
      data: { availableAt: new Date(this.now().getTime() + delay), lastError },
    });
    this.log(
      `outbox ${m.id} ${m.destination} ${m.topic}: attempt ${m.attempt} failed (${outcome.error}); next in ${delay} ms`,
    );
    return false;
  }

  /** Polls every `pollMs` until stopped; one pass at a time. */
  start(pollMs: number): void {
    this.stopped = false;
    const tick = () => {
      this.running = this.drain(10)
        .catch((e: unknown) => this.log(`outbox relay pass failed: ${e instanceof Error ? e.message : String(e)}`))
        .finally(() => {
          if (!this.stopped) this.timer = setTimeout(tick, pollMs);
        });
    };
    this.timer = setTimeout(tick, 0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }
}
