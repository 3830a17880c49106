import { randomUUID } from 'node:crypto';
import { isGrpcServiceError, WorkflowUpdateStage, type Client } from '@temporalio/client';
import { Prisma, type Dossier, type PrismaClient, type Task } from '../../prisma/client';
import { cancelDossierUpdate, escalateDossierUpdate, reassignTaskUpdate } from '../../workflows/shared/messages';
import type { Caller } from '../auth';
import { PROCEDURES } from '../../procedures';
import { say } from '../messages';
import { HttpProblem, problems, type FieldError } from '../problem';
import { statusWords, taskStatusWords } from '../status-words';
import { inScope, unitScope, type UnitScope } from '../scope';
import { viaUpdate } from '../temporal-errors';
import { isClosed, loadVisibleDossier } from './dossiers';
import { failingCalls, type FailingCall } from './supervision-stuck';

/**
 * Supervisors' actions on tasks and dossiers of their subtree: reassign, escalate by hand, cancel,
 * retry now. Each one that takes effect is a `StaffAction` audit entry (who, what, when, for which
 * unit, why, and `details` for machines), written once: an action retried with the same key finds
 * its entry there.
 */
export interface SupervisionDeps {
  prisma: PrismaClient;
  temporal: Client;
}

/** How long a bulk cancellation waits for the dossier to close before answering 202 (accepted). */
const CANCEL_SETTLE_MS = 5_000;

type AuditEntry = {
  id: string;
  action: 'reassign' | 'escalate' | 'cancel' | 'retry';
  unitCode: string;
  taskId?: string;
  dossierId: string;
  note?: string;
  details: Prisma.InputJsonValue;
};

async function audit(prisma: PrismaClient | Prisma.TransactionClient, caller: Caller, entry: AuditEntry): Promise<void> {
  await prisma.staffAction.createMany({ skipDuplicates: true, data: { ...entry, actor: caller.sub, role: caller.role } });
}

// ---------------------------------------------------------------------------------------------
// Reassign

export interface ReassignTarget {
  /** The unit the task goes to. */
  unitCode: string;
  /** Who holds it there; null: the unit's inbox, unclaimed. */
  assignee: string | null;
}

/**
 * Where a reassignment sends tasks: `unitCode`, or the assignee's unit; both must be in the
 * caller's subtree. Unknown unit or staff: 400 naming the field; outside the subtree: 403.
 */
export async function resolveTarget(prisma: PrismaClient, caller: Caller, input: { assignee?: string; unitCode?: string }): Promise<ReassignTarget> {
  const errors: FieldError[] = [];
  if (!input.assignee && !input.unitCode) {
    const message = { vi: 'hãy nêu assignee, unitCode, hoặc cả hai', en: 'give an assignee, a unitCode, or both' };
    throw problems.badRequest(say.nothingToReassign, [{ path: 'assignee', message }, { path: 'unitCode', message }]);
  }
  const unit = input.unitCode ? await prisma.unit.findUnique({ where: { code: input.unitCode }, select: { code: true } }) : null;
  if (input.unitCode && !unit) errors.push({ path: 'unitCode', message: say.noUnit(input.unitCode) });
  const staff = input.assignee ? await prisma.staff.findUnique({ where: { id: input.assignee }, select: { id: true, unitCode: true, active: true } }) : null;
  if (input.assignee && (!staff || !staff.active)) errors.push({ path: 'assignee', message: say.noActiveStaff(input.assignee) });
  if (staff && input.unitCode && staff.unitCode !== input.unitCode) errors.push({ path: 'assignee', message: say.staffOfOtherUnit(staff.unitCode, input.unitCode) });
  if (errors.length > 0) throw problems.badRequest(say.reassignmentUnknown, errors);
  const unitCode = input.unitCode ?? staff!.unitCode;
  if (!inScope(await unitScope(prisma, caller), unitCode)) throw problems.forbidden(say.unitOutsideSubtree(unitCode));
  return { unitCode, assignee: staff?.id ?? null };
}

/**
 * A task the supervisor may act on. Unknown, or of a dossier the caller may not see: 404; at a unit
 * outside the caller's subtree of a dossier the caller does see: 403 (the README's visibility rules).
 */
async function loadSupervisedTask(prisma: PrismaClient, caller: Caller, taskId: string): Promise<Task> {
  const task = await prisma.task.findUnique({ where: { id: taskId } });
  if (!task) throw problems.notFound(say.noTask(taskId));
  const { scope } = await loadVisibleDossier(prisma, caller, task.dossierId).catch((error: unknown) => {
    throw error instanceof HttpProblem && error.status === 404 ? problems.notFound(say.noTask(taskId)) : error;
  });
  if (!inScope(scope, task.unitCode)) throw problems.forbidden(say.taskOutsideSubtree(taskId, task.unitCode));
  return task;
}

