import {
  ApplicationFailure,
  allHandlersFinished,
  condition,
  setHandler,
  upsertSearchAttributes,
} from '@temporalio/workflow';
import { formatLocal } from '../../common/calendar';
import { formatDuration } from '../../common/text';
import { TASK_STEPS, type DossierStatus, type Procedure, type TaskStep } from '../../common/procedures';
import { SearchAttributes } from '../../common/temporal';
import { notifications, store } from './activity-stubs';
import { msUntil, nowIso } from './clock';
import { cancelDossierUpdate, completeTaskUpdate, dossierStateQuery, FailureTypes } from './messages';
import type { CancelRequest, CancelResult, DossierOutcome, DossierUpdate, TaskCompletion, TaskCompletionResult } from './types';

export interface HumanTaskSpec {
  step: TaskStep;
  unitCode: string;
  /** Whether completing this task is the dossier's decision (after which it cannot be cancelled). */
  decides?: boolean;
  /** Rules on the outcome's data beyond its shape (the API checks the shape); a message refuses it. */
  validate?: (completion: TaskCompletion) => string | undefined;
}

interface TaskRun {
  taskId: string;
  step: TaskStep;
  unitCode: string;
  dueAt: string;
  outcomes: readonly string[];
  spec: HumanTaskSpec;
  /** Accepted by the Update validator: a second completion is refused from then on. */
  completing?: TaskCompletion;
  /** Recorded (task row and history written): the workflow moves on only then. */
  completion?: TaskCompletion;
}

interface EventInput {
  step: string;
  actor: string;
  outcome: string;
  note?: string;
}


/** True when `done` holds by `at`; false when `at` passes first. */
async function doneBy(done: () => boolean, at: string): Promise<boolean> {
  const ms = msUntil(at);
  if (done()) return true;
  if (ms <= 0) return false;
  return condition(done, ms);
}


/**
 * The state and the shared steps of one dossier's workflow: history, status, human tasks with
 * their deadlines, reminders and escalations, cancellation. Each procedure's workflow drives one.
 */
export class DossierRun {
  status: DossierStatus = 'received';
  currentStep = 'receive';
  decided = false;
  closed = false;
  cancelRequested = false;
  private cancelReason?: string;
  private eventSeq = 0;
  private taskSeq = 0;
  private readonly openTasks = new Map<string, TaskRun>();

  constructor(
    readonly dossierId: string,
    readonly procedure: Procedure,
    readonly unitCode: string,
  ) {}

  installHandlers(): void {
    setHandler(dossierStateQuery, () => ({
      dossierId: this.dossierId,
      status: this.status,
      currentStep: this.currentStep,
      decided: this.decided,
      openTasks: [...this.openTasks.values()].map((t) => ({ taskId: t.taskId, step: t.step, unitCode: t.unitCode, dueAt: t.dueAt })),
    }));
    setHandler(completeTaskUpdate, (completion) => this.acceptCompletion(completion), {
      validator: (completion) => this.validateCompletion(completion),
    });
    setHandler(cancelDossierUpdate, (request) => this.acceptCancel(request), {
      validator: (_request) => this.validateCancel(),
    });
  }

  /** Appends a history line and writes the changed fields to the dossier's row. */
  async record(event: EventInput, fields: Omit<DossierUpdate, 'dossierId' | 'event'> = {}): Promise<void> {
    this.eventSeq += 1;
    await store.updateDossier({ dossierId: this.dossierId, ...fields, event: { seq: this.eventSeq, at: nowIso(), ...event } });
  }

  /** Moves to a new status and step, visible in the dossier's row and search attributes. */
  async advance(status: DossierStatus, step: string, fields: Omit<DossierUpdate, 'dossierId' | 'event' | 'status' | 'currentStep'> = {}): Promise<void> {
    this.status = status;
    this.currentStep = step;
    upsertSearchAttributes([
      { key: SearchAttributes.dossierStatus, value: status },
      ...(fields.dueAt ? [{ key: SearchAttributes.dueAt, value: new Date(fields.dueAt) }] : []),
    ]);
    await store.updateDossier({ dossierId: this.dossierId, status, currentStep: step, ...fields });
  }

  async notifyApplicant(key: string, subject: string, text: string): Promise<void> {
    await notifications.notifyApplicant({ dossierId: this.dossierId, key, subject, text });
  }

