import { dateOfDay, dayOf, dayOrNull, isoOrNull } from './values';

describe('values between Prisma and the domain', () => {
  it('round-trips a calendar day through the Date Prisma uses, whatever the host time zone', () => {
    const sut = dayOf(dateOfDay('2027-01-05'));
    expect(sut).toBe('2027-01-05');
  });

  it('keeps null as null', () => {
    expect([dayOrNull(null), isoOrNull(null)]).toEqual([null, null]);
  });

  it('writes an instant as ISO 8601 in UTC', () => {
    const sut = isoOrNull(new Date(Date.UTC(2026, 11, 24, 2)));
    expect(sut).toBe('2026-12-24T02:00:00.000Z');
  });
});
