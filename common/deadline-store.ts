import { ApplicationFailure } from '@temporalio/common';
import {
  addCalendarDays,
  DeadlinePolicyError,
  localDateOf,
  parseDeadlinePolicy,
  planDeadlines,
  WorkingCalendar,
  type CalendarRule,
  type DeadlinePlan,
  type DeadlinePolicy,
  type LocalDate,
} from './calendar';
import type { PrismaClient } from '../prisma/client';

/**
 * The working-day calendar and deadline settings as the database holds them: read by the API when
 * it files a dossier and by the deadline activity. (Activities and API share this module; workflows
 * never import it.)
 */

/** CalendarDay scope of the national calendar; any other scope is a unit code overriding it. */
export const NATIONAL_SCOPE = '*';

/** What deadlines read: a client, or a transaction's (`openPlannedTask` plans inside the transaction that opens the task). */
export type DeadlineTables = Pick<PrismaClient, 'calendarDay' | 'deadlineSetting'>;

// A @db.Date column reads and writes as the UTC midnight of its date.
const toDbDate = (date: LocalDate) => new Date(`${date}T00:00:00.000Z`);
const fromDbDate = (date: Date): LocalDate => date.toISOString().slice(0, 10);

/**
 * The calendar of one unit for `days` days from `fromDate` (and the day before, so a receipt date
 * near midnight is covered). Days outside the window fall back to Monday-Friday, so the window must
 * cover the longest deadline plus its escalation; 120 days does for every procedure configured.
 */
export async function loadCalendar(prisma: DeadlineTables, unitCode: string, fromDate: Date, days = 120): Promise<WorkingCalendar> {
  const start = localDateOf(fromDate);
  const rows = await prisma.calendarDay.findMany({
    where: {
      scope: { in: [NATIONAL_SCOPE, unitCode] },
      date: { gte: toDbDate(addCalendarDays(start, -1)), lte: toDbDate(addCalendarDays(start, days)) },
    },
  });
  const national: CalendarRule[] = [];
  const unit: CalendarRule[] = [];
  for (const row of rows) {
    (row.scope === NATIONAL_SCOPE ? national : unit).push({ date: fromDbDate(row.date), working: row.working, name: row.name });
  }
  return new WorkingCalendar(national, unit);
}

/** The stored policy of a step, checked (a malformed row throws), or null when there is none. */
export async function loadDeadlinePolicy(prisma: DeadlineTables, procedure: string, step: string): Promise<DeadlinePolicy | null> {
  const row = await prisma.deadlineSetting.findUnique({ where: { procedure_step: { procedure, step } } });
  return row && parseDeadlinePolicy(row);
}

/**
 * Where a step's deadline comes from: its policy and the unit's calendar. The worker reads both from
 * the database each time (`databaseDeadlines`); the API keeps them a short while
 * (`api/services/reference-data.ts`).
 */
export interface DeadlineSource {
  /** The stored policy of a step, checked (a malformed row throws a DeadlinePolicyError), or null. */
  policy(procedure: string, step: string): Promise<DeadlinePolicy | null>;
  /** The calendar of a unit around `from` (see `loadCalendar`). */
  calendar(unitCode: string, from: Date): Promise<WorkingCalendar>;
}

export function databaseDeadlines(prisma: DeadlineTables): DeadlineSource {
  return {
    policy: (procedure, step) => loadDeadlinePolicy(prisma, procedure, step),
    calendar: (unitCode, from) => loadCalendar(prisma, unitCode, from),
  };
}

/**
 * Plans a step's deadlines from the stored setting and calendar. A missing or malformed setting is a
 * configuration error that no retry fixes: it throws a non-retryable ApplicationFailure (types
 * MissingDeadlineSetting, InvalidDeadlineSetting) that the API can map too.
 */
export async function planDeadlinesFromDb(
  prisma: DeadlineTables,
  input: { procedure: string; step: string; unitCode: string; from: Date },
): Promise<DeadlinePlan> {
  return planDeadlinesFrom(databaseDeadlines(prisma), input);
}

/** `planDeadlinesFromDb` from any source of policies and calendars, with the same failures. */
export async function planDeadlinesFrom(
  source: DeadlineSource,
  input: { procedure: string; step: string; unitCode: string; from: Date },
): Promise<DeadlinePlan> {
  const { procedure, step } = input;
  let policy: DeadlinePolicy | null;
  try {
    policy = await source.policy(procedure, step);
  } catch (error) {
    if (!(error instanceof DeadlinePolicyError)) throw error;
    throw ApplicationFailure.nonRetryable(`Invalid deadline setting for ${procedure}/${step}: ${error.message}`, 'InvalidDeadlineSetting');
  }
  if (!policy) throw ApplicationFailure.nonRetryable(`No deadline setting for ${procedure}/${step}`, 'MissingDeadlineSetting');
  const calendar = await source.calendar(input.unitCode, input.from);
  return planDeadlines(calendar, policy, input.from);
}
