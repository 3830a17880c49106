import { ApplicationFailure, condition, patched, setHandler } from '@temporalio/workflow';
import type { PlanDeadlinesInput } from '../../activities/calendar';
import type { OpenTaskInput } from '../../activities/dossiers';
import type { Bilingual } from '../../common/bilingual';
import { deadlineKeyOf, describeIssues, parseOutcome, type Decision, type StepDefinition } from '../../procedures/define';
import { notifications, store } from './activity-stubs';
import { doneBy, msUntil, nowIso } from './clock';
import type { RowFields, RunContext } from './run-context';
import { completeTaskUpdate, FailureTypes } from './messages';
import { labelOf, taskTexts } from './texts';
import type { DossierEventInput, OpenTaskView, TaskCompletion, TaskCompletionResult } from './types';

/**
 * The patch after which a human task opens in one call (`openPlannedTask`, docs/versioning.md): its
 * deadline planned, its row, the dossier's new status and the history lines up to `task-opened`
 * written in one transaction, where it took two rounds (the deadline's plan with the status beside
 * it, then the task's row beside its line). The clerk sees the task one round sooner. Histories
 * recorded before it replay the two rounds.
 */
export const TASK_IN_ONE_CALL = 'human-task-in-one-call';

export interface HumanTaskOptions<S extends StepDefinition> {
  /** The unit whose inbox gets the task. */
  unitCode: string;
  /** What the person deciding should know (a finding, a conflict), shown with the task. */
  context?: Record<string, unknown>;
  /** Rules on the decision beyond its schema, which need the dossier's state: a message refuses it. */
  validate?: (decision: Decision<S>) => string | undefined;
  /** Before TASK_IN_ONE_CALL: a write made while the task's deadline is planned (the dossier's new status), done before the task opens. */
  alongside?: () => Promise<void>;
  /**
   * Since TASK_IN_ONE_CALL, what the dossier's row takes with the task (the status it enters, its
   * lines): taken when the task opens and written by the call that opens it.
   */
  enters?: () => { fields: RowFields; earlier: DossierEventInput[] };
  /**
   * The dossier's own deadline from here on, planned by the call that opens the task (given only
   * under TASK_IN_ONE_CALL, which `perform` then follows too); `planned` gets its due instant.
   */
  dossierDeadline?: { deadline: PlanDeadlinesInput; planned: (dueAt: string) => void };
}

interface TaskRun {
  taskId: string;
  step: StepDefinition;
  unitCode: string;
  /** Known once the deadline is planned: a task opened in one call is open here while the call runs. */
  dueAt?: string;
  validate?: (decision: Decision<StepDefinition>) => string | undefined;
  /** Accepted by the Update validator: a second completion is refused from then on. */
  completing?: TaskCompletion;
  /** Recorded (task row and history written): the workflow moves on only then. */
  decision?: Decision<StepDefinition>;
  /** Taken from the inboxes because the dossier closed: nobody will decide it. */
  withdrawn?: boolean;
}

type PlannedTask = TaskRun & { dueAt: string };

/** How a task opens: its options but the decision's rules. */
type Opening = Omit<HumanTaskOptions<StepDefinition>, 'validate'>;

interface DeadlinePlan {
  dueAt: string;
  remindAt: string;
  escalateAt: string;
  secondEscalateAt: string;
}

/** A task withdrawn from the inboxes before anyone decided it (its dossier closed). */
export class TaskWithdrawn extends Error {
  constructor(readonly taskId: string) {
    super(`Task ${taskId} was withdrawn`);
  }
}

/**
 * Human tasks of one dossier: opened in a unit's inbox with a deadline in working time, reminded
 * and escalated while nobody acts, and completed through the `completeTask` Update, whose validator
 * parses the outcome's data with the step's own schema (the one the API checked it with).
 */
export class HumanTasks {
  private seq = 0;
  private readonly open = new Map<string, TaskRun>();

