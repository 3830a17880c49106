import {
  CITY_UTC_OFFSET_MINUTES,
  DeadlinePolicyError,
  WorkingCalendar,
  parseDeadlinePolicy,
  parseHhMm,
  planDeadlines,
  type DeadlinePlan,
  type DeadlinePolicy,
} from '../../common/calendar';
import { VIETNAM_PUBLIC_HOLIDAYS_2025_2027 } from '../../common/holidays-vn';

// Instants are written and asserted in UTC: local 17:00 (UTC+7) is 10:00Z, so the offset is checked.
const at = (iso: string) => new Date(iso);
const iso = (plan: DeadlinePlan) => ({
  dueAt: plan.dueAt.toISOString(),
  remindAt: plan.remindAt.toISOString(),
  escalateAt: plan.escalateAt.toISOString(),
  secondEscalateAt: plan.secondEscalateAt.toISOString(),
});

const SAME_DAY: DeadlinePolicy = {
  mode: 'same-day-cutoff',
  workingDays: 0,
  cutoffTime: '15:00',
  endOfDayTime: '17:00',
  remindBeforeMinutes: 120,
  secondEscalationAfterWorkingDays: 2,
};
const WORKING_DAYS = (workingDays: number): DeadlinePolicy => ({ ...SAME_DAY, mode: 'working-days', workingDays, remindBeforeMinutes: 480 });

const vietnam = new WorkingCalendar(VIETNAM_PUBLIC_HOLIDAYS_2025_2027);
const weekdaysOnly = new WorkingCalendar([]);

describe('WorkingCalendar', () => {
  it('is on UTC+07:00', () => {
    expect(CITY_UTC_OFFSET_MINUTES).toBe(420);
    // 23:59Z on Thursday is already 06:59 on Friday in the city.
    expect(vietnam.localDateOf(at('2026-03-12T23:59:00Z'))).toBe('2026-03-13');
    expect(vietnam.localDateOf(at('2026-03-12T16:59:59Z'))).toBe('2026-03-12');
    expect(vietnam.localDateOf(at('2026-03-12T17:00:00Z'))).toBe('2026-03-13');
    expect(vietnam.at('2026-03-13', '17:00').toISOString()).toBe('2026-03-13T10:00:00.000Z');
    expect(vietnam.at('2026-03-13', '00:30').toISOString()).toBe('2026-03-12T17:30:00.000Z');
  });

  it('skips weekends', () => {
    expect(weekdaysOnly.isWorkingDay('2026-03-13')).toBe(true); // Friday
    expect(weekdaysOnly.isWorkingDay('2026-03-14')).toBe(false);
    expect(weekdaysOnly.isWorkingDay('2026-03-15')).toBe(false);
    expect(weekdaysOnly.nextWorkingDay('2026-03-13')).toBe('2026-03-16');
    expect(weekdaysOnly.addWorkingDays('2026-03-13', 1)).toBe('2026-03-16');
    expect(weekdaysOnly.addWorkingDays('2026-03-13', 0)).toBe('2026-03-13');
    expect(weekdaysOnly.addWorkingDays('2026-03-14', 0)).toBe('2026-03-16');
    expect(weekdaysOnly.addWorkingDays('2026-03-09', 4)).toBe('2026-03-13');
    expect(weekdaysOnly.addWorkingDays('2026-03-09', 10)).toBe('2026-03-23');
  });

  it('skips national holidays and works on make-up Saturdays', () => {
    expect(vietnam.isWorkingDay('2026-04-27')).toBe(false); // Hung Kings' day, observed
    expect(vietnam.nextWorkingDay('2026-04-29')).toBe('2026-05-04'); // over 30 Apr, 1 May and the weekend
    expect(vietnam.isWorkingDay('2026-08-22')).toBe(true); // Saturday worked for Monday 31 Aug
    expect(vietnam.addWorkingDays('2026-08-21', 1)).toBe('2026-08-22');
    expect(vietnam.ruleFor('2026-08-22')?.working).toBe(true);
  });

  it('lets a unit override the national calendar both ways', () => {
    const unit = new WorkingCalendar(VIETNAM_PUBLIC_HOLIDAYS_2025_2027, [
      { date: '2026-04-27', working: true, name: 'Trực giải quyết hồ sơ' },
      { date: '2026-03-16', working: false, name: 'Ngày nghỉ riêng của phường' },
    ]);
    expect([vietnam.isWorkingDay('2026-04-27'), unit.isWorkingDay('2026-04-27')]).toEqual([false, true]);
    expect([vietnam.isWorkingDay('2026-03-16'), unit.isWorkingDay('2026-03-16')]).toEqual([true, false]);

    const monday = at('2026-04-27T02:00:00Z'); // 09:00 local
    expect(planDeadlines(vietnam, SAME_DAY, monday).dueAt.toISOString()).toBe('2026-04-28T10:00:00.000Z');
    expect(planDeadlines(unit, SAME_DAY, monday).dueAt.toISOString()).toBe('2026-04-27T10:00:00.000Z');
    const friday = at('2026-03-13T09:00:00Z'); // 16:00 local, after the cut-off
    expect(planDeadlines(vietnam, SAME_DAY, friday).dueAt.toISOString()).toBe('2026-03-16T10:00:00.000Z');
    expect(planDeadlines(unit, SAME_DAY, friday).dueAt.toISOString()).toBe('2026-03-17T10:00:00.000Z');
  });

  it('rejects malformed dates and day counts', () => {
    expect(() => weekdaysOnly.isWorkingDay('2026-02-30')).toThrow(/valid local date/);
    expect(() => weekdaysOnly.isWorkingDay('2026-3-1')).toThrow(/valid local date/);
    expect(() => new WorkingCalendar([{ date: '26-01-01', working: false, name: 'x' }])).toThrow(/valid local date/);
    expect(() => weekdaysOnly.addWorkingDays('2026-03-13', -1)).toThrow(/whole number/);
    expect(() => weekdaysOnly.localDateOf(new Date(NaN))).toThrow(/valid instant/);
  });

  it('gives up instead of looping on a calendar without working days', () => {
    const closed = new WorkingCalendar(
      Array.from({ length: 400 }, (_, i) => ({ date: new Date(Date.UTC(2026, 0, 1 + i)).toISOString().slice(0, 10), working: false, name: 'x' })),
    );
    expect(() => closed.nextWorkingDay('2025-12-31')).toThrow(/No working day/);
  });
});

