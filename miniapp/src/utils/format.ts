const CST_OFFSET_MS = 8 * 60 * 60 * 1000;

/** The calendar date in China Standard Time (YYYY-MM-DD), whatever the phone's time zone. */
export function formatDateCst(iso: string): string {
  const time = Date.parse(iso);
  if (Number.isNaN(time)) return iso;
  return new Date(time + CST_OFFSET_MS).toISOString().slice(0, 10);
}

/** Signed points for an effect: '+15', '−40', '0'. */
export function formatSignedPoints(points: number): string {
  if (points > 0) return `+${points}`;
  if (points < 0) return `−${Math.abs(points)}`;
  return '0';
}

/** A bar's fill, clamped to 0–100 %. */
export function percentOf(points: number, max: number): number {
  if (max <= 0) return 0;
  return Math.min(100, Math.max(0, Math.round((points / max) * 100)));
}

/** Date and minute in China Standard Time: '2026-10-09 10:30'. */
export function formatDateTimeCst(iso: string): string {
  const time = Date.parse(iso);
  if (Number.isNaN(time)) return iso;
  return new Date(time + CST_OFFSET_MS).toISOString().slice(0, 16).replace('T', ' ');
}

/** 1 234 567 bytes → '1.2 MB'. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