  /**
   * A human step: opens the task in the unit's inbox with its deadline, reminds and escalates while
   * nobody acts, and resolves with the clerk's decision, or `cancelled` if the owner cancels first.
   */
  async humanTask(spec: HumanTaskSpec): Promise<TaskCompletion | 'cancelled'> {
    if (this.cancelRequested) return 'cancelled';
    this.taskSeq += 1;
    const taskId = `${this.dossierId}-T${this.taskSeq}`;
    const createdAt = nowIso();
    const plan = await store.planDeadlines({ procedure: this.procedure, step: spec.step, unitCode: spec.unitCode, from: createdAt });
    const outcomes = TASK_STEPS[spec.step].outcomes;
    const task: TaskRun = { taskId, step: spec.step, unitCode: spec.unitCode, dueAt: plan.dueAt, outcomes, spec };
    // Open in the workflow before the inbox shows it: a clerk who decides at once must find it open.
    this.openTasks.set(taskId, task);
    await Promise.all([
      store.openTask({
        taskId,
        dossierId: this.dossierId,
        procedure: this.procedure,
        step: spec.step,
        unitCode: spec.unitCode,
        outcomes: [...outcomes],
        createdAt,
        dueAt: plan.dueAt,
      }),
      this.record({ step: spec.step, actor: 'system', outcome: 'task-opened', note: `${TASK_STEPS[spec.step].title} at ${spec.unitCode}, due ${formatLocal(plan.dueAt)}` }),
    ]);

    const settled = () => task.completion !== undefined || this.cancelRequested;
    // Reminders stop as soon as a decision is accepted, even while it is still being recorded.
    const decidedOrCancelled = () => task.completing !== undefined || this.cancelRequested;
    await Promise.all([condition(settled), this.watchDeadlines(task, plan, decidedOrCancelled)]);
    return task.completion ?? 'cancelled';
  }

  private async watchDeadlines(
    task: TaskRun,
    plan: { remindAt: string; escalateAt: string; secondEscalateAt: string },
    settled: () => boolean,
  ): Promise<void> {
    if (!(await doneBy(settled, plan.remindAt))) await this.remind(task);
    if (!(await doneBy(settled, plan.escalateAt))) await this.escalate(task, 1);
    if (!(await doneBy(settled, plan.secondEscalateAt))) await this.escalate(task, 2);
  }

  private async remind(task: TaskRun): Promise<void> {
    const title = TASK_STEPS[task.step].title;
    await notifications.notifyTaskHolder({
      taskId: task.taskId,
      key: `${task.taskId}/reminder`,
      subject: `Reminder: ${title} for dossier ${this.dossierId} is due ${formatLocal(task.dueAt)}`,
      text: `Task ${task.taskId} (${title}) of dossier ${this.dossierId} is due ${formatLocal(task.dueAt)}. Please complete it before then.`,
    });
    await store.markTaskReminded({ taskId: task.taskId, at: nowIso() });
    await this.record({ step: task.step, actor: 'system', outcome: 'reminder-sent', note: `Task ${task.taskId} due ${task.dueAt}` });
  }

  private async escalate(task: TaskRun, level: 1 | 2): Promise<void> {
    const title = TASK_STEPS[task.step].title;
    const late = formatDuration(-msUntil(task.dueAt));
    const lateness = late === '0 min' ? 'has reached its deadline' : `is late by ${late}`;
    const { unitCode } = await notifications.notifyUnitStaff({
      unitCode: task.unitCode,
      roles: ['supervisor'],
      levelsUp: level - 1,
      copyUnitMailbox: true,
      key: `${task.taskId}/escalation-${level}`,
      subject: `Escalation (level ${level}): dossier ${this.dossierId} is overdue`,
      text:
        `Task ${task.taskId} (${title}) at ${task.unitCode} was due ${formatLocal(task.dueAt)} and ${lateness}.\n` +
        `Dossier ${this.dossierId} (${this.procedure}) needs a decision.`,
    });
    await store.markTaskEscalated({ taskId: task.taskId, level });
    await this.record(
      { step: task.step, actor: 'system', outcome: `escalated-level-${level}`, note: `${title} at ${task.unitCode} ${lateness}: escalated to the supervisors of ${unitCode}` },
      { escalationLevel: level },
    );
  }