export interface Reassigned {
  task: Task;
  previous: { unitCode: string; assignee: string | null };
  changed: boolean;
}

/**
 * Moves an open task: the workflow first (its Update refuses a task done or being decided: 409;
 * its later reminders and escalations go to the new unit; a history line), then the task's row
 * with the audit entry in one transaction. The same reassignment asked again changes nothing.
 */
export async function reassignTask(deps: SupervisionDeps, caller: Caller, taskId: string, target: ReassignTarget, options: { reason?: string; key?: string }): Promise<Reassigned> {
  const task = await loadSupervisedTask(deps.prisma, caller, taskId);
  if (task.status === 'done' || task.status === 'cancelled') throw problems.conflict(say.taskAlready(task.id, taskStatusWords(task.status), task.status));
  const previous = { unitCode: task.unitCode, assignee: task.assignee };
  if (previous.unitCode === target.unitCode && previous.assignee === target.assignee) return { task, previous, changed: false };
  const updateId = `reassign/${caller.sub}/${options.key ?? randomUUID()}`;
  const handle = deps.temporal.workflow.getHandle(task.dossierId);
  await viaUpdate(
    () => handle.executeUpdate(reassignTaskUpdate, { args: [{ taskId, unitCode: target.unitCode, assignee: target.assignee, by: caller.sub, reason: options.reason }], updateId }),
    handle,
    PROCEDURES.get(task.procedure),
  );
  const updated = await deps.prisma.$transaction(async (tx) => {
    const { count } = await tx.task.updateMany({
      where: { id: taskId, status: { in: ['open', 'claimed'] } },
      data: { unitCode: target.unitCode, assignee: target.assignee, status: target.assignee ? 'claimed' : 'open' },
    });
    if (count > 0) {
      await audit(tx, caller, {
        id: updateId,
        action: 'reassign',
        unitCode: previous.unitCode,
        taskId,
        dossierId: task.dossierId,
        note: options.reason,
        details: { from: previous, to: { unitCode: target.unitCode, assignee: target.assignee } },
      });
    }
    return tx.task.findUniqueOrThrow({ where: { id: taskId } });
  });
  if (updated.status === 'done' || updated.status === 'cancelled') throw problems.conflict(say.taskBecameMeanwhile(taskId, taskStatusWords(updated.status), updated.status));
  return { task: updated, previous, changed: true };
}

// ---------------------------------------------------------------------------------------------
// Escalate by hand

/** Where a dossier is being handled now: its oldest open task's unit, else its own. */
function handlingUnit(dossier: Dossier & { tasks: Task[] }): string {
  const open = dossier.tasks.filter((t) => t.status === 'open' || t.status === 'claimed').sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
  return open[0]?.unitCode ?? dossier.unitCode;
}

export interface Escalated {
  dossierId: string;
  fromUnitCode: string;
  toUnitCode: string;
  mailed: number;
  escalation: number;
}

/**
 * Escalates a dossier to the unit above the one handling it: the workflow mails that unit's
 * supervisors and mailbox (through the notification activity, one idempotency key per escalation)
 * and writes it to the history. A closed dossier: 409; the top unit has nobody above: 422.
 */
export async function escalateDossier(deps: SupervisionDeps, caller: Caller, dossierId: string, note: string, key?: string): Promise<Escalated> {
  const { dossier } = await loadVisibleDossier(deps.prisma, caller, dossierId);
  if (isClosed(dossier.status)) throw problems.conflict(say.dossierAlready(dossierId, statusWords(dossier.status, PROCEDURES.get(dossier.procedure)), dossier.status));
  const fromUnitCode = handlingUnit(dossier);
  const unit = await deps.prisma.unit.findUnique({ where: { code: fromUnitCode }, select: { parentCode: true } });
  if (!unit?.parentCode) throw problems.unprocessable(say.noUnitAbove(dossierId, fromUnitCode));
  const updateId = `escalate/${caller.sub}/${key ?? randomUUID()}`;
  const handle = deps.temporal.workflow.getHandle(dossierId);
  const result = await viaUpdate(() => handle.executeUpdate(escalateDossierUpdate, { args: [{ fromUnitCode, toUnitCode: unit.parentCode!, note, by: caller.sub }], updateId }), handle);
  await audit(deps.prisma, caller, {
    id: `escalate/${dossierId}/${result.escalation}`,
    action: 'escalate',
    unitCode: fromUnitCode,
    dossierId,
    note,
    details: { from: fromUnitCode, to: result.toUnitCode, mailed: result.mailed, escalation: result.escalation },
  });
  return { dossierId, fromUnitCode, toUnitCode: result.toUnitCode, mailed: result.mailed, escalation: result.escalation };
}

