import { backoffMs } from './relay';

describe('backoffMs', () => {
  it('doubles from the base on each attempt at full jitter', () => {
    const sut = [1, 2, 3, 4].map((n) => backoffMs(n, 1000, 60_000, () => 1));
    expect(sut).toEqual([1000, 2000, 4000, 8000]);
  });

  it('halves at the low end of the jitter', () => {
    const sut = backoffMs(3, 1000, 60_000, () => 0);
    expect(sut).toBe(2000);
  });

  it('stops growing at the cap', () => {
    const sut = backoffMs(30, 1000, 60_000, () => 1);
    expect(sut).toBe(60_000);
  });

  it('does not overflow on absurd attempt counts', () => {
    const sut = backoffMs(10_000, 1000, 3_600_000, () => 1);
    expect(sut).toBe(3_600_000);
  });
});
