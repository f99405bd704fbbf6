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
