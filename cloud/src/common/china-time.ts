/** The calendar date in China Standard Time (UTC+8, no DST) of an instant: the engine's asOf. */
export function chinaDate(at: Date): string {
  return new Date(at.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
}
