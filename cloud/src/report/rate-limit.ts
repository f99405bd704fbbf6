import { AppError, ErrorCodes } from '@heihe/shared';

/**
 * Report verifications per client IP, in fixed one-minute windows, in memory (one process; a
 * deployment with several API processes behind a balancer multiplies the allowance by their
 * number). Guessing a code is hopeless anyway (100 bits); the limit keeps the lookups and the
 * hashing of uploads cheap for everyone else.
 */
export class VerifyRateLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>();
  private lastSweep = 0;

  constructor(
    private readonly perMinute: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Counts one verification, or throws RATE_LIMITED (HTTP 429) when the minute's allowance is spent. */
  take(ip: string): void {
    const t = this.now();
    if (t - this.lastSweep >= 60_000) {
      this.lastSweep = t;
      for (const [k, w] of this.windows) if (t - w.start >= 60_000) this.windows.delete(k);
    }
    const w = this.windows.get(ip);
    if (!w || t - w.start >= 60_000) {
      this.windows.set(ip, { start: t, count: 1 });
      return;
    }
    if (w.count >= this.perMinute) throw new AppError(ErrorCodes.RATE_LIMITED, '核验过于频繁，请 1 分钟后再试');
    w.count++;
  }
}
