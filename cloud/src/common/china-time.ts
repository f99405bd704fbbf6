/** China Standard Time: UTC+8 all year (no DST). The one place this offset is written. */
const CST_OFFSET_MS = 8 * 3600_000;

/** The calendar date in China Standard Time of an instant ('YYYY-MM-DD'): the engine's asOf. */
export function chinaDate(at: Date): string {
  return new Date(at.getTime() + CST_OFFSET_MS).toISOString().slice(0, 10);
}

/** 'YYYY-MM-DD HH:mm' in China Standard Time. */
export function chinaDateTime(at: Date): string {
  return new Date(at.getTime() + CST_OFFSET_MS).toISOString().slice(0, 16).replace('T', ' ');
}

/** The next instant at `hh:mm` China Standard Time strictly after `now`. */
export function nextChinaTime(now: Date, hhmm: string): Date {
  const [h, m] = hhmm.split(':').map(Number) as [number, number];
  const cst = new Date(now.getTime() + CST_OFFSET_MS);
  const next = Date.UTC(cst.getUTCFullYear(), cst.getUTCMonth(), cst.getUTCDate(), h, m) - CST_OFFSET_MS;
  return new Date(next > now.getTime() ? next : next + 86_400_000);
}