  private validateCompletion(completion: TaskCompletion): void {
    if (this.closed || this.cancelRequested) {
      throw ApplicationFailure.nonRetryable(`Dossier ${this.dossierId} is ${this.cancelRequested ? 'cancelled' : this.status}`, FailureTypes.dossierClosed);
    }
    const task = this.openTasks.get(completion.taskId);
    if (!task || task.completing) {
      throw ApplicationFailure.nonRetryable(`Task ${completion.taskId} is not open`, FailureTypes.taskNotOpen);
    }
    if (!task.outcomes.includes(completion.outcome)) {
      throw ApplicationFailure.nonRetryable(`Outcome must be one of ${task.outcomes.join(', ')}`, FailureTypes.invalidOutcome);
    }
    const problem = task.spec.validate?.(completion);
    if (problem) throw ApplicationFailure.nonRetryable(problem, FailureTypes.invalidTaskData);
  }

  private async acceptCompletion(completion: TaskCompletion): Promise<TaskCompletionResult> {
    const task = this.openTasks.get(completion.taskId)!;
    // Set before the first await: a second completion arriving meanwhile fails validation, and so
    // does a cancellation once this decides the dossier.
    task.completing = completion;
    if (task.spec.decides) this.decided = true;
    await store.recordTaskCompletion({ ...completion, completedAt: nowIso() });
    await this.record({ step: task.step, actor: `clerk:${completion.completedBy}`, outcome: completion.outcome, note: completion.note });
    // Only now does the dossier move on, so its history lists the decision before what follows.
    this.openTasks.delete(task.taskId);
    task.completion = completion;
    return { taskId: task.taskId, outcome: completion.outcome, dossierStatus: this.status };
  }

  private validateCancel(): void {
    if (this.closed || this.cancelRequested) {
      throw ApplicationFailure.nonRetryable(`Dossier ${this.dossierId} is already ${this.status}`, FailureTypes.dossierClosed);
    }
    if (this.decided) {
      throw ApplicationFailure.nonRetryable(`Dossier ${this.dossierId} has been decided and can no longer be cancelled`, FailureTypes.dossierDecided);
    }
    // A clerk's completion being recorded is allowed to land: cancelling under it would leave a
    // decision half-applied to a cancelled dossier. The citizen can try again a moment later.
    if ([...this.openTasks.values()].some((t) => t.completing !== undefined)) {
      throw ApplicationFailure.nonRetryable(`A decision on dossier ${this.dossierId} is being recorded; try again shortly`, FailureTypes.decisionInProgress);
    }
  }

  private async acceptCancel(request: CancelRequest): Promise<CancelResult> {
    this.cancelRequested = true;
    this.cancelReason = request.reason;
    await condition(() => this.closed);
    return { dossierId: this.dossierId, status: this.status };
  }

  /** Closes the dossier on the owner's cancellation: every open task is withdrawn from the inboxes. */
  async finishCancelled(): Promise<DossierOutcome> {
    const at = nowIso();
    await store.cancelOpenTasks({ dossierId: this.dossierId, at });
    this.openTasks.clear();
    await this.close('cancelled', { step: 'cancel', actor: 'citizen', outcome: 'cancelled', note: this.cancelReason });
    await this.notifyApplicant('cancelled', `Dossier ${this.dossierId} cancelled`, `Your dossier ${this.dossierId} was cancelled at your request.`);
    return this.finish({ dossierId: this.dossierId, status: 'cancelled' });
  }

  /** Refuses the dossier with a reason the citizen is told (unless the owner cancelled it first). */
  async refuse(step: string, actor: string, reason: string): Promise<DossierOutcome> {
    if (this.cancelRequested && !this.decided) return this.finishCancelled();
    this.decided = true;
    await this.close('refused', { step, actor, outcome: 'refused', note: reason }, { result: { refused: true, reason }, decidedAt: nowIso() });
    await this.notifyApplicant('result', `Dossier ${this.dossierId}: request refused`, `Your dossier ${this.dossierId} was refused.\nReason: ${reason}`);
    return this.finish({ dossierId: this.dossierId, status: 'refused', reason });
  }

  async close(status: DossierStatus, event: EventInput, fields: Omit<DossierUpdate, 'dossierId' | 'event'> = {}): Promise<void> {
    this.status = status;
    this.currentStep = 'closed';
    upsertSearchAttributes([{ key: SearchAttributes.dossierStatus, value: status }]);
    await this.record(event, { status, currentStep: 'closed', closedAt: nowIso(), ...fields });
    this.closed = true;
  }

  /** Lets update handlers in flight answer before the workflow completes. */
  async finish(outcome: DossierOutcome): Promise<DossierOutcome> {
    await condition(allHandlersFinished);
    return outcome;
  }
}