  constructor(private readonly run: RunContext) {}

  installHandlers(): void {
    setHandler(completeTaskUpdate, (completion) => this.accept(completion), {
      validator: (completion) => this.validate(completion),
    });
  }

  openTaskViews(): OpenTaskView[] {
    return this.plannedTasks().map((t) => ({ taskId: t.taskId, step: t.step.id, unitCode: t.unitCode, dueAt: t.dueAt }));
  }

  /** The open tasks whose deadline is planned: what the dossier shows as open. */
  private plannedTasks(): PlannedTask[] {
    return [...this.open.values()].filter((t): t is PlannedTask => t.dueAt !== undefined);
  }

  decisionInProgress(): boolean {
    return [...this.open.values()].some((t) => t.completing !== undefined);
  }

  /** The dossier closes: every open task is withdrawn, and the runs waiting on them end (TaskWithdrawn). */
  withdrawAll(): void {
    for (const task of this.open.values()) task.withdrawn = true;
    this.open.clear();
  }

  /** Open and not being decided: a supervisor may still move it. */
  isReassignable(taskId: string): boolean {
    const task = this.open.get(taskId);
    return task !== undefined && task.completing === undefined;
  }

  /**
   * A supervisor's reassignment (workflows/shared/supervision.ts): the task's later reminders and
   * escalations go to its new unit. Returns its step and the unit it left.
   */
  moveTo(taskId: string, unitCode: string): { step: StepDefinition; previousUnitCode: string } | undefined {
    const task = this.open.get(taskId);
    if (!task || task.completing) return undefined;
    const previousUnitCode = task.unitCode;
    task.unitCode = unitCode;
    return { step: task.step, previousUnitCode };
  }

  /**
   * Opens the task with its deadline, reminds and escalates while nobody acts, and resolves with the
   * decision taken; ends the run if the owner cancels first.
   */
  async perform<S extends StepDefinition>(step: S, options: HumanTaskOptions<S>): Promise<Decision<S>> {
    const { run } = this;
    run.checkpoint();
    this.seq += 1;
    const taskId = `${run.dossierId}-T${this.seq}`;
    const createdAt = nowIso();
    // The decision handed to `validate` was parsed with this step's schemas: it is a Decision<S>.
    const task: TaskRun = { taskId, step, unitCode: options.unitCode, validate: options.validate as TaskRun['validate'] };
    const plan = patched(TASK_IN_ONE_CALL) ? await this.openInOneCall(task, createdAt, options) : await this.openInTwoRounds(task, createdAt, options);
    const planned = Object.assign(task, { dueAt: plan.dueAt });

    const settled = () => task.decision !== undefined || task.withdrawn === true || run.cancelRequested;
    // Reminders stop as soon as a decision is accepted, even while it is still being recorded.
    const decidedOrCancelled = () => task.completing !== undefined || task.withdrawn === true || run.cancelRequested;
    await Promise.all([condition(settled), this.watchDeadlines(planned, plan, decidedOrCancelled)]);
    if (task.decision) return task.decision as Decision<S>;
    if (task.withdrawn) throw new TaskWithdrawn(taskId);
    throw run.cancellation();
  }

  /**
   * Since TASK_IN_ONE_CALL: one store call plans the deadline (and the dossier's, when the step moves
   * it) and writes the task's row, the dossier's new status and its lines up to `task-opened`, in one
   * transaction keyed by the task's id.
   */
  private async openInOneCall(task: TaskRun, createdAt: string, options: Opening): Promise<DeadlinePlan> {
    const { run } = this;
    const { taskId, step } = task;
    // Open in the workflow before the call: the inbox lists the task once the call's transaction
    // commits, and a clerk who decides at once must find it open.
    this.open.set(taskId, task);
    const entered = options.enters?.();
    const earlier = [...(entered?.earlier ?? []), ...run.takeLines()];
    const [opened] = run.takeLines({ step: step.id, actor: 'system', outcome: 'task-opened', unitCode: options.unitCode });
    const plan = await store.openPlannedTask({
      task: this.rowOf(task, createdAt, options),
      deadline: { procedure: deadlineKeyOf(run.procedure), step: step.id, unitCode: options.unitCode, from: createdAt },
      ...(options.dossierDeadline ? { dossierDeadline: options.dossierDeadline.deadline } : {}),
      ...(entered ? { fields: entered.fields } : {}),
      ...(earlier.length > 0 ? { earlier } : {}),
      opened: { seq: opened!.seq, at: opened!.at, title: this.titleOf(step) },
    });
    if (plan.dossierDueAt !== undefined) options.dossierDeadline?.planned(plan.dossierDueAt);
    return plan;
  }

