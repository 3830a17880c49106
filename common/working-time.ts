import { addCalendarDays, type WorkingCalendar } from './calendar';

/**
 * Working time between two instants: the office hours of the working days in between, as the
 * calendar (weekends, holidays, per-unit overrides) says. What a deadline in working days means to
 * the person working on it: "4 working hours left" on a Friday evening is Monday's morning.
 * Pure, like the calendar.
 */

/** The city's administrative office hours (local time): morning and afternoon, a lunch break between. */
export const OFFICE_HOURS: ReadonlyArray<{ from: string; to: string }> = [
  { from: '07:30', to: '11:30' },
  { from: '13:00', to: '17:00' },
];
const MINUTE_MS = 60_000;
// Beyond a year the count means nothing to a reader, and the calendar data does not go further.
const MAX_DAYS = 400;

/** Working minutes in one working day. */
export const WORKING_MINUTES_PER_DAY = OFFICE_HOURS.reduce((sum, h) => sum + minutesOfDay(h.to) - minutesOfDay(h.from), 0);

function minutesOfDay(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
}

/**
 * Working minutes from `from` to `to` (whole minutes, rounded down); negative when `to` is before
 * `from` (how much working time a deadline is already past).
 */
export function workingMinutesBetween(calendar: WorkingCalendar, from: Date, to: Date): number {
  if (to.getTime() < from.getTime()) return -workingMinutesBetween(calendar, to, from);
  const last = calendar.localDateOf(to);
  let ms = 0;
  let day = calendar.localDateOf(from);
  for (let i = 0; i <= MAX_DAYS; i++) {
    if (calendar.isWorkingDay(day)) {
      for (const hours of OFFICE_HOURS) {
        const start = Math.max(calendar.at(day, hours.from).getTime(), from.getTime());
        const end = Math.min(calendar.at(day, hours.to).getTime(), to.getTime());
        if (end > start) ms += end - start;
      }
    }
    if (day === last) break;
    day = addCalendarDays(day, 1);
  }
  return Math.floor(ms / MINUTE_MS);
}
