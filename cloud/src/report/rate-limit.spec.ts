import { ErrorCodes } from '@heihe/shared';
import { VerifyRateLimiter } from './rate-limit';

describe('VerifyRateLimiter', () => {
  it('allows the allowance per IP and minute, refuses the next with RATE_LIMITED, and starts afresh a minute later', () => {
    let now = 1_000_000;
    const sut = new VerifyRateLimiter(3, () => now);

    for (let i = 0; i < 3; i++) sut.take('203.0.113.7');
    expect(() => sut.take('203.0.113.7')).toThrow(expect.objectContaining({ code: ErrorCodes.RATE_LIMITED }));
    expect(() => sut.take('198.51.100.1')).not.toThrow();
    now += 60_000;
    expect(() => sut.take('203.0.113.7')).not.toThrow();
  });
});
