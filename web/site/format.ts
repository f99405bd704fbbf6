/** A China date (UTC+8) of an ISO instant, as 2026年12月7日. */
export function chinaDay(iso: string | null | undefined): string {
  if (!iso) return '—';
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return iso;
  const d = new Date(t + 8 * 3600_000);
  return `${d.getUTCFullYear()}年${d.getUTCMonth() + 1}月${d.getUTCDate()}日`;
}

/** A calendar date 'YYYY-MM-DD' as 2026年12月7日. */
export function calendarDay(day: string | null | undefined): string {
  if (!day) return '—';
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  return m ? `${m[1]}年${Number(m[2])}月${Number(m[3])}日` : day;
}

/** 12345678.00 → 1,234.57 万元. */
export function capital(amount: string): string {
  const n = Number(amount);
  if (!Number.isFinite(n)) return amount;
  return `${(n / 10_000).toLocaleString('zh-CN', { maximumFractionDigits: 2 })} 万元`;
}

export function excerpt(text: string, max = 80): string {
  const chars = Array.from(text.replace(/\s+/g, ' ').trim());
  return chars.length > max ? `${chars.slice(0, max).join('')}…` : chars.join('');
}
