/**
 * Working days and deadlines in the city's time zone. Pure: no I/O, no clock, no Node built-ins and no
 * Intl time-zone data, so workflow code can import it and replay it to the same result.
 *
 * Asia/Ho_Chi_Minh has been UTC+07:00 all year since 1975 (no DST), so local time is plain offset
 * arithmetic. A local date is handled as the UTC midnight of the same calendar date, which makes
 * day arithmetic and weekdays exact with the UTC methods of Date.
 */
import { CITY_UTC_OFFSET_MINUTES } from './local-time';

export { CITY_UTC_OFFSET_MINUTES };

/** A calendar date in the city, `YYYY-MM-DD`. */
export type LocalDate = string;

/** A day that differs from, or confirms, the "Monday to Friday" rule. */
export interface CalendarRule {
  date: LocalDate;
  working: boolean;
  name: string;
}

export interface DeadlinePolicy {
  /**
   * `same-day-cutoff`: the end of the receipt day; `working-days`: the end of the N-th working day
   * after it; `calendar-days`: the end of the N-th calendar day after the date received, weekends and
   * holidays included (a time the applicant is given, not the office).
   */
  mode: 'same-day-cutoff' | 'working-days' | 'calendar-days';
  /** N: working days, or calendar days in `calendar-days` mode. */
  workingDays: number;
  /** Local HH:MM; a dossier received at or after it counts as received the next working day. */
  cutoffTime: string;
  /** Local HH:MM at which a due day ends. */
  endOfDayTime: string;
  remindBeforeMinutes: number;
  secondEscalationAfterWorkingDays: number;
}

export interface DeadlinePlan {
  dueAt: Date;
  remindAt: Date;
  escalateAt: Date;
  secondEscalateAt: Date;
}

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
const OFFSET_MS = CITY_UTC_OFFSET_MINUTES * MINUTE_MS;
// A year without a single working day is a broken calendar, not a reason to loop forever.
const MAX_SEARCH_DAYS = 366;

const LOCAL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const HH_MM = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** Milliseconds of the UTC midnight that stands for a local date; throws on anything but a real date. */
function dayMs(date: LocalDate): number {
  const m = LOCAL_DATE.exec(date);
  const ms = m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : NaN;
  // Date.UTC rolls 2026-02-30 over to 2026-03-02: the round trip catches it.
  if (Number.isNaN(ms) || formatDay(ms) !== date) throw new Error(`Not a valid local date (YYYY-MM-DD): ${JSON.stringify(date)}`);
  return ms;
}

function formatDay(ms: number): LocalDate {
  return new Date(ms).toISOString().slice(0, 10);
}

export function parseHhMm(s: string): { hours: number; minutes: number } {
  const m = HH_MM.exec(s);
  if (!m) throw new Error(`Not a valid time of day (HH:MM, 00:00-23:59): ${JSON.stringify(s)}`);
  return { hours: Number(m[1]), minutes: Number(m[2]) };
}

/** The city's calendar date at an instant. */
export function localDateOf(instant: Date): LocalDate {
  const ms = instant.getTime();
  if (Number.isNaN(ms)) throw new Error('Not a valid instant');
  return formatDay(ms + OFFSET_MS);
}

export function addCalendarDays(date: LocalDate, days: number): LocalDate {
  return formatDay(dayMs(date) + days * DAY_MS);
}

function indexByDate(rules: CalendarRule[]): Map<LocalDate, CalendarRule> {
  const byDate = new Map<LocalDate, CalendarRule>();
  for (const rule of rules) {
    dayMs(rule.date); // a malformed date would otherwise silently never match
    byDate.set(rule.date, rule);
  }
  return byDate;
}

export class WorkingCalendar {
  private readonly national: Map<LocalDate, CalendarRule>;
  private readonly unit: Map<LocalDate, CalendarRule>;

  constructor(national: CalendarRule[], unitOverrides: CalendarRule[] = []) {
    this.national = indexByDate(national);
    this.unit = indexByDate(unitOverrides);
  }

  /** Monday to Friday unless a rule says otherwise; the unit's own rule wins over the national one. */
  isWorkingDay(date: LocalDate): boolean {
    const rule = this.unit.get(date) ?? this.national.get(date);
    if (rule) return rule.working;
    const weekday = new Date(dayMs(date)).getUTCDay();
    return weekday !== 0 && weekday !== 6;
  }

  /** The rule (holiday, compensatory day...) that decides a date, if any. */
  ruleFor(date: LocalDate): CalendarRule | undefined {
    return this.unit.get(date) ?? this.national.get(date);
  }

  localDateOf(instant: Date): LocalDate {
    return localDateOf(instant);
  }

  /** The first working day strictly after `date`. */
  nextWorkingDay(date: LocalDate): LocalDate {
    let d = date;
    for (let i = 0; i < MAX_SEARCH_DAYS; i++) {
      d = addCalendarDays(d, 1);
      if (this.isWorkingDay(d)) return d;
    }
    throw new Error(`No working day within ${MAX_SEARCH_DAYS} days after ${date}`);
  }

  /** n ≥ 1: the n-th working day strictly after `date`; n = 0: `date` if it is a working day, else the next one. */
  addWorkingDays(date: LocalDate, n: number): LocalDate {
    if (!Number.isInteger(n) || n < 0) throw new Error(`Working days must be a whole number ≥ 0, got ${n}`);
    if (n === 0) return this.isWorkingDay(date) ? date : this.nextWorkingDay(date);
    let d = date;
    for (let i = 0; i < n; i++) d = this.nextWorkingDay(d);
    return d;
  }

