import { WorkingCalendar } from '../../common/calendar';
import { WORKING_MINUTES_PER_DAY, workingMinutesBetween } from '../../common/working-time';

// Office hours 07:30-11:30 and 13:00-17:00, local (UTC+7): 07:30 local is 00:30Z.
describe('working time between two instants', () => {
  const calendar = new WorkingCalendar([{ date: '2026-11-30', working: false, name: 'a holiday on Monday' }]);
  const local = (date: string, hhmm: string) => calendar.at(date, hhmm);

  it('counts office hours only: a day is 8 hours, the lunch break is not working time', () => {
    expect(WORKING_MINUTES_PER_DAY).toBe(480);
    expect(workingMinutesBetween(calendar, local('2026-11-26', '11:00'), local('2026-11-26', '13:30'))).toBe(60);
    expect(workingMinutesBetween(calendar, local('2026-11-26', '06:00'), local('2026-11-26', '20:00'))).toBe(480);
  });

  it('skips the weekend and the holidays of the calendar', () => {
    // Friday 16:00 to Tuesday 09:00, Monday a holiday: Friday's last hour and Tuesday's first 90 minutes.
    expect(workingMinutesBetween(calendar, local('2026-11-27', '16:00'), local('2026-12-01', '09:00'))).toBe(150);
    expect(workingMinutesBetween(new WorkingCalendar([]), local('2026-11-27', '16:00'), local('2026-12-01', '09:00'))).toBe(150 + 480);
  });

  it('is negative for a deadline already past, by the working time since', () => {
    expect(workingMinutesBetween(calendar, local('2026-12-01', '09:00'), local('2026-11-27', '16:00'))).toBe(-150);
    expect(workingMinutesBetween(calendar, local('2026-11-28', '10:00'), local('2026-11-28', '12:00'))).toBe(0);
  });
});