describe('planDeadlines', () => {
  it('same-day-cutoff: due today before the cut-off, the next working day at or after it', () => {
    const tuesday = (time: string) => planDeadlines(vietnam, SAME_DAY, at(`2026-03-10T${time}Z`)).dueAt.toISOString();
    expect(tuesday('02:00:00')).toBe('2026-03-10T10:00:00.000Z'); // 09:00 local
    expect(tuesday('07:59:59')).toBe('2026-03-10T10:00:00.000Z'); // 14:59:59
    expect(tuesday('08:00:00')).toBe('2026-03-11T10:00:00.000Z'); // 15:00 sharp
    expect(tuesday('16:30:00')).toBe('2026-03-11T10:00:00.000Z'); // 23:30
  });

  it('received on Friday after the cut-off: due Monday 17:00 local', () => {
    const plan = planDeadlines(vietnam, SAME_DAY, at('2026-03-13T09:00:00Z'));
    expect(iso(plan)).toEqual({
      dueAt: '2026-03-16T10:00:00.000Z',
      remindAt: '2026-03-16T08:00:00.000Z', // 2 h before
      escalateAt: '2026-03-16T10:00:00.000Z',
      secondEscalateAt: '2026-03-18T10:00:00.000Z', // 2 working days later
    });
  });

  it('received on Saturday counts from Monday', () => {
    const saturday = at('2026-03-14T03:00:00Z');
    expect(planDeadlines(vietnam, SAME_DAY, saturday).dueAt.toISOString()).toBe('2026-03-16T10:00:00.000Z');
    expect(planDeadlines(vietnam, WORKING_DAYS(3), saturday).dueAt.toISOString()).toBe('2026-03-19T10:00:00.000Z');
  });

  it('working-days: received Monday morning with 4 days, due Friday at the end of the day', () => {
    const plan = planDeadlines(vietnam, WORKING_DAYS(4), at('2026-03-09T01:30:00Z'));
    expect(iso(plan)).toEqual({
      dueAt: '2026-03-13T10:00:00.000Z',
      remindAt: '2026-03-13T02:00:00.000Z', // 8 h before: 09:00 local
      escalateAt: '2026-03-13T10:00:00.000Z',
      secondEscalateAt: '2026-03-17T10:00:00.000Z', // over the weekend
    });
  });

  it('counts across Tết 2027', () => {
    // Wednesday 3 Feb 2027, 10:00 local; 4-10 Feb are Tết: 11, 12, 15, 16 Feb.
    const plan = planDeadlines(vietnam, WORKING_DAYS(4), at('2027-02-03T03:00:00Z'));
    expect(plan.dueAt.toISOString()).toBe('2027-02-16T10:00:00.000Z');
    expect(plan.secondEscalateAt.toISOString()).toBe('2027-02-18T10:00:00.000Z');
  });

  it('counts a receipt during Tết 2026 from the first working day after it', () => {
    const plan = planDeadlines(vietnam, WORKING_DAYS(3), at('2026-02-17T03:00:00Z'));
    expect(plan.dueAt.toISOString()).toBe('2026-02-26T10:00:00.000Z'); // received Mon 23: 24, 25, 26
  });

  it('never reminds before the dossier arrived', () => {
    // 14:30 local, due 17:00 the same day; 4 h before would be 13:00.
    const plan = planDeadlines(vietnam, { ...SAME_DAY, remindBeforeMinutes: 240 }, at('2026-03-10T07:30:00Z'));
    expect(plan.remindAt.toISOString()).toBe('2026-03-10T07:30:00.000Z');
    expect(plan.dueAt.toISOString()).toBe('2026-03-10T10:00:00.000Z');
  });

  it('ignores workingDays in same-day-cutoff mode', () => {
    const plan = planDeadlines(vietnam, { ...SAME_DAY, workingDays: 5 }, at('2026-03-10T02:00:00Z'));
    expect(plan.dueAt.toISOString()).toBe('2026-03-10T10:00:00.000Z');
  });

  it('throws on bad HH:MM and other bad settings', () => {
    for (const bad of ['7:00', '24:00', '12:60', 'ab:cd', '12:00:00', '']) expect(() => parseHhMm(bad)).toThrow(/HH:MM/);
    expect(parseHhMm('09:05')).toEqual({ hours: 9, minutes: 5 });
    expect(() => vietnam.at('2026-03-10', '5pm')).toThrow(/HH:MM/);

    const received = at('2026-03-10T02:00:00Z');
    expect(() => planDeadlines(vietnam, { ...SAME_DAY, cutoffTime: '3pm' }, received)).toThrow(/cutoffTime.*HH:MM/);
    expect(() => planDeadlines(vietnam, { ...SAME_DAY, endOfDayTime: '17h' }, received)).toThrow(DeadlinePolicyError);
    expect(() => planDeadlines(vietnam, { ...SAME_DAY, cutoffTime: '18:00' }, received)).toThrow(/after endOfDayTime/);
    expect(() => planDeadlines(vietnam, { ...WORKING_DAYS(1.5) }, received)).toThrow(/workingDays/);
    expect(() => planDeadlines(vietnam, { ...SAME_DAY, remindBeforeMinutes: -1 }, received)).toThrow(/remindBeforeMinutes/);
    expect(() => parseDeadlinePolicy({ ...SAME_DAY, mode: 'lunar-days' })).toThrow(/mode/);
  });
});

