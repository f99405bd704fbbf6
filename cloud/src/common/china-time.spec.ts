import { chinaDate, chinaDateTime, nextChinaTime } from './china-time';

describe('China Standard Time', () => {
  it('dates an instant after 16:00 UTC on the next China day', () => {
    const sut = chinaDate(new Date('2026-12-23T16:00:00Z'));
    expect(sut).toBe('2026-12-24');
  });

  it('writes the time of day in China time', () => {
    const sut = chinaDateTime(new Date('2026-10-12T17:30:00Z'));
    expect(sut).toBe('2026-10-13 01:30');
  });

  describe('nextChinaTime', () => {
    it('picks today at 02:00 CST when it is still ahead', () => {
      const sut = nextChinaTime(new Date('2026-11-29T17:00:00Z'), '02:00');
      expect(sut.toISOString()).toBe('2026-11-29T18:00:00.000Z');
    });

    it('picks tomorrow when today’s run has passed', () => {
      const sut = nextChinaTime(new Date('2026-11-29T18:00:00Z'), '02:00');
      expect(sut.toISOString()).toBe('2026-11-30T18:00:00.000Z');
    });

    it('works across the UTC date line of China time', () => {
      const sut = nextChinaTime(new Date('2026-11-29T23:30:00Z'), '08:00');
      expect(sut.toISOString()).toBe('2026-11-30T00:00:00.000Z');
    });
  });
});