  /** Before TASK_IN_ONE_CALL: the deadline's plan (with the `alongside` write beside it), then the task's row beside its line. */
  private async openInTwoRounds(task: TaskRun, createdAt: string, options: Opening): Promise<DeadlinePlan> {
    const { run } = this;
    const { taskId, step } = task;
    const planned = store.planDeadlines({ procedure: deadlineKeyOf(run.procedure), step: step.id, unitCode: options.unitCode, from: createdAt });
    const [plan] = await Promise.all([planned, options.alongside?.()]);
    task.dueAt = plan.dueAt;
    // Open in the workflow before the inbox shows it: a clerk who decides at once must find it open.
    this.open.set(taskId, task);
    await Promise.all([
      store.openTask({ ...this.rowOf(task, createdAt, options), dueAt: plan.dueAt }),
      run.record({ step: step.id, actor: 'system', outcome: 'task-opened', note: taskTexts.openedNote(this.titleOf(step), options.unitCode, plan.dueAt), unitCode: options.unitCode }),
    ]);
    return plan;
  }

  /** The task's row as the inbox lists it (its due instant is planned apart). */
  private rowOf(task: TaskRun, createdAt: string, options: Opening): Omit<OpenTaskInput, 'dueAt'> {
    const { step } = task;
    return {
      taskId: task.taskId,
      dossierId: this.run.dossierId,
      procedure: this.run.procedure.id,
      step: step.id,
      unitCode: options.unitCode,
      outcomes: Object.keys(step.outcomes),
      createdAt,
      ...(options.context ? { context: options.context } : {}),
    };
  }

  private async watchDeadlines(task: PlannedTask, plan: DeadlinePlan, settled: () => boolean): Promise<void> {
    if (!(await doneBy(settled, plan.remindAt))) await this.remind(task);
    if (!(await doneBy(settled, plan.escalateAt))) await this.escalate(task, 1);
    if (!(await doneBy(settled, plan.secondEscalateAt))) await this.escalate(task, 2);
  }

  /** A step's title as people read it: its label in each language (the step's own title in English when it has none). */
  titleOf(step: StepDefinition): Bilingual {
    const label = labelOf(this.run.procedure, step.id);
    return { vi: label.vi, en: this.run.procedure.labels.en[step.id] ?? step.title };
  }

  /** The open tasks with their titles: what supervision's escalation mail says the dossier waits on. */
  openTaskTitles(): Array<{ title: Bilingual; unitCode: string; dueAt: string }> {
    return this.plannedTasks().map((t) => ({ title: this.titleOf(t.step), unitCode: t.unitCode, dueAt: t.dueAt }));
  }

  /** Staff read Vietnamese: the reminder goes to whoever holds the task in it; the history has both. */
  private async remind(task: PlannedTask): Promise<void> {
    const { dossierId } = this.run;
    const title = this.titleOf(task.step);
    await notifications.notifyTaskHolder({ taskId: task.taskId, key: `${task.taskId}/reminder`, ...taskTexts.reminderMail(title, task.taskId, dossierId, task.dueAt) });
    await store.markTaskReminded({ taskId: task.taskId, at: nowIso() });
    await this.run.record({ step: task.step.id, actor: 'system', outcome: 'reminder-sent', note: taskTexts.reminderNote(task.taskId, task.dueAt), unitCode: task.unitCode });
  }