describe('VIETNAM_PUBLIC_HOLIDAYS_2025_2027', () => {
  it('has one valid entry per date, in date order', () => {
    const dates = VIETNAM_PUBLIC_HOLIDAYS_2025_2027.map((r) => r.date);
    expect(new Set(dates).size).toBe(dates.length);
    expect([...dates].sort()).toEqual(dates);
    expect(() => new WorkingCalendar(VIETNAM_PUBLIC_HOLIDAYS_2025_2027)).not.toThrow();
  });

  it('marks every 2027 day as expected, the announced years as not', () => {
    for (const rule of VIETNAM_PUBLIC_HOLIDAYS_2025_2027) {
      expect({ date: rule.date, expected: rule.name.endsWith(' (expected)') }).toEqual({ date: rule.date, expected: rule.date >= '2027' });
    }
  });

  it('makes only Saturdays into working days', () => {
    const working = VIETNAM_PUBLIC_HOLIDAYS_2025_2027.filter((r) => r.working).map((r) => [r.date, new Date(`${r.date}T00:00:00Z`).getUTCDay()]);
    expect(working).toEqual([
      ['2025-04-26', 6],
      ['2026-01-10', 6],
      ['2026-08-22', 6],
    ]);
  });

  it('gives the statutory number of weekday holidays each year (11, plus swapped days)', () => {
    const weekdaysOff = (year: string) =>
      VIETNAM_PUBLIC_HOLIDAYS_2025_2027.filter((r) => r.date.startsWith(year) && !r.working && ![0, 6].includes(new Date(`${r.date}T00:00:00Z`).getUTCDay())).length;
    // Each swap adds a weekday off and a Saturday worked.
    expect([weekdaysOff('2025'), weekdaysOff('2026'), weekdaysOff('2027')]).toEqual([12, 13, 11]);
  });
});

describe('calendar-days deadlines (a time given to the applicant)', () => {
  const SIXTY_DAYS: DeadlinePolicy = { ...SAME_DAY, mode: 'calendar-days', workingDays: 60, remindBeforeMinutes: 7 * 24 * 60 };

  it('counts every day from the date received, weekends, holidays and the time of day alike', () => {
    // Asked on Friday 2026-12-18 at 16:30 local (after the cut-off): due 60 days later, Tuesday 2027-02-16, 17:00 local.
    const plan = planDeadlines(vietnam, SIXTY_DAYS, at('2026-12-18T09:30:00Z'));
    expect(iso(plan).dueAt).toBe('2027-02-16T10:00:00.000Z');
    expect(iso(plan).remindAt).toBe('2027-02-09T10:00:00.000Z');
    // Even when the due day is a public holiday (Tết 2027 ends on 10 Feb): 2026-12-12 + 60 = 2027-02-10.
    expect(planDeadlines(vietnam, SIXTY_DAYS, at('2026-12-12T02:00:00Z')).dueAt.toISOString()).toBe('2027-02-10T10:00:00.000Z');
  });

  it('is a mode a stored setting may name', () => {
    expect(parseDeadlinePolicy(SIXTY_DAYS).mode).toBe('calendar-days');
    expect(() => parseDeadlinePolicy({ ...SIXTY_DAYS, mode: 'lunar-days' })).toThrow(DeadlinePolicyError);
  });
});