  /** A local wall-clock time on a local date, as an instant. */
  at(date: LocalDate, hhmm: string): Date {
    const { hours, minutes } = parseHhMm(hhmm);
    return new Date(dayMs(date) + (hours * 60 + minutes) * MINUTE_MS - OFFSET_MS);
  }
}

/** A deadline policy (e.g. a DeadlineSetting row) that cannot be used as it stands. */
export class DeadlinePolicyError extends Error {
  override name = 'DeadlinePolicyError';
}

function wholeNumber(value: number, field: string): number {
  if (!Number.isInteger(value) || value < 0) throw new DeadlinePolicyError(`Deadline policy: ${field} must be a whole number ≥ 0, got ${value}`);
  return value;
}

function timeOfDay(value: string, field: string): number {
  try {
    const { hours, minutes } = parseHhMm(value);
    return hours * 60 + minutes;
  } catch (error) {
    throw new DeadlinePolicyError(`Deadline policy: ${field}: ${(error as Error).message}`);
  }
}

/** Checks a policy as stored (e.g. a DeadlineSetting row) and narrows its mode; throws a DeadlinePolicyError. */
export function parseDeadlinePolicy(input: {
  mode: string;
  workingDays: number;
  cutoffTime: string;
  endOfDayTime: string;
  remindBeforeMinutes: number;
  secondEscalationAfterWorkingDays: number;
}): DeadlinePolicy {
  const { mode } = input;
  if (mode !== 'same-day-cutoff' && mode !== 'working-days' && mode !== 'calendar-days') {
    throw new DeadlinePolicyError(
      `Deadline policy: mode must be 'same-day-cutoff', 'working-days' or 'calendar-days', got ${JSON.stringify(mode)}`,
    );
  }
  // A cut-off after the end of the day would give a dossier received in between a due time already past.
  if (timeOfDay(input.cutoffTime, 'cutoffTime') > timeOfDay(input.endOfDayTime, 'endOfDayTime')) {
    throw new DeadlinePolicyError(`Deadline policy: cutoffTime ${input.cutoffTime} is after endOfDayTime ${input.endOfDayTime}`);
  }
  return {
    mode,
    workingDays: wholeNumber(input.workingDays, 'workingDays'),
    cutoffTime: input.cutoffTime,
    endOfDayTime: input.endOfDayTime,
    remindBeforeMinutes: wholeNumber(input.remindBeforeMinutes, 'remindBeforeMinutes'),
    secondEscalationAfterWorkingDays: wholeNumber(input.secondEscalationAfterWorkingDays, 'secondEscalationAfterWorkingDays'),
  };
}

/**
 * Due, reminder and escalation instants of a step received at `receivedAt`.
 *
 * The receipt day is the local date of `receivedAt` when that is a working day and the time is before
 * the cut-off; otherwise (weekend, holiday, after the cut-off) the next working day. `same-day-cutoff`
 * is due at the end of the receipt day; `working-days` at the end of the N-th working day after it.
 */
export function planDeadlines(calendar: WorkingCalendar, policy: DeadlinePolicy, receivedAt: Date): DeadlinePlan {
  const p = parseDeadlinePolicy(policy);
  const day = calendar.localDateOf(receivedAt);
  if (p.mode === 'calendar-days') return planCalendarDays(calendar, p, receivedAt, day);
  const beforeCutoff = receivedAt.getTime() < calendar.at(day, p.cutoffTime).getTime();
  const receiptDay = calendar.isWorkingDay(day) && beforeCutoff ? day : calendar.nextWorkingDay(day);

  const dueDay = calendar.addWorkingDays(receiptDay, p.mode === 'same-day-cutoff' ? 0 : p.workingDays);
  const dueAt = calendar.at(dueDay, p.endOfDayTime);
  // A reminder before the dossier even arrived would fire at once anyway: say so explicitly.
  const remindAt = new Date(Math.max(dueAt.getTime() - p.remindBeforeMinutes * MINUTE_MS, receivedAt.getTime()));
  // dueAt is on dueDay's local date by construction (HH:MM is within the day).
  const secondEscalateAt = calendar.at(calendar.addWorkingDays(dueDay, p.secondEscalationAfterWorkingDays), p.endOfDayTime);

  return { dueAt, remindAt, escalateAt: dueAt, secondEscalateAt };
}

/** Calendar days count from the date received, whatever the time: no cut-off, no working days. */
function planCalendarDays(calendar: WorkingCalendar, p: DeadlinePolicy, receivedAt: Date, day: LocalDate): DeadlinePlan {
  const dueDay = addCalendarDays(day, p.workingDays);
  const dueAt = calendar.at(dueDay, p.endOfDayTime);
  const remindAt = new Date(Math.max(dueAt.getTime() - p.remindBeforeMinutes * MINUTE_MS, receivedAt.getTime()));
  const secondEscalateAt = calendar.at(calendar.addWorkingDays(dueDay, p.secondEscalationAfterWorkingDays), p.endOfDayTime);
  return { dueAt, remindAt, escalateAt: dueAt, secondEscalateAt };
}