  private async escalate(task: PlannedTask, level: 1 | 2): Promise<void> {
    const { dossierId, procedure } = this.run;
    const title = this.titleOf(task.step);
    const lateness = taskTexts.lateness(-msUntil(task.dueAt));
    const { unitCode } = await notifications.notifyUnitStaff({
      unitCode: task.unitCode,
      roles: ['supervisor'],
      levelsUp: level - 1,
      copyUnitMailbox: true,
      key: `${task.taskId}/escalation-${level}`,
      ...taskTexts.escalationMail(level, { taskId: task.taskId, title, unitCode: task.unitCode, dueAt: task.dueAt }, lateness, dossierId, labelOf(procedure, procedure.id)),
    });
    await store.markTaskEscalated({ taskId: task.taskId, level });
    await this.run.record(
      { step: task.step.id, actor: 'system', outcome: `escalated-level-${level}`, note: taskTexts.escalatedNote(title, task.unitCode, lateness, unitCode), unitCode },
      { escalationLevel: level },
    );
  }

  /** The completion as a decision of its step: the data parsed with the outcome's schema. */
  private decisionOf(task: TaskRun, completion: TaskCompletion): Decision<StepDefinition> | string {
    const parsed = parseOutcome(task.step, completion.outcome, completion.data);
    if (!parsed.ok) {
      return parsed.unknownOutcome
        ? `Outcome must be one of ${Object.keys(task.step.outcomes).join(', ')}`
        : `The data of outcome ${completion.outcome} is invalid: ${describeIssues(parsed.issues)}`;
    }
    return { taskId: completion.taskId, outcome: completion.outcome, data: parsed.data, note: completion.note, completedBy: completion.completedBy };
  }

  private validate(completion: TaskCompletion): void {
    const { run } = this;
    if (run.closed || run.cancelRequested) {
      throw ApplicationFailure.nonRetryable(`Dossier ${run.dossierId} is ${run.cancelRequested ? 'cancelled' : run.status}`, FailureTypes.dossierClosed);
    }
    const task = this.open.get(completion.taskId);
    if (!task || task.completing) throw ApplicationFailure.nonRetryable(`Task ${completion.taskId} is not open`, FailureTypes.taskNotOpen);
    const decision = this.decisionOf(task, completion);
    if (typeof decision === 'string') {
      const type = task.step.outcomes[completion.outcome] ? FailureTypes.invalidTaskData : FailureTypes.invalidOutcome;
      throw ApplicationFailure.nonRetryable(decision, type);
    }
    const problem = task.validate?.(decision);
    if (problem) throw ApplicationFailure.nonRetryable(problem, FailureTypes.invalidTaskData);
  }

  private async accept(completion: TaskCompletion): Promise<TaskCompletionResult> {
    const task = this.open.get(completion.taskId)!;
    // Set before the first await: a second completion arriving meanwhile fails validation, and so
    // does a cancellation once this decides the dossier.
    task.completing = completion;
    if (task.step.decisions.includes(completion.outcome)) this.run.decided = true;
    const parsed = this.decisionOf(task, completion);
    // Validators do not run on replay; a completion accepted by an older version is taken as it was.
    const decision = typeof parsed === 'string' ? { ...completion, data: completion.data ?? {} } : parsed;
    await store.recordTaskCompletion({ ...completion, data: decision.data, completedAt: nowIso() });
    await this.run.recordDecision({ step: task.step.id, actor: `${task.step.role}:${completion.completedBy}`, outcome: completion.outcome, note: completion.note, unitCode: task.unitCode });
    // Only now does the dossier move on, so its history lists the decision before what follows.
    this.open.delete(task.taskId);
    task.decision = decision;
    return { taskId: task.taskId, outcome: completion.outcome, dossierStatus: this.run.status };
  }
}
