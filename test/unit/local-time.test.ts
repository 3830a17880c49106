import { formatLocalTime } from '../../common/local-time';

describe('a time as people read it', () => {
  it("is day first in the city's time, the zone named", () => {
    expect(formatLocalTime('2026-12-07T10:00:00Z')).toBe('07/12/2026 17:00 (GMT+7)');
  });

  it('turns the date over at local midnight, not UTC midnight', () => {
    expect(formatLocalTime(new Date('2026-12-31T17:30:00Z'))).toBe('01/01/2027 00:30 (GMT+7)');
  });
});
