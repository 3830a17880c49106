import { ApplicationFailure } from '@temporalio/common';
import { planDeadlinesFromDb } from '../common/deadline-store';
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

export function createCalendarActivities({ prisma }: { prisma: PrismaClient }) {
  async function planDeadlinesActivity(input: PlanDeadlinesInput): Promise<PlannedDeadlines> {
    const from = new Date(input.from);
    if (Number.isNaN(from.getTime())) {
      throw ApplicationFailure.nonRetryable(`Not a valid instant: ${JSON.stringify(input.from)}`, 'InvalidDeadlineInput');
    }
    const plan = await planDeadlinesFromDb(prisma, { ...input, from });
    return {
      dueAt: plan.dueAt.toISOString(),
      remindAt: plan.remindAt.toISOString(),
      escalateAt: plan.escalateAt.toISOString(),
      secondEscalateAt: plan.secondEscalateAt.toISOString(),
    };
  }

  return { planDeadlines: planDeadlinesActivity };
}
