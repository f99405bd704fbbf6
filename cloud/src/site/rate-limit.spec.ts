import { AppError, ErrorCodes } from '@heihe/shared';
import { IpRateLimiter, SITE_LIMITS } from './rate-limit';

function refusal(f: () => void): string | null {
  try {
    f();
    return null;
  } catch (e) {
    return e instanceof AppError ? e.code : String(e);
  }
}

describe('IpRateLimiter', () => {
  let now = 0;
  const sut = () => new IpRateLimiter(() => now);

  beforeEach(() => {
    now = 1_000_000;
  });

  it('allows a window’s allowance per IP and refuses the next request with RATE_LIMITED', () => {
    const limiter = sut();
    for (let i = 0; i < SITE_LIMITS.search.limit; i++) limiter.take('search', '10.0.0.1');

    expect(refusal(() => limiter.take('search', '10.0.0.1'))).toBe(ErrorCodes.RATE_LIMITED);
  });

  it('counts each IP and each bucket apart', () => {
    const limiter = sut();
    for (let i = 0; i < SITE_LIMITS.objection.limit; i++) limiter.take('objection', '10.0.0.1');

    expect(refusal(() => limiter.take('objection', '10.0.0.2'))).toBeNull();
    expect(refusal(() => limiter.take('read', '10.0.0.1'))).toBeNull();
    expect(refusal(() => limiter.take('objection', '10.0.0.1'))).toBe(ErrorCodes.RATE_LIMITED);
  });

  it('lets the IP in again once its window has passed', () => {
    const limiter = sut();
    for (let i = 0; i < SITE_LIMITS.objection.limit; i++) limiter.take('objection', '10.0.0.1');
    now += SITE_LIMITS.objection.windowMs;

    expect(refusal(() => limiter.take('objection', '10.0.0.1'))).toBeNull();
  });

  it('says in Chinese when to try again', () => {
    const limiter = sut();
    for (let i = 0; i < SITE_LIMITS.objection.limit; i++) limiter.take('objection', '10.0.0.1');

    expect(() => limiter.take('objection', '10.0.0.1')).toThrow('提交异议过于频繁，请 10 分钟后再试');
  });
});
