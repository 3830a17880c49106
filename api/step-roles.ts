import type { Prisma } from '../prisma/client';
import { PROCEDURES } from '../procedures';
import type { StepDefinition } from '../procedures/define';
import type { Caller } from './auth';

/**
 * Each human step of a procedure is worked by the role its definition names (a ward's clerk signs
 * an extract, an officer delivers a fine's notice): only that role claims or decides its tasks, and
 * clerks and officers see the tasks and dossiers of their own steps only, though another role's
 * step be at their unit. Supervisors see their subtree whole; the `system` role everything.
 */
export type StepRole = StepDefinition['role'];

/** The role that works a procedure's step (in any version the registry holds), or undefined for a step none has. */
export function stepRole(procedureId: string, stepId: string): StepRole | undefined {
  return PROCEDURES.findStep(procedureId, stepId)?.role;
}

/** The caller's role when it works steps (clerk, officer): what narrows what they see. */
export function stepWorker(caller: Caller): StepRole | undefined {
  return caller.role === 'clerk' || caller.role === 'officer' ? caller.role : undefined;
}

/** Whether `role` (undefined: a role that sees every step) works this task's step. */
export function worksOnStep(role: StepRole | undefined, task: { procedure: string; step: string }): boolean {
  return role === undefined || stepRole(task.procedure, task.step) === role;
}

/** Whether `role` (undefined: a role that sees every step) works some step of the procedure. */
export function worksOnProcedure(role: StepRole | undefined, procedureId: string): boolean {
  return role === undefined || proceduresOf(role).includes(procedureId);
}

/** The procedures with a step `role` works. */
export function proceduresOf(role: StepRole): string[] {
  return PROCEDURES.all.filter((p) => Object.values(p.steps).some((s) => s.role === role)).map((p) => p.id);
}

/** The tasks of the steps `role` works, as a filter. */
export function tasksOf(role: StepRole): Prisma.TaskWhereInput {
  // Every version's steps: a dossier still running on an older version keeps its tasks in the inboxes.
  const steps = PROCEDURES.all
    .flatMap((p) => PROCEDURES.versions(p.id))
    .flatMap((p) => Object.values(p.steps).filter((s) => s.role === role).map((s) => ({ procedure: p.id, step: s.id })));
  return { OR: steps };
}
