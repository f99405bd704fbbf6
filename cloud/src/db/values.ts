/**
 * Values between Prisma Client and the domain. The domain writes calendar dates as 'YYYY-MM-DD'
 * strings; Prisma hands a `@db.Date` column over as a Date at UTC midnight and takes one back.
 */
export function dayOf(d: Date): string {
  return d.toISOString().slice(0, 10);
}

export function dayOrNull(d: Date | null): string | null {
  return d === null ? null : dayOf(d);
}

/** A 'YYYY-MM-DD' day as the Date Prisma writes to a `@db.Date` column. */
export function dateOfDay(day: string): Date {
  return new Date(`${day}T00:00:00.000Z`);
}

export function isoOrNull(d: Date | null): string | null {
  return d === null ? null : d.toISOString();
}

/**
 * A record or version id (BIGINT, ADR 0023) as the domain and the API carry it: a JSON number,
 * exact below 2^53. Prisma hands the column over as a bigint, node-postgres as a string and PGlite
 * as a number; all three come through here. An id past 2^53 would lose digits as a number, so it
 * is refused rather than rounded.
 */
export function idOf(v: bigint | number | string): number {
  const n = Number(v);
  if (!Number.isSafeInteger(n)) throw new RangeError(`id ${String(v)} is not exact as a JSON number`);
  return n;
}

export function idOrNull(v: bigint | number | string | null): number | null {
  return v === null ? null : idOf(v);
}
