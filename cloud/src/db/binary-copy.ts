/**
 * PostgreSQL's binary COPY format, the parts both directions share: the cycle reads facts in it
 * (records/fact-copy.ts) and writes evaluations in it (scoring/evaluation.encoding.ts).
 */

/** The 11-byte signature that opens a binary COPY. */
export const BINARY_COPY_SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');

/** The whole header as a writer sends it: the signature, flags (none) and header-extension length (0). */
export const BINARY_COPY_HEADER = Buffer.concat([BINARY_COPY_SIGNATURE, Buffer.alloc(8)]);

/** PostgreSQL's epoch for dates and timestamps, 2000-01-01, in milliseconds and days since 1970-01-01. */
export const PG_EPOCH_MS = 946_684_800_000;
export const PG_EPOCH_DAYS = 10_957;
