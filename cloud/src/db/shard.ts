import crypto from 'node:crypto';

/** How many buckets the entity-keyed data is cut into: the unit a shard owns (ADR 0020). */
export const BUCKETS = 4096;

/**
 * An entity's bucket: the last 12 bits of the MD5 of its USCC (0..4095). The SQL function
 * `uscc_bucket(text)` (migration `uscc_bucket`) computes the same; both must never change, since
 * a row's bucket decides where it lives.
 */
export function usccBucket(uscc: string): number {
  const hex = crypto.createHash('md5').update(uscc, 'utf8').digest('hex');
  return parseInt(hex.slice(-3), 16);
}

/**
 * The bucket of any other string, by the same hash (SQL: `uscc_bucket(text)` too): where a row about
 * no entity lives, such as an outbox message about none, by its message id (ADR 0027 step 3).
 */
export const stringBucket: (s: string) => number = usccBucket;

/**
 * The group of `groups` (1..BUCKETS) a bucket falls in: consecutive ranges of buckets, as a shard
 * owns them. Ingestion cuts a delivery's chunks per group, so a chunk commits on one shard.
 */
export function bucketGroup(bucket: number, groups: number): number {
  if (!Number.isInteger(groups) || groups < 1 || groups > BUCKETS)
    throw new RangeError(`bucket groups must be an integer in 1..${BUCKETS}, not ${groups}`);
  return Math.floor((bucket * groups) / BUCKETS);
}

/**
 * The bare predicate on a `bucket` column (`column`, e.g. `bucket` or `e.bucket`) for the buckets
 * lo..hi: equality for one bucket (what a hash-partitioned or Citus-distributed table routes on,
 * ADR 0025), a range for several. The bounds are written into the SQL text, so they are checked to
 * be integers in 0..BUCKETS-1 first. The cycle's chunk reads and ingestion's one-bucket statements
 * both name their buckets with it.
 */
export function bucketPredicate(column: string, lo: number, hi: number): string {
  for (const v of [lo, hi])
    if (!Number.isInteger(v) || v < 0 || v >= BUCKETS) throw new RangeError(`bad bucket range ${lo}..${hi}`);
  return lo === hi ? `${column} = ${lo}` : `${column} BETWEEN ${lo} AND ${hi}`;
}

/**
 * The unique key of the entity with this USCC, for `entity.findUnique`: the USCC with its bucket
 * (ADR 0027), so a lookup by USCC names its shard.
 */
export function usccKey(uscc: string): { uscc_bucket: { uscc: string; bucket: number } } {
  return { uscc_bucket: { uscc, bucket: usccBucket(uscc) } };
}
