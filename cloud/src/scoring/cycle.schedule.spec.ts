import { nextDailyRun } from './cycle.schedule';

describe('nextDailyRun', () => {
  it('picks today at 02:00 CST when it is still ahead', () => {
    expect(nextDailyRun(new Date('2026-11-29T17:00:00Z'), '02:00').toISOString()).toBe('2026-11-29T18:00:00.000Z');
  });

  it('picks tomorrow when today’s run has passed', () => {
    expect(nextDailyRun(new Date('2026-11-29T18:00:00Z'), '02:00').toISOString()).toBe('2026-11-30T18:00:00.000Z');
  });

  it('works across the UTC date line of China time', () => {
    expect(nextDailyRun(new Date('2026-11-29T23:30:00Z'), '08:00').toISOString()).toBe('2026-11-30T00:00:00.000Z');
  });
});
