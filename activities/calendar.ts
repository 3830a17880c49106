import { ApplicationFailure } from '@temporalio/common';
import { planDeadlinesFromDb, type DeadlineTables } from '../common/deadline-store';
import type { PrismaClient } from '../prisma/client';

export interface PlanDeadlinesInput {
  procedure: string;
  step: string;
  unitCode: string;
  /** ISO instant the step was received. */
  from: string;
}

/** ISO instants: activity results travel as JSON. */
export interface PlannedDeadlines {
  dueAt: string;
  remindAt: string;
  escalateAt: string;
  secondEscalateAt: string;
}

/**
 * A step's deadlines from its stored setting and the unit's calendar: the `planDeadlines` activity,
 * and `openPlannedTask` (activities/dossiers.ts) inside the transaction that opens the task.
 */
export async function planStoredDeadlines(db: DeadlineTables, input: PlanDeadlinesInput): Promise<PlannedDeadlines> {
  const from = new Date(input.from);
  if (Number.isNaN(from.getTime())) {
    throw ApplicationFailure.nonRetryable(`Not a valid instant: ${JSON.stringify(input.from)}`, 'InvalidDeadlineInput');
  }
  const plan = await planDeadlinesFromDb(db, { ...input, from });
  return {
    dueAt: plan.dueAt.toISOString(),
    remindAt: plan.remindAt.toISOString(),
    escalateAt: plan.escalateAt.toISOString(),
    secondEscalateAt: plan.secondEscalateAt.toISOString(),
  };
}

export function createCalendarActivities({ prisma }: { prisma: PrismaClient }) {
  async function planDeadlinesActivity(input: PlanDeadlinesInput): Promise<PlannedDeadlines> {
    return planStoredDeadlines(prisma, input);
  }

  return { planDeadlines: planDeadlinesActivity };
}
