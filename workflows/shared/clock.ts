import { condition } from '@temporalio/workflow';

/**
 * Workflow time, read in this one place. Inside Temporal's workflow sandbox `Date` is the workflow
 * clock: the time of the current workflow task, taken from history and identical on replay (and
 * moved by the time-skipping test server). It is Temporal's API for "now" in TypeScript workflows.
 */
export function workflowNow(): Date {
  return new Date();
}

export const nowIso = (): string => workflowNow().toISOString();

/** Milliseconds from now until an ISO instant (negative once it has passed). */
export const msUntil = (iso: string): number => Date.parse(iso) - workflowNow().getTime();

/** True when `done` holds by `at`; false when `at` passes first. */
export async function doneBy(done: () => boolean, at: string): Promise<boolean> {
  const ms = msUntil(at);
  if (done()) return true;
  if (ms <= 0) return false;
  return condition(done, ms);
}