// ---------------------------------------------------------------------------------------------
// Cancel (for the office) and retry now

/** A dossier of the caller's subtree: visible (else 404) and received by a unit of the subtree (else 403). */
async function loadSupervisedDossier(prisma: PrismaClient, caller: Caller, dossierId: string): Promise<{ dossier: Dossier & { tasks: Task[] }; scope: UnitScope }> {
  const { dossier, scope } = await loadVisibleDossier(prisma, caller, dossierId);
  if (!inScope(scope, dossier.unitCode)) throw problems.forbidden(say.dossierOutsideSubtree(dossierId, dossier.unitCode));
  return { dossier, scope };
}

export interface Cancelled {
  dossierId: string;
  /** `cancelled` once closed; the status it still has when the cancellation was only accepted. */
  dossierStatus: string;
  /** False: accepted, and the dossier closes as soon as its pending system call returns. */
  closed: boolean;
}

/**
 * Cancels a dossier for the office with a reason: the workflow's own cancellation (every open task
 * withdrawn, the applicant told who and why). Decided or closed: 409. A dossier waiting on a system
 * call closes when that call returns: then the answer is "accepted", not yet closed.
 */
export async function cancelDossier(deps: SupervisionDeps, caller: Caller, dossierId: string, reason: string): Promise<Cancelled> {
  const { dossier } = await loadSupervisedDossier(deps.prisma, caller, dossierId);
  if (isClosed(dossier.status)) throw problems.conflict(say.dossierAlready(dossierId, statusWords(dossier.status, PROCEDURES.get(dossier.procedure)), dossier.status));
  const handle = deps.temporal.workflow.getHandle(dossierId);
  const update = await viaUpdate(
    () => handle.startUpdate(cancelDossierUpdate, { args: [{ reason, by: caller.sub }], updateId: 'cancel/supervisor', waitForStage: WorkflowUpdateStage.ACCEPTED }),
    handle,
    PROCEDURES.get(dossier.procedure),
  );
  await audit(deps.prisma, caller, { id: `cancel/${dossierId}`, action: 'cancel', unitCode: dossier.unitCode, dossierId, note: reason, details: { statusBefore: dossier.status } });
  const settled = await Promise.race([
    viaUpdate(() => update.result(), handle).then((r) => r.status),
    new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), CANCEL_SETTLE_MS).unref()),
  ]);
  return settled ? { dossierId, dossierStatus: settled, closed: true } : { dossierId, dossierStatus: dossier.status, closed: false };
}

export interface Retried {
  dossierId: string;
  calls: FailingCall[];
}

/**
 * "Retry now" for a dossier waiting on a failing system call: Temporal's ResetActivity on each of
 * its failing pending activities. The attempt count starts again and an activity waiting out its
 * retry backoff is scheduled at once; if the system is still down it fails and backs off again from
 * the policy's first interval. No workflow reset, no history rewritten. Nothing failing: 409.
 */
export async function retryNow(deps: SupervisionDeps, caller: Caller, dossierId: string, reason?: string): Promise<Retried> {
  const { dossier } = await loadSupervisedDossier(deps.prisma, caller, dossierId);
  if (isClosed(dossier.status)) throw problems.conflict(say.dossierAlready(dossierId, statusWords(dossier.status, PROCEDURES.get(dossier.procedure)), dossier.status));
  const calls = await failingCalls(deps.temporal, dossierId);
  if (calls.length === 0) throw problems.conflict(say.notWaitingOnFailingCall(dossierId));
  const reset: FailingCall[] = [];
  for (const call of calls) {
    try {
      await deps.temporal.workflowService.resetActivity({
        namespace: deps.temporal.options.namespace,
        execution: { workflowId: dossierId },
        identity: `supervisor:${caller.sub}`,
        id: call.activityId,
        resetHeartbeat: false,
        keepPaused: false,
      });
      reset.push(call);
    } catch (error) {
      // The call completed meanwhile: nothing left to retry for it.
      if (!(isGrpcServiceError(error) && error.code === 5 /* NOT_FOUND */)) throw error;
    }
  }
  if (reset.length === 0) throw problems.conflict(say.noLongerWaitingOnFailingCall(dossierId));
  await audit(deps.prisma, caller, {
    id: randomUUID(),
    action: 'retry',
    unitCode: dossier.unitCode,
    dossierId,
    note: reason,
    // The audit record keeps the system's English name, as earlier entries have it: one shape for every entry.
    details: { calls: reset.map((c) => ({ activity: c.activity, system: c.system.en, failures: c.failures, lastError: c.lastError })) },
  });
  return { dossierId, calls: reset };
}
