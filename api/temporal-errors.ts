import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { FailureTypes } from '../workflows/shared/messages';
import { HttpProblem, problems } from './problem';

const CONFLICTS: readonly string[] = [
  FailureTypes.dossierClosed,
  FailureTypes.dossierDecided,
  FailureTypes.decisionInProgress,
  FailureTypes.taskNotOpen,
  FailureTypes.notAwaiting,
];
const RULE_VIOLATIONS: readonly string[] = [FailureTypes.invalidOutcome, FailureTypes.invalidTaskData, FailureTypes.invalidAnswer];

/**
 * Runs a workflow Update and turns the workflow's refusal into the HTTP answer: a conflict with the
 * dossier's state is 409, a breach of the procedure's rules 422. A workflow that has already
 * completed cannot take the message either: 409.
 */
export async function viaUpdate<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw toProblem(error);
  }
}

function toProblem(error: unknown): unknown {
  if (error instanceof WorkflowUpdateFailedError && error.cause instanceof ApplicationFailure) {
    const type = error.cause.type ?? '';
    if (CONFLICTS.includes(type)) return withCause(problems.conflict(error.cause.message), error);
    if (RULE_VIOLATIONS.includes(type)) return withCause(problems.unprocessable(error.cause.message), error);
  }
  if (error instanceof WorkflowNotFoundError) return withCause(problems.conflict('The dossier is already closed'), error);
  return error;
}

function withCause(problem: HttpProblem, cause: unknown): HttpProblem {
  return Object.assign(problem, { cause });
}
