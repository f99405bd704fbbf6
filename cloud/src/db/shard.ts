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
