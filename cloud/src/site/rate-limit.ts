import { AppError, ErrorCodes } from '@heihe/shared';

export interface RateRule {
  /** Requests allowed per window and key. */
  limit: number;
  windowMs: number;
  /** The refusal, in words a person can act on. */
  message: string;
}

/** The public site's limits per client IP (one process: see docs/adr/0016-public-site.md). */
export const SITE_LIMITS = {
  search: { limit: 30, windowMs: 60_000, message: '查询过于频繁，请 1 分钟后再试' },
  read: { limit: 120, windowMs: 60_000, message: '访问过于频繁，请 1 分钟后再试' },
  objection: { limit: 5, windowMs: 600_000, message: '提交异议过于频繁，请 10 分钟后再试' },
} as const satisfies Record<string, RateRule>;
export type SiteBucket = keyof typeof SITE_LIMITS;

/**
 * Fixed windows per (bucket, IP), in memory. A public caller has nothing else to be counted by; a
 * scraper rotating addresses gets the same masked, paged data a person does, only more slowly.
 * The map is swept as windows end, so it holds at most the addresses of the current windows.
 */
export class IpRateLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>();
  private lastSweep = 0;

  constructor(private readonly now: () => number = Date.now) {}

  /** Counts one request, or throws RATE_LIMITED (429) when the window's allowance is spent. */
  take(bucket: SiteBucket, ip: string): void {
    const rule = SITE_LIMITS[bucket];
    const t = this.now();
    this.sweep(t);
    const key = `${bucket}\u0000${ip}`;
    const w = this.windows.get(key);
    if (!w || t - w.start >= rule.windowMs) {
      this.windows.set(key, { start: t, count: 1 });
      return;
    }
    if (w.count >= rule.limit) throw new AppError(ErrorCodes.RATE_LIMITED, rule.message);
    w.count++;
  }

  private sweep(t: number): void {
    if (t - this.lastSweep < 60_000) return;
    this.lastSweep = t;
    const longest = Math.max(...Object.values(SITE_LIMITS).map((r) => r.windowMs));
    for (const [k, w] of this.windows) if (t - w.start >= longest) this.windows.delete(k);
  }
}
